#!/usr/bin/env bash
# A Libreswan client with PFS (pfs=yes; Libreswan 4.10 rekeys the Child SA with the IKE
# SA's group, here ECP-256) and a short salifetime rekeys its Child SA under a continuous
# ping (at most one ping lost), then its IKE SA (whack --rekey-ike), and the tunnel still
# carries traffic. Then the client deletes the IKE SA; a second connection is deleted by
# the gateway (ikectl disconnect). Each time, nothing is left in XFRM on either side. The
# gateway runs with its default PFS configuration ([ipsec_proposal] without pfs_groups).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 1
[ "$E2E_GATEWAY" = strongswan ] || e2e_ikev2d_private_bus
psk="e2e-libreswan-rekey-secret-of-some-length-29"
e2e_gw_start --auth psk --psk "$psk"
peer=$(e2e_client_address 1)
log=$(e2e_libreswan_dir client1)/pluto.log
gw_log=${E2E_IKEV2D_DIR:-/nonexistent}/ikev2d.log
# Each Child SA is rekeyed 16 s after it was made (salifetime - rekeymargin, no fuzz):
# time enough for the updown script on a busy host, which can take seconds.
e2e_libreswan_up client1 --auth psk --psk "$psk" --ike aes_gcm256-sha2_256-dh19 \
  --esp aes_gcm256-null --salifetime 30s --rekeymargin 14s
vip=$(e2e_client_vip client1)
spis_before=$(e2e_xfrm_sas gw | awk -v p="$peer" '$1 == p || $2 == p {print $3}' | sort | tr '\n' ' ')

# 1. Child SA rekey with PFS under traffic: 2 pings a second for 25 s around it. (The
# gateway switches to its new outbound SA as soon as it answers the rekey, a fraction of
# a second before the client has the matching inbound SA: a ping in that window is lost.
# Known, to be fixed by installing the responder's outbound SA when the old one is
# deleted; at 2 pings a second the window holds at most one.)
e2e_in client1 ping -i 0.5 -c 50 -W 1 -I "$vip" "$E2E_LAN_HOST" > "$E2E_DIR/ping-rekey.log" 2>&1 &
ping_pid=$!
child_sas_made() { grep -E '(established|rekeyed) Child SA' "$log" | grep -vc deleting || true; }
child_rekeyed() { [ "$(child_sas_made)" -ge 2 ]; }
if ! e2e_wait_for 25 "the Child SA rekey" child_rekeyed; then
  kill "$ping_pid" 2>/dev/null || true
  e2e_fail "no Child SA rekey with PFS: client: $(grep -E 'CREATE_CHILD_SA|NO_PROPOSAL| rekey' "$log" | head -3 | tr '\n' ' ') gateway: $(grep -E 'rekey|ESP proposal' "$gw_log" 2>/dev/null | head -2 | tr '\n' ' ')"
fi
rekey_line=$(grep -E '(established|rekeyed) Child SA' "$log" | grep -v deleting | tail -1)
echo "$rekey_line" | grep -Eq 'xfrm=[^ ]*-(DH19|ECP_256) ' ||
  e2e_fail "the rekeyed Child SA has no PFS with ECP-256: $rekey_line"
wait "$ping_pid" || true
sent=$(grep -o '[0-9]* packets transmitted' "$E2E_DIR/ping-rekey.log" | awk '{print $1}')
got=$(grep -o '[0-9]* received' "$E2E_DIR/ping-rekey.log" | awk '{print $1}')
[ -n "$sent" ] && [ "$(( sent - ${got:-0} ))" -le 1 ] ||
  e2e_fail "pings lost across the Child SA rekey: ${got:-0} of ${sent:-?} answered"
e2e_log "Child SA rekeyed with PFS under traffic: $got of $sent pings answered"
settled() { [ "$(e2e_xfrm_state_count gw "$peer")" = 2 ]; }
e2e_wait_for 15 "the gateway to drop the old Child SA" settled ||
  e2e_fail "the gateway has $(e2e_xfrm_state_count gw "$peer") SAs for $peer after the rekey"
spis_after=$(e2e_xfrm_sas gw | awk -v p="$peer" '$1 == p || $2 == p {print $3}' | sort | tr '\n' ' ')
[ "$spis_before" != "$spis_after" ] || e2e_fail "the gateway's SPIs did not change: $spis_after"

# 2. IKE SA rekey (the Child SAs move to the new IKE SA).
e2e_libreswan_rekey client1 ike
ike_rekeyed() { [ "$(e2e_libreswan_log_count client1 'established IKE SA|rekeyed IKE SA')" -ge 2 ]; }
e2e_wait_for 20 "the IKE SA rekey" ike_rekeyed ||
  e2e_fail "no IKE SA rekey: $(grep -E 'IKE SA|CREATE_CHILD_SA' "$log" | tail -2 | tr '\n' ' ')"
e2e_ping_lan client1 3
e2e_assert_esp_packets gw "$peer"

# nothing_left NS...: no ESP SA and no policy that sends through IPsec in those namespaces.
nothing_left() {
  local ns
  for ns in "$@"; do
    [ "$(e2e_xfrm_state_count "$ns")" = 0 ] && [ "$(e2e_xfrm_tmpl_policy_count "$ns")" = 0 ] || return 1
  done
}
xfrm_left() {
  local ns
  for ns in gw client1; do
    printf '%s: %s SAs, %s IPsec policies; ' "$ns" "$(e2e_xfrm_state_count "$ns")" "$(e2e_xfrm_tmpl_policy_count "$ns")"
  done
}

# 3. Delete from the client.
e2e_libreswan_down client1
e2e_wait_for 15 "both sides to remove the SAs and policies" nothing_left gw client1 ||
  e2e_fail "after the client's Delete, XFRM still holds: $(xfrm_left)"
e2e_log "client Delete: nothing left in XFRM ($(xfrm_left))"

# 4. A second connection, deleted by the gateway. rekey=no: else pluto revives it at once.
[ "$E2E_GATEWAY" = strongswan ] && e2e_pass   # the gateway-side Delete needs ikectl
e2e_libreswan_up client1 --auth psk --psk "$psk" --ike aes_gcm256-sha2_256-dh19 --esp aes_gcm256-null --no-rekey
e2e_ping_lan client1 3
# The gateway names a PSK client by its identity.
e2e_ikectl disconnect user client1.ikev2d.test > "$E2E_DIR/ikectl-disconnect.txt" 2>&1 ||
  e2e_fail "ikectl disconnect user client1.ikev2d.test failed: $(cat "$E2E_DIR/ikectl-disconnect.txt")"
# The client's SAs (8 h lifetime, no rekey) can only go because it took the Delete.
e2e_wait_for 15 "both sides to remove the SAs and policies" nothing_left gw client1 ||
  e2e_fail "after the gateway's Delete, XFRM still holds: $(xfrm_left)"
e2e_log "gateway Delete: nothing left in XFRM ($(xfrm_left))"
e2e_pass
