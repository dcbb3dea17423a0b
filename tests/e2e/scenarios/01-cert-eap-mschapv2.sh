#!/usr/bin/env bash
# Certificate (gateway) + EAP-MSCHAPv2 (user), a virtual IP from the pool, a ping to the
# lan host through the tunnel, and the gateway's ESP counters showing the packets.
# Usage (in the test VM): 01-cert-eap-mschapv2.sh <ikev2d binary | strongswan>
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 1
e2e_gw_start --auth cert-eap-mschapv2 --users "alice:Correct-Horse-7"
e2e_client_up client1 --auth eap-mschapv2 --user alice --password Correct-Horse-7
vip=$(e2e_client_vip client1)
[ "$(e2e_gw_pool_addresses_in_policies)" = "$vip" ] ||
  e2e_fail "virtual IP '$vip' is not the pool address in the gateway's policies: $(e2e_gw_pool_addresses_in_policies)"
e2e_ping_lan client1 5
e2e_assert_esp_packets gw "$(e2e_client_address 1)"
e2e_assert_esp_packets client1 "$E2E_GW_OUT"
e2e_pass
