#!/usr/bin/env bash
# The client behind a masquerading NAT: both ends detect it, IKE moves to port 4500, ESP
# is UDP-encapsulated (the gateway's SAs show encap espinudp), the ping works.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 1 --nat
e2e_gw_start --auth cert-eap-mschapv2 --users "alice:Behind-The-Nat-9"
e2e_client_up client1 --auth eap-mschapv2 --user alice --password Behind-The-Nat-9
e2e_client_log_has client1 "local host is behind NAT" || e2e_fail "the client did not detect the NAT"
e2e_client_log_has client1 "\[4500\]" || e2e_fail "the client never used port 4500"
e2e_ping_lan client1
encaps=$(e2e_xfrm_encaps gw)
[ "$encaps" = "espinudp " ] || e2e_fail "gateway SAs are not all UDP-encapsulated: '$encaps'"
e2e_in gw ip xfrm state | grep -q "encap type espinudp sport 4500 dport [0-9]*" ||
  e2e_fail "no espinudp encapsulation from port 4500 on the gateway"
# Behind the NAT the gateway sees the NAT's outside address as the peer.
e2e_assert_esp_packets gw "$E2E_NAT_OUT"
e2e_pass
