#!/usr/bin/env bash
# RFC 5685 redirect between two ikev2d gateways. Gateway B is the usual one (namespace gw,
# 192.0.2.1, with the lan behind it); gateway A (namespace gwa, 192.0.2.2 on the same
# outside network, nothing behind it) has [redirect] gateways = ["192.0.2.1"] and
# max_sessions = 1. strongSwan clients dial A (they announce REDIRECT_SUPPORTED, as
# charon.follow_redirects is on by default):
#  - client2 first: A is below its limit and serves it;
#  - client1 next: A is full and answers its IKE_SA_INIT with REDIRECT; client1 ends up
#    connected to B and pings the lan through it (the only way there is B's ESP);
#  - `ikectl redirect <client2's session> 192.0.2.1` on A: an INFORMATIONAL with
#    REDIRECT; client2 moves to B, pings through it, and A is left with no SA.
# ikev2d-only (two ikev2d daemons). Two gateways and two charons take long under TCG:
# e2e-timeout: 600
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
[ "$E2E_GATEWAY" != strongswan ] || e2e_fail "two ikev2d gateways; no strongSwan-gateway variant"
e2e_topology --clients 2
psk="e2e-redirect-secret-of-some-length-23"
gw_a=192.0.2.2
gw_b=$E2E_GW_OUT

# Gateway B: the harness's gateway, no D-Bus (the guest has no system bus).
e2e_gw_start --auth psk --psk "$psk"
gw_b_dir=$E2E_IKEV2D_DIR

# Gateway A in its own namespace (its kernel state and flush at start stay apart from B's).
e2e_netns_add gwa
ip link add gwa-out netns gw type veth peer name eth0 netns gwa
ip -n gw link set gwa-out master br-out up
ip -n gwa addr add "$gw_a/24" dev eth0
ip -n gwa link set eth0 up
e2e_wait_for 10 "client1 to reach gateway A in clear" e2e_in client1 ping -c1 -W1 "$gw_a" ||
  e2e_fail "client1 cannot reach $gw_a"
e2e_ikev2d_private_bus
gw_a_dir=$E2E_DIR/gw-a-ikev2d
mkdir -p "$gw_a_dir/state"
sed -e "s|^listen = .*|listen = [\"$gw_a\"]|" -e "s|^state_dir = .*|state_dir = \"$gw_a_dir/state\"|" \
    -e "s|^range = .*|range = \"203.0.113.128/25\"|" "$gw_b_dir/ikev2d.conf" > "$gw_a_dir/ikev2d.conf"
cat >> "$gw_a_dir/ikev2d.conf" <<TOML

[redirect]
gateways = ["$gw_b"]
max_sessions = 1
when = "sa_init"
TOML
chmod 600 "$gw_a_dir/ikev2d.conf"
# shellcheck disable=SC2086 # the debug flags are meant to split
ip netns exec gwa env DBUS_SYSTEM_BUS_ADDRESS="$E2E_IKEV2D_BUS" "$E2E_GATEWAY" --config "$gw_a_dir/ikev2d.conf" \
  --state-dir "$gw_a_dir/state" $E2E_IKEV2D_DEBUG > "$gw_a_dir/ikev2d.log" 2>&1 &
gw_a_pid=$!
e2e_track "$gw_a_pid"
e2e_wait_for 60 "gateway A to listen on UDP 500" sh -c "ip netns exec gwa ss -Hulnp 'sport = :500' | grep -q ." ||
  e2e_fail "gateway A does not listen (log: $gw_a_dir/ikev2d.log)"
e2e_wait_for 30 "gateway A on the D-Bus" e2e_ikectl show stats >/dev/null 2>&1 ||
  e2e_fail "gateway A is not on its D-Bus (log: $gw_a_dir/ikev2d.log)"
e2e_log "gateway A: ikev2d on $gw_a, redirecting to $gw_b from 1 session on"

remote_of() {  # the gateway address the client's IKE SA is with
  e2e_swanctl "$1" --list-sas --raw 2>/dev/null | grep -o 'remote-host=[^ ]*' | head -1 | cut -d= -f2
}
a_sas() { e2e_ikectl --json show sa | grep -o '"tunnel_id": *[0-9]*' | grep -o '[0-9]*$' || true; }

# client2: served by A (0 sessions there).
e2e_client_up client2 --auth psk --psk "$psk" --id client2@ikev2d.test --gw-address "$gw_a"
[ "$(remote_of client2)" = "$gw_a" ] || e2e_fail "client2 should be connected to A, is with '$(remote_of client2)'"
[ "$(a_sas | wc -l)" = 1 ] || e2e_fail "gateway A should hold client2's IKE SA"

# client1: A is full, redirects it in IKE_SA_INIT; it connects to B and pings through B.
e2e_client_up client1 --auth psk --psk "$psk" --id client1@ikev2d.test --gw-address "$gw_a"
grep -q "IKE_SA_INIT from $(e2e_client_address 1):500 redirected to $gw_b" "$gw_a_dir/ikev2d.log" ||
  e2e_fail "gateway A did not redirect client1 in IKE_SA_INIT"
e2e_client_log_has client1 "redirected to $gw_b" || e2e_fail "client1 did not follow the REDIRECT"
[ "$(remote_of client1)" = "$gw_b" ] || e2e_fail "client1 should end up with B, is with '$(remote_of client1)'"
e2e_ping_lan client1
e2e_assert_esp_packets gw "$(e2e_client_address 1)"
[ "$(a_sas | wc -l)" = 1 ] || e2e_fail "gateway A kept state for the redirected client1"

# Live redirect of client2 from A to B (RFC 5685 6).
session=$(a_sas | head -1)
out=$(e2e_ikectl redirect "$session" "$gw_b") || e2e_fail "ikectl redirect $session $gw_b failed: $out"
e2e_log "gateway A: $out"
moved() { [ "$(remote_of client2)" = "$gw_b" ]; }
e2e_wait_for 60 "client2 to move to B" moved || e2e_fail "client2 did not move to B (with '$(remote_of client2)')"
e2e_ping_lan client2   # only B's ESP leads to the lan (lib/topology.sh)
a_empty() { [ -z "$(a_sas)" ] && [ "$(ip netns exec gwa ip xfrm state | grep -c '^src')" = 0 ]; }
e2e_wait_for 30 "gateway A to drop client2's old SA" a_empty ||
  e2e_fail "gateway A still holds $(a_sas | wc -l) IKE SA(s) after the redirect"
kill -0 "$gw_a_pid" 2>/dev/null || e2e_fail "gateway A died"
e2e_pass
