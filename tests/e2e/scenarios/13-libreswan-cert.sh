#!/usr/bin/env bash
# A Libreswan client (tests/e2e/lib/libreswan.sh) with a client certificate: the gateway
# checks it against the test CA, hands out a virtual IP by config mode, and a ping to the
# lan host goes through ESP on both sides.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 1
e2e_gw_start --auth cert
e2e_libreswan_up client1 --auth cert
e2e_log "client: $(e2e_libreswan_version)"
vip=$(e2e_client_vip client1)
[ -n "$vip" ] || e2e_fail "the Libreswan client has no virtual IP from the pool"
[ "$(e2e_gw_pool_addresses_in_policies)" = "$vip" ] ||
  e2e_fail "virtual IP '$vip' is not the pool address in the gateway's policies: $(e2e_gw_pool_addresses_in_policies)"
e2e_libreswan_log_has client1 "authenticated peer .*$E2E_GW_ID|established IKE SA" ||
  e2e_fail "the Libreswan client did not authenticate the gateway"
e2e_ping_lan client1 5
e2e_assert_esp_packets gw "$(e2e_client_address 1)"
e2e_assert_esp_packets client1 "$E2E_GW_OUT"
e2e_pass
