#!/bin/sh
# Made ONCE (2026-11-27) with certtool (gnutls-bin 3.7.9) and the output checked in;
# the tests depend on these exact files (kat-*.hex too), so do not re-run casually.
# Run from this directory: sh generate.sh
set -eu
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

# Keys: RSA in PKCS#1, EC in SEC1 (certtool's defaults without --pkcs8), Ed25519 in PKCS#8.
certtool --generate-privkey --key-type rsa --bits 2048 --no-text --outfile ca.key
certtool --generate-privkey --key-type ecdsa --curve secp384r1 --no-text --outfile inter.key
certtool --generate-privkey --key-type rsa --bits 2048 --no-text --outfile gateway.key
certtool --generate-privkey --key-type ecdsa --curve secp256r1 --no-text --outfile client.key
certtool --generate-privkey --key-type ecdsa --curve secp521r1 --no-text --outfile p521.key
certtool --generate-privkey --key-type ed25519 --no-text --outfile ed25519.key
certtool --generate-privkey --key-type rsa --bits 2048 --no-text --outfile rogue-ca.key
certtool --generate-privkey --key-type ecdsa --curve secp256r1 --no-text --outfile expired-ca.key
# Other encodings of the same keys
# (certtool 3.7 writes only encrypted PKCS#8, so openssl makes the unencrypted ones)
openssl pkcs8 -topk8 -nocrypt -in client.key -out client.p8.pem
openssl pkcs8 -topk8 -nocrypt -in client.key -outform DER -out client.p8.der
certtool -k --infile gateway.key --outder --outfile gateway.key.der

cat > $T/ca.tmpl <<T
cn = "ikev2d Test Root CA"
organization = "ikev2d tests"
serial = 1
expiration_days = 7300
ca
cert_signing_key
crl_signing_key
T
certtool --generate-self-signed --load-privkey ca.key --template $T/ca.tmpl --no-text --outfile ca.pem

cat > $T/inter.tmpl <<T
cn = "ikev2d Test Intermediate CA"
organization = "ikev2d tests"
serial = 2
expiration_days = 7300
ca
cert_signing_key
T
certtool --generate-certificate --load-privkey inter.key --load-ca-certificate ca.pem --load-ca-privkey ca.key \
  --template $T/inter.tmpl --no-text --outfile inter.pem

cat > $T/gateway.tmpl <<T
cn = "vpn.example.com"
organization = "ikev2d tests"
serial = 3
expiration_days = 7300
dns_name = "vpn.example.com"
dns_name = "gw.example.net"
ip_address = "192.0.2.1"
ip_address = "2001:db8::1"
tls_www_server
key_purpose_oid = 1.3.6.1.5.5.8.2.2
signing_key
T
certtool --generate-certificate --load-privkey gateway.key --load-ca-certificate ca.pem --load-ca-privkey ca.key \
  --template $T/gateway.tmpl --no-text --outfile gateway.pem
certtool --certificate-info --infile gateway.pem --outder --outfile gateway.der

cat > $T/client.tmpl <<T
cn = "alice"
organization = "ikev2d tests"
serial = 4
expiration_days = 7300
email = "alice@example.com"
tls_www_client
signing_key
T
certtool --generate-certificate --load-privkey client.key --load-ca-certificate inter.pem --load-ca-privkey inter.key \
  --template $T/client.tmpl --no-text --outfile client.pem

cat > $T/p521.tmpl <<T
cn = "p521.example.com"
serial = 5
expiration_days = 7300
dns_name = "p521.example.com"
signing_key
T
certtool --generate-certificate --load-privkey p521.key --load-ca-certificate ca.pem --load-ca-privkey ca.key \
  --template $T/p521.tmpl --no-text --outfile p521.pem

cat > $T/ed25519.tmpl <<T
cn = "ed25519.example.com"
serial = 6
expiration_days = 7300
dns_name = "ed25519.example.com"
signing_key
T
certtool --generate-certificate --load-privkey ed25519.key --load-ca-certificate ca.pem --load-ca-privkey ca.key \
  --template $T/ed25519.tmpl --no-text --outfile ed25519.pem

# A CA nobody trusts, and a client it issued
cat > $T/rogue.tmpl <<T
cn = "ikev2d Test Root CA"
organization = "rogue"
serial = 1
expiration_days = 7300
ca
cert_signing_key
T
certtool --generate-self-signed --load-privkey rogue-ca.key --template $T/rogue.tmpl --no-text --outfile rogue-ca.pem
cat > $T/rogue-client.tmpl <<T
cn = "mallory"
serial = 7
expiration_days = 7300
email = "mallory@example.com"
signing_key
T
certtool --generate-certificate --load-privkey client.key --load-ca-certificate rogue-ca.pem --load-ca-privkey rogue-ca.key \
  --template $T/rogue-client.tmpl --no-text --outfile rogue-client.pem

# An intermediate CA that expired in 2021, and a (still valid-dated) client it issued
cat > $T/expired.tmpl <<T
cn = "ikev2d Test Expired CA"
serial = 8
activation_date = "2020-01-01 00:00:00 UTC"
expiration_date = "2021-01-01 00:00:00 UTC"
ca
cert_signing_key
T
certtool --generate-certificate --load-privkey expired-ca.key --load-ca-certificate ca.pem --load-ca-privkey ca.key \
  --template $T/expired.tmpl --no-text --outfile expired-ca.pem
cat > $T/expired-client.tmpl <<T
cn = "bob"
serial = 9
activation_date = "2020-06-01 00:00:00 UTC"
expiration_date = "2040-01-01 00:00:00 UTC"
email = "bob@example.com"
signing_key
T
certtool --generate-certificate --load-privkey client.key --load-ca-certificate expired-ca.pem --load-ca-privkey expired-ca.key \
  --template $T/expired-client.tmpl --no-text --outfile expired-client.pem

# The CA chain as one PEM bundle (load_file with several certificates)
cat ca.pem inter.pem > bundle.pem
