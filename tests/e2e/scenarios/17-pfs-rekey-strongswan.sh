#!/usr/bin/env bash
# A strongSwan client whose ESP proposal asks for PFS (aes256gcm16-ecp256) keeps its tunnel
# across a forced Child SA rekey (swanctl --rekey --child): the gateway, with its default
# configuration, accepts the KE and installs new SAs, and traffic flows on them.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 1
e2e_gw_start --auth cert-eap-mschapv2 --users "alice:Forward-Secret-8"
e2e_client_up client1 --auth eap-mschapv2 --user alice --password Forward-Secret-8 --esp-proposals aes256gcm16-ecp256
peer=$(e2e_client_address 1)
clog=$(e2e_charon_dir client1)/charon.log
e2e_ping_lan client1 3
before=$(e2e_xfrm_sas gw | awk -v p="$peer" '$1 == p || $2 == p {print $3}' | sort | tr '\n' ' ')
e2e_swanctl client1 --rekey --child vpn > "$E2E_DIR/rekey.log" 2>&1 ||
  e2e_fail "swanctl --rekey failed: $(tail -2 "$E2E_DIR/rekey.log" | tr '\n' ' ')"
rekeyed() { [ "$(grep -Ec 'CHILD_SA vpn\{[0-9]+\} established' "$clog")" -ge 2 ]; }
e2e_wait_for 30 "the Child SA rekey" rekeyed ||
  e2e_fail "the Child SA rekey with PFS failed: client: $(grep -E 'NO_PROPOSAL|INVALID_KE|rekey' "$clog" | tail -2 | tr '\n' ' ') gateway: $(grep -E 'rekey|ESP proposal' "${E2E_IKEV2D_DIR:-/nonexistent}/ikev2d.log" 2>/dev/null | tail -2 | tr '\n' ' ')"
e2e_client_log_has client1 'selected proposal: ESP:AES_GCM_16_256/ECP_256' ||
  e2e_fail "the rekeyed Child SA did not use PFS with ECP-256: $(grep 'selected proposal: ESP' "$clog" | tail -1)"
settled() { [ "$(e2e_xfrm_state_count gw "$peer")" = 2 ]; }
e2e_wait_for 30 "the gateway to drop the old Child SA" settled ||
  e2e_fail "the gateway has $(e2e_xfrm_state_count gw "$peer") SAs for $peer after the rekey"
after=$(e2e_xfrm_sas gw | awk -v p="$peer" '$1 == p || $2 == p {print $3}' | sort | tr '\n' ' ')
[ "$before" != "$after" ] || e2e_fail "the gateway's SPIs did not change: $after"
e2e_ping_lan client1 5
e2e_assert_esp_packets gw "$peer"
e2e_assert_esp_packets client1 "$E2E_GW_OUT"
e2e_pass
