# shellcheck shell=bash
# The benchmark's certificates (strongswan-pki): a CA and the gateway's certificate for
# $BENCH_GW_ID, once with an RSA-2048 key and once with an ECDSA P-256 key; both gateways
# use the same files.

BENCH_GW_ID=gw.bench.test

# bench_pki DIR: makes DIR/{rsa,ecdsa}-{key,cert}.pem unless they exist.
bench_pki() {
  local dir=$1 type size
  [ -f "$dir/ecdsa-cert.pem" ] && [ -f "$dir/rsa-cert.pem" ] && return 0
  mkdir -p "$dir"
  printf 'pki {\n  load = random pem pkcs1 pkcs8 x509 pubkey openssl gmp\n}\n' > "$dir/strongswan.conf"
  (
    set -e
    export STRONGSWAN_CONF=$dir/strongswan.conf
    cd "$dir"
    pki --gen --type ecdsa --size 256 --outform pem > ca-key.pem
    pki --self --ca --lifetime 3650 --in ca-key.pem --dn "CN=ikev2d benchmark CA" --outform pem > ca-cert.pem
    for type in rsa ecdsa; do
      size=2048; [ "$type" = ecdsa ] && size=256
      pki --gen --type "$type" --size "$size" --outform pem > "$type-key.pem"
      pki --issue --cacert ca-cert.pem --cakey ca-key.pem --type priv --in "$type-key.pem" --lifetime 3650 \
          --dn "CN=$BENCH_GW_ID" --san "$BENCH_GW_ID" --flag serverAuth --flag ikeIntermediate \
          --outform pem > "$type-cert.pem"
    done
  ) 2> "$dir/pki.log"
}
