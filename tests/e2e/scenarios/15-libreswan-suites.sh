#!/usr/bin/env bash
# Two Libreswan clients, each with one suite only: AES-GCM-256 with X25519 (ESP AES-GCM-256)
# and AES-CBC-256/HMAC-SHA2-256 with MODP-2048 (ESP AES-CBC-256/HMAC-SHA2-256-128). Each
# gets that suite (Libreswan says what it negotiated, the gateway's kernel SAs show the
# ESP algorithms) and pings the lan host through it.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 2
e2e_gw_start --auth cert
e2e_libreswan_up client1 --auth cert --ike aes_gcm256-sha2_256-dh31 --esp aes_gcm256-null
e2e_libreswan_up client2 --auth cert --ike aes256-sha2_256-modp2048 --esp aes256-sha2_256

# expect_suite NS IKE_REGEX ESP_REGEX KERNEL_ALGO: what Libreswan negotiated, and the ESP
# algorithm of the gateway's kernel SAs for that client (both directions).
expect_suite() {
  local ns=$1 ike=$2 esp=$3 algo=$4 peer log n
  log=$(e2e_libreswan_dir "$ns")/initiate.log
  peer=$(e2e_client_address "${ns#client}")
  grep -Eq "sent IKE_AUTH request \{$ike\}" "$log" ||
    e2e_fail "$ns: IKE SA not {$ike}: $(grep -o 'IKE_AUTH request {.*}' "$log")"
  grep -Eq "xfrm=$esp " "$log" || e2e_fail "$ns: Child SA not $esp: $(grep -o 'xfrm=[^ ]*' "$log")"
  n=$(ip -n gw xfrm state | awk -v p="$peer" -v a="$algo" '
    /^src / { mine = ($2 == p || $4 == p) } mine && index($0, a) { n++ } END { print n + 0 }')
  [ "$n" = 2 ] || e2e_fail "$ns: the gateway's SAs for $peer do not both use $algo: $(ip -n gw xfrm state | grep -E '^src|aead|enc|auth' | tr '\n' ' ')"
  e2e_ping_lan "$ns"
  e2e_assert_esp_packets gw "$peer"
}
expect_suite client1 "cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_256 group=DH31" "AES_GCM_16_256-NONE" "rfc4106(gcm(aes))"
expect_suite client2 "cipher=AES_CBC_256 integ=HMAC_SHA2_256_128 prf=HMAC_SHA2_256 group=MODP2048" \
  "AES_CBC_256-HMAC_SHA2_256_128" "hmac(sha256)"
e2e_pass
