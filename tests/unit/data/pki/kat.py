#!/usr/bin/env python3
# Independent known answers for RSA PKCS#1 v1.5 (RFC 8017 8.2.1 / 9.2): computed from
# gateway.key's numbers with hashlib and pow() only, not with the code under test.
# Run: certtool -k --infile gateway.key | python3 kat.py
import hashlib, re, sys

text = sys.stdin.read()
def number(label):
    block = re.search(label + r":\n((?:\t[0-9a-f:]+\n)+)", text).group(1)
    return int(re.sub(r"[^0-9a-f]", "", block), 16)
n, d = number("modulus"), number("private exponent")
k = (n.bit_length() + 7) // 8
message = b"ikev2d known-answer test: RFC 7296 AUTH octets"
# DigestInfo prefixes from RFC 8017 section 9.2, note 1
prefixes = {
    "sha1": bytes.fromhex("3021300906052b0e03021a05000414"),
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
}
for name, prefix in prefixes.items():
    t = prefix + hashlib.new(name, message).digest()
    em = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
    s = pow(int.from_bytes(em, "big"), d, n).to_bytes(k, "big")
    assert pow(int.from_bytes(s, "big"), 65537, n) == int.from_bytes(em, "big")
    open("kat-rsa-%s.hex" % name, "w").write(s.hex() + "\n")
