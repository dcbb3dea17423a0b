#!/usr/bin/env bash
# A gateway with two outside networks (and strict reverse-path filtering): client1 comes
# in on the default route's uplink, client2 on the other one. Each virtual IP is routed
# out of the uplink its client came in on, so when the default uplink fails, client2's
# tunnel keeps carrying the LAN's replies (a route for the whole pool toward the default
# route's interface would have gone with that interface).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 2 --uplink2 2 --strict-rpf
e2e_gw_start --auth cert-eap-mschapv2 --users "alice:Correct-Horse-7 bob:Battery-Staple-9"
e2e_client_up client1 --auth eap-mschapv2 --user alice --password Correct-Horse-7
e2e_client_up client2 --auth eap-mschapv2 --user bob --password Battery-Staple-9
vip1=$(e2e_client_vip client1) vip2=$(e2e_client_vip client2)
e2e_ping_lan client1 3
e2e_ping_lan client2 5
e2e_assert_esp_packets gw "$(e2e_client_address 1)"
e2e_assert_esp_packets gw "$(e2e_client_address 2)"
if [ "$E2E_GATEWAY" != strongswan ]; then
  [[ "$(ip -n gw route show "$vip1/32" proto 29)" == *"dev br-out "* ]] ||
    e2e_fail "$vip1 is not routed toward br-out: $(ip -n gw route show "$vip1/32")"
  [[ "$(ip -n gw route show "$vip2/32" proto 29)" == *"dev br-out2"* ]] ||
    e2e_fail "$vip2 is not routed toward br-out2: $(ip -n gw route show "$vip2/32")"
fi
e2e_log "the default uplink (br-out) goes down"
ip -n gw link set br-out down
e2e_ping_lan client2 5
e2e_pass
