#!/usr/bin/env bash
# EAP through a real FreeRADIUS (issue 12): the gateway relays EAP-MSCHAPv2 to the server
# (the first configured server is down: it fails over to the second), uses its
# Framed-IP-Address, sends accounting Start/Stop (the server's detail file shows the octets),
# ends a session on the server's Disconnect-Request within 2 s, refuses a wrong password
# with nothing left behind, and refuses cleanly when no server answers while the
# sessions already up keep working.
# Usage (in the test VM): 20-radius-eap.sh <ikev2d binary>
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../../aaa/freeradius.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
[ "$E2E_GATEWAY" != strongswan ] || e2e_fail "RADIUS relay is ikev2d's configuration; no strongSwan-gateway variant"
e2e_topology --clients 3
secret="e2e-radius-$RANDOM$RANDOM"
radius_dir=$E2E_DIR/freeradius
radius_host=$E2E_LAN_HOST
FREERADIUS_NETNS=lan FREERADIUS_ALICE_IP=203.0.113.77 \
  freeradius_start "$radius_dir" 1812 "$secret" "$radius_host" "$E2E_GW_IN" || e2e_fail "FreeRADIUS did not start"
e2e_track "$(cat "$radius_dir/pid")"
# "dead" is an address nobody has: every request to it times out, then goes to "main".
e2e_gw_start --auth radius-eap --radius "dead=198.51.100.99:1812:$secret main=$radius_host:1812:$secret"

e2e_client_up client1 --auth eap-mschapv2 --user alice --password alice-pw
vip1=$(e2e_client_vip client1)
[ "$vip1" = 203.0.113.77 ] || e2e_fail "alice got $vip1, not the server's Framed-IP-Address 203.0.113.77"
e2e_ping_lan client1 5
grep -q 'Received Access-Request' "$radius_dir/radiusd.log" || e2e_fail "FreeRADIUS saw no Access-Request"

# A wrong password: refused, no SA, no address held.
if e2e_client_up client2 --auth eap-mschapv2 --user bob --password not-bobs --expect-fail; then
  e2e_fail "a wrong password was accepted"
fi
[ "$(e2e_xfrm_state_count gw "$(e2e_client_address 2)")" = 0 ] || e2e_fail "the gateway has ESP SAs for the refused client"
[ "$(e2e_gw_pool_addresses_in_policies)" = "$vip1" ] ||
  e2e_fail "policies for other addresses than alice's: $(e2e_gw_pool_addresses_in_policies | tr '\n' ' ')"

# Disconnect-Request from the server (radclient in the lan namespace) ends bob's session.
e2e_client_up client3 --auth eap-mschapv2 --user bob --password bob-pw
peer3=$(e2e_client_address 3)
[ "$(e2e_xfrm_state_count gw "$peer3")" -ge 2 ] || e2e_fail "bob has no ESP SAs"
answer=$(printf 'User-Name = "bob"\n' | ip netns exec lan radclient -r 1 -t 3 -x "$E2E_GW_IN:3799" disconnect "$secret" 2>&1 || true)
echo "$answer" > "$E2E_DIR/radclient-disconnect.txt"
grep -q 'Received Disconnect-ACK' <<<"$answer" || e2e_fail "no Disconnect-ACK from the gateway: $(tr '\n' ' ' <<<"$answer")"
bob_gone() { [ "$(e2e_xfrm_state_count gw "$peer3")" = 0 ]; }
e2e_wait_for 2 "bob's SAs to go after the Disconnect-Request" bob_gone || e2e_fail "bob's session is still up 2 s after the Disconnect-ACK"
e2e_ping_lan client1 2

# Accounting: alice leaves; the detail file has her Start and her Stop with octets.
e2e_client_down client1
# The detail file is one record per paragraph; wait for alice's Stop record.
alice_stop() { cat "$radius_dir"/log/radacct/*/detail-* 2>/dev/null | awk -v RS= '/Acct-Status-Type = Stop/ && /User-Name = "alice"/'; }
stop_seen() { [ -n "$(alice_stop)" ]; }
e2e_wait_for 30 "alice's accounting Stop" stop_seen || e2e_fail "no accounting Stop for alice in FreeRADIUS's detail file"
detail=$(cat "$radius_dir"/log/radacct/*/detail-*)
grep -q 'Acct-Status-Type = Start' <<<"$detail" || e2e_fail "no accounting Start"
stop_record=$(alice_stop)
octets=$(awk '/Acct-Input-Octets/ {print $3; exit}' <<<"$stop_record")
[ -n "$octets" ] && [ "$octets" -gt 0 ] || e2e_fail "alice's Stop has no input octets ('$octets')"
grep -q 'Acct-Terminate-Cause = User-Request' <<<"$stop_record" || e2e_fail "alice's Stop is not User-Request"
grep -q 'Framed-IP-Address = 203.0.113.77' <<<"$detail" || e2e_fail "the records lack alice's Framed-IP-Address"

# No server answers: a new login is refused, bounded in time; alice's new session is unaffected.
e2e_client_up client1 --auth eap-mschapv2 --user alice --password alice-pw
freeradius_stop "$radius_dir"
started=$(date +%s)
if e2e_client_up client2 --auth eap-mschapv2 --user bob --password bob-pw --expect-fail; then
  e2e_fail "a login went through with no RADIUS server"
fi
[ $(( $(date +%s) - started )) -lt 60 ] || e2e_fail "the refusal took more than 60 s"
e2e_ping_lan client1 3
e2e_ikev2d_alive || e2e_fail "ikev2d died"
e2e_pass
