#!/usr/bin/env bash
# A Libreswan client with a pre-shared key on both sides (no certificate): virtual IP by
# config mode, ping to the lan host through ESP.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 1
psk="e2e-libreswan-shared-secret-of-some-length-17"
e2e_gw_start --auth psk --psk "$psk"
e2e_libreswan_up client1 --auth psk --psk "$psk"
e2e_libreswan_log_has client1 "established IKE SA; authenticated peer using authby=secret" ||
  e2e_fail "the Libreswan client did not authenticate the gateway with the PSK: $(grep -E 'authenticated|AUTH' "$(e2e_libreswan_dir client1)/pluto.log" | tail -2 | tr '\n' ' ')"
[ -n "$(e2e_client_vip client1)" ] || e2e_fail "the Libreswan client has no virtual IP from the pool"
e2e_ping_lan client1
e2e_assert_esp_packets gw "$(e2e_client_address 1)"
e2e_pass
