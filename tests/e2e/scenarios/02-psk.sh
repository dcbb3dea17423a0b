#!/usr/bin/env bash
# Pre-shared key on both sides (no EAP, no certificate), virtual IP, ping through ESP.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 1
psk="e2e-shared-secret-of-some-length-42"
e2e_gw_start --auth psk --psk "$psk"
e2e_client_up client1 --auth psk --psk "$psk" --id client1@ikev2d.test
e2e_client_log_has client1 "authentication of .* with pre-shared key successful" ||
  e2e_fail "the client did not authenticate the gateway with the PSK"
e2e_ping_lan client1
e2e_assert_esp_packets gw "$(e2e_client_address 1)"
e2e_pass
