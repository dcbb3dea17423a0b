#!/bin/sh
# Client certificates for the certificate-policy tests (issue 9): validity, EKU, CRL,
# identity matching, SHA-1. Made ONCE (2026-12-03) with certtool (gnutls-bin 3.7.9) and
# the output checked in, like generate.sh, whose ca.pem/ca.key it uses (run that first
# only when remaking everything). Run from this directory: sh generate-client-policy.sh
set -eu
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

certtool --generate-privkey --key-type rsa --bits 2048 --no-text --outfile rsa-client.key

# issue <name> <key> <template lines...>: a client certificate issued by the test root CA
issue() {
  name=$1; keyfile=$2; shift 2
  printf '%s\n' "$@" > "$T/$name.tmpl"
  certtool --generate-certificate --load-privkey "$keyfile" --load-ca-certificate ca.pem --load-ca-privkey ca.key \
    --template "$T/$name.tmpl" --no-text --outfile "$name.pem"
}

issue client-expired client.key 'cn = "carol"' 'serial = 20' 'email = "carol@example.com"' \
  'activation_date = "2020-01-01 00:00:00 UTC"' 'expiration_date = "2021-01-01 00:00:00 UTC"' tls_www_client signing_key
issue client-future client.key 'cn = "dave"' 'serial = 21' 'email = "dave@example.com"' \
  'activation_date = "2040-01-01 00:00:00 UTC"' 'expiration_date = "2045-01-01 00:00:00 UTC"' tls_www_client signing_key
issue client-server-eku client.key 'cn = "erin"' 'serial = 22' 'dns_name = "erin.example.com"' 'expiration_days = 7300' \
  tls_www_server signing_key
issue client-ipsecike client.key 'cn = "frank"' 'serial = 23' 'email = "frank@example.com"' 'expiration_days = 7300' \
  'key_purpose_oid = 1.3.6.1.5.5.7.3.17' signing_key
issue client-revoked client.key 'cn = "grace"' 'serial = 24' 'email = "grace@example.com"' 'expiration_days = 7300' \
  tls_www_client signing_key
issue client-cn-only client.key 'cn = "heidi.example.com"' 'serial = 25' 'expiration_days = 7300' tls_www_client signing_key
issue client-wildcard client.key 'cn = "ivan"' 'serial = 26' 'dns_name = "*.example.org"' 'expiration_days = 7300' \
  tls_www_client signing_key
issue rsa-client rsa-client.key 'cn = "win"' 'serial = 27' 'email = "win@example.com"' 'expiration_days = 7300' \
  tls_www_client signing_key

# ca.crl: the root CA revokes client-revoked.pem; rogue.crl: the same, signed by the untrusted rogue CA
printf '%s\n' 'crl_next_update = 7300' 'crl_number = 1' > "$T/crl.tmpl"
certtool --generate-crl --load-ca-privkey ca.key --load-ca-certificate ca.pem --load-certificate client-revoked.pem \
  --template "$T/crl.tmpl" --no-text --outfile ca.crl
certtool --generate-crl --load-ca-privkey rogue-ca.key --load-ca-certificate rogue-ca.pem \
  --load-certificate client-revoked.pem --template "$T/crl.tmpl" --no-text --outfile rogue.crl
