#!/usr/bin/env bash
# A gateway with no default route (only its connected networks): the client's virtual
# IP is routed along the path to the client's outer address (not "the default route"),
# so the LAN's replies reach it; the rest of the pool is unreachable, not leaked; the
# route goes with the session.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 1 --no-default-route
[ -z "$(ip -n gw route show default)" ] || e2e_fail "topology: the gateway has a default route"
e2e_gw_start --auth cert-eap-mschapv2 --users "alice:Correct-Horse-7"
e2e_client_up client1 --auth eap-mschapv2 --user alice --password Correct-Horse-7
vip=$(e2e_client_vip client1)
e2e_ping_lan client1 5
e2e_assert_esp_packets gw "$(e2e_client_address 1)"
if [ "$E2E_GATEWAY" != strongswan ]; then
  route=$(ip -n gw route show "$vip/32" proto 29)
  [[ "$route" == *"dev br-out"* ]] || e2e_fail "no route of ikev2d's for $vip toward br-out: '$route'"
  unleased=${E2E_POOL%.*/*}.200
  # `ip route get` of an address under an unreachable route: "No route to host".
  [[ "$(ip -n gw route get "$unleased" 2>&1)" == *"No route to host"* ]] ||
    e2e_fail "an unleased pool address is not unreachable: $(ip -n gw route get "$unleased" 2>&1)"
  if grep -q "default route" "$E2E_IKEV2D_DIR/ikev2d.log"; then
    e2e_fail "the gateway still looks for a default route: $(grep 'default route' "$E2E_IKEV2D_DIR/ikev2d.log" | head -1)"
  fi
  e2e_client_down client1
  e2e_wait_for 10 "the client's route to go" sh -c "[ -z \"\$(ip -n gw route show $vip/32 proto 29)\" ]" ||
    e2e_fail "the route for $vip stayed after the session: $(ip -n gw route show "$vip/32")"
fi
e2e_pass
