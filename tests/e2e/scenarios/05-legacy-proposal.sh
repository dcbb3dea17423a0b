#!/usr/bin/env bash
# A client offering only AES-CBC/SHA1/MODP-1024 is refused with NO_PROPOSAL_CHOSEN by
# default, and accepted once the gateway configuration allows the legacy algorithms.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 1
legacy=(--ike-proposals aes128-sha1-modp1024 --esp-proposals aes128-sha1)
e2e_gw_start --auth cert-eap-mschapv2 --users "dave:Old-Client-2009"
if e2e_client_up client1 --auth eap-mschapv2 --user dave --password Old-Client-2009 "${legacy[@]}" --expect-fail; then
  e2e_fail "the legacy-only client was accepted by the default configuration"
fi
e2e_client_log_has client1 "received NO_PROPOSAL_CHOSEN" || e2e_fail "the client did not receive NO_PROPOSAL_CHOSEN"
[ "$(e2e_xfrm_state_count gw)" = 0 ] || e2e_fail "the refused client left ESP SAs on the gateway"

e2e_gw_stop
e2e_gw_start --auth cert-eap-mschapv2 --users "dave:Old-Client-2009" --legacy
e2e_client_up client1 --auth eap-mschapv2 --user dave --password Old-Client-2009 "${legacy[@]}"
e2e_client_log_has client1 "selected proposal: IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024" ||
  e2e_fail "the IKE SA did not use AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024"
e2e_ping_lan client1
e2e_assert_esp_packets gw "$(e2e_client_address 1)"
e2e_pass
