#!/usr/bin/env python3
# Signatures made by an independent implementation (python "cryptography") for the verify
# side of test_pki_auth.cpp, written as IKE AUTH payload data. ECDSA and PSS are randomised,
# so these are fixed samples, not reproducible outputs. Run: python3 kat_verify.py
# (client.p8.pem: python rejects certtool's SEC1 client.key, whose private value lost a leading zero octet.)
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils

message = b"ikev2d known-answer test: RFC 7296 AUTH octets"
def key(name):
    return serialization.load_pem_private_key(open(name, "rb").read(), None)
def raw_rs(der, size):
    r, s = utils.decode_dss_signature(der)
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")

lines = []
# RFC 4754 method 9: r|s
lines.append(("method9-client", raw_rs(key("client.p8.pem").sign(message, ec.ECDSA(hashes.SHA256())), 32)))
# RFC 4754 method 11: r|s, 66 octets each
lines.append(("method11-p521", raw_rs(key("p521.key").sign(message, ec.ECDSA(hashes.SHA512())), 66)))
# RFC 7427 method 14, ecdsa-with-SHA384 (A.3.2) by the P-256 key: DER signature
alg = bytes.fromhex("300a06082a8648ce3d040303")
lines.append(("method14-client-sha384", bytes([len(alg)]) + alg + key("client.p8.pem").sign(message, ec.ECDSA(hashes.SHA384()))))
# RFC 7427 method 14, RSASSA-PSS SHA-256 / MGF1-SHA-256 / salt 32
alg = bytes.fromhex("304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108"
                    "300d06096086480165030402010500a203020120")
pss = padding.PSS(padding.MGF1(hashes.SHA256()), 32)
lines.append(("method14-gateway-pss256", bytes([len(alg)]) + alg + key("gateway.key").sign(message, pss, hashes.SHA256())))
with open("kat-verify.txt", "w") as out:
    for name, data in lines:
        out.write("%s %s\n" % (name, data.hex()))
