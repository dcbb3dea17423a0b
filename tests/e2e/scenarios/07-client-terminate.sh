#!/usr/bin/env bash
# The client terminates (sends a Delete): the gateway removes that client's SAs and policies.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 1
e2e_gw_start --auth cert-eap-mschapv2 --users "alice:Leaving-Soon-3"
e2e_client_up client1 --auth eap-mschapv2 --user alice --password Leaving-Soon-3
vip=$(e2e_client_vip client1)
peer=$(e2e_client_address 1)
e2e_ping_lan client1
[ "$(e2e_xfrm_state_count gw "$peer")" -ge 2 ] || e2e_fail "expected an inbound and an outbound SA for $peer"
[ "$(e2e_xfrm_policy_count gw "$vip")" -ge 2 ] || e2e_fail "expected policies for $vip on the gateway"
e2e_client_down client1
gone() { [ "$(e2e_xfrm_state_count gw "$peer")" = 0 ] && [ "$(e2e_xfrm_policy_count gw "$vip")" = 0 ]; }
e2e_wait_for 15 "the gateway to remove the client's SAs and policies" gone ||
  e2e_fail "after the Delete, the gateway still has $(e2e_xfrm_state_count gw "$peer") SAs and $(e2e_xfrm_policy_count gw "$vip") policies"
e2e_pass
