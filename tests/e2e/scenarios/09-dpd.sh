#!/usr/bin/env bash
# A client that vanishes without a Delete (charon killed with SIGKILL) is found dead by the
# gateway's DPD and its SAs and policies are removed within the configured time.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 1
interval=3 retries=2
e2e_gw_start --auth cert-eap-mschapv2 --users "alice:Gone-Without-Bye" --dpd "$interval:$retries"
e2e_client_up client1 --auth eap-mschapv2 --user alice --password Gone-Without-Bye
vip=$(e2e_client_vip client1)
peer=$(e2e_client_address 1)
e2e_ping_lan client1
e2e_charon_kill client1
killed=$(date +%s)
# The interval, then retransmits with a 1 s base doubling per try, plus slack for TCG.
limit=$(( interval + (1 << (retries + 1)) + 20 ))
gone() { [ "$(e2e_xfrm_state_count gw "$peer")" = 0 ] && [ "$(e2e_xfrm_policy_count gw "$vip")" = 0 ]; }
e2e_wait_for "$limit" "DPD to clean up the dead client" gone ||
  e2e_fail "${limit}s after the client died the gateway still has $(e2e_xfrm_state_count gw "$peer") SAs and $(e2e_xfrm_policy_count gw "$vip") policies for it"
e2e_log "DPD removed the dead client after $(( $(date +%s) - killed ))s"
e2e_pass
