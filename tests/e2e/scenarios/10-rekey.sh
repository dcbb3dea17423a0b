#!/usr/bin/env bash
# The client rekeys its Child SA and then its IKE SA (CREATE_CHILD_SA): the tunnel keeps
# working on new SAs, and the gateway is left with just the new pair for that client.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 1
e2e_gw_start --auth cert-eap-mschapv2 --users "alice:Fresh-Keys-5"
# Child SA rekeys come at about +15, +31, +47 s: the IKE SA rekey at +38 s falls between
# them. At +30 s it met the second Child SA rekey in the same second, and strongSwan lost
# that Child SA ("not found for rekey"), let it expire and asked for a new one, which the
# gateway refuses (NO_ADDITIONAL_SAS; recreating a lost Child SA is part of the rekey issue).
e2e_client_up client1 --auth eap-mschapv2 --user alice --password Fresh-Keys-5 --rekey-child 15 --rekey-ike 38
peer=$(e2e_client_address 1)
e2e_ping_lan client1 3
before=$(e2e_xfrm_sas gw | awk -v p="$peer" '$1 == p || $2 == p {print $3}' | sort | tr '\n' ' ')
rekeyed() {
  local log
  log=$(e2e_charon_dir client1)/charon.log
  [ "$(grep -Ec 'CHILD_SA vpn\{[0-9]+\} established' "$log")" -ge 2 ] && grep -Eq 'IKE_SA vpn\[[0-9]+\] rekeyed' "$log"
}
e2e_wait_for 90 "the client to rekey its Child SA and its IKE SA" rekeyed ||
  e2e_fail "no Child and IKE SA rekey seen in the client's log: $(grep -E 'rekey|REKEY' "$(e2e_charon_dir client1)/charon.log" | tail -5 | tr '\n' ' ')"
e2e_ping_lan client1 3
settled() { [ "$(e2e_xfrm_state_count gw "$peer")" = 2 ]; }
e2e_wait_for 30 "the gateway to drop the old Child SA" settled ||
  e2e_fail "the gateway has $(e2e_xfrm_state_count gw "$peer") SAs for $peer after the rekey"
after=$(e2e_xfrm_sas gw | awk -v p="$peer" '$1 == p || $2 == p {print $3}' | sort | tr '\n' ' ')
[ "$before" != "$after" ] || e2e_fail "the gateway's SPIs did not change: $after"
# The client keeps rekeying its Child SA every 16 s: a fresh pair starts with no packets, so
# traffic and the look at the gateway's counters are retried together until they meet.
traffic_both_ways() {
  e2e_in client1 ping -c 3 -i 0.2 -W 3 -I "$(e2e_client_vip client1)" "$E2E_LAN_HOST" && e2e_esp_both_ways gw "$peer"
}
e2e_wait_for 40 "ESP in both directions on the gateway's current SAs" traffic_both_ways ||
  e2e_fail "gw: no ESP SA with packets in both directions for $peer: $(e2e_xfrm_sas gw | tr '\n' ';')"
e2e_pass
