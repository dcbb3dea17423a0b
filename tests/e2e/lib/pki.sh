# The test PKI (strongswan-pki): a CA and the gateway's certificate for $E2E_GW_ID, made
# once per VM run under $RESULTS/pki.

E2E_GW_ID=gw.ikev2d.test     # .test is reserved for testing (RFC 2606)
E2E_PKI=

e2e_pki() {
  E2E_PKI=$RESULTS/pki
  [ -f "$E2E_PKI/gw-cert.pem" ] && return 0
  mkdir -p "$E2E_PKI"
  # Only the plugins pki needs: loading all of them takes ~20 s per call under TCG.
  printf 'pki {\n  load = random pem pkcs1 pkcs8 x509 pubkey openssl\n}\n' > "$E2E_PKI/strongswan.conf"
  (
    exec 2> "$E2E_PKI/pki.log"
    set -e
    export STRONGSWAN_CONF=$E2E_PKI/strongswan.conf
    cd "$E2E_PKI"
    pki --gen --type ecdsa --size 256 --outform pem > ca-key.pem
    pki --self --ca --lifetime 30 --in ca-key.pem --dn "CN=ikev2d e2e test CA" --outform pem > ca-cert.pem
    pki --gen --type ecdsa --size 256 --outform pem > gw-key.pem
    pki --pub --in gw-key.pem --outform pem > gw-pub.pem
    pki --issue --cacert ca-cert.pem --cakey ca-key.pem --type pub --in gw-pub.pem --lifetime 30 \
        --dn "CN=$E2E_GW_ID" --san "$E2E_GW_ID" --san "$E2E_GW_OUT" \
        --flag serverAuth --flag ikeIntermediate --outform pem > gw-cert.pem.tmp
    mv gw-cert.pem.tmp gw-cert.pem
  ) || e2e_fail "cannot make the test PKI"
}

# e2e_pki_client NAME: a client certificate from the test CA for NAME.ikev2d.test (also
# its subjectAltName, the client's IKE identity): NAME-key.pem, NAME-cert.pem, and
# NAME.p12 (password "e2e", friendly name NAME) for NSS-based clients such as Libreswan.
e2e_pki_client() {
  local name=$1
  e2e_pki
  [ -f "$E2E_PKI/$name.p12" ] && return 0
  (
    exec 2>> "$E2E_PKI/pki.log"
    set -e
    export STRONGSWAN_CONF=$E2E_PKI/strongswan.conf
    cd "$E2E_PKI"
    pki --gen --type ecdsa --size 256 --outform pem > "$name-key.pem"
    pki --pub --in "$name-key.pem" --outform pem > "$name-pub.pem"
    pki --issue --cacert ca-cert.pem --cakey ca-key.pem --type pub --in "$name-pub.pem" --lifetime 30 \
        --dn "CN=$name.ikev2d.test" --san "$name.ikev2d.test" --flag clientAuth --outform pem > "$name-cert.pem"
    openssl pkcs12 -export -inkey "$name-key.pem" -in "$name-cert.pem" -name "$name" \
        -passout pass:e2e -out "$name.p12.tmp"
    mv "$name.p12.tmp" "$name.p12"
  ) || e2e_fail "cannot make the client certificate for $name"
}
