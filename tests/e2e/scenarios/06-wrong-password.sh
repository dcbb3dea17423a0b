#!/usr/bin/env bash
# A wrong password gets AUTHENTICATION_FAILED and leaves nothing behind on the gateway
# (no SAs, no policies, no address lease), while a session that is already up keeps working.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 2
e2e_gw_start --auth cert-eap-mschapv2 --users "bob:Bobs-Good-Pass alice:Alices-Real-Pass"
e2e_client_up client1 --auth eap-mschapv2 --user bob --password Bobs-Good-Pass
vip1=$(e2e_client_vip client1)
e2e_ping_lan client1

if e2e_client_up client2 --auth eap-mschapv2 --user alice --password Not-Alices-Pass --expect-fail; then
  e2e_fail "a wrong password was accepted"
fi
# The gateway says no either with AUTHENTICATION_FAILED in IKE_AUTH (after EAP-Failure) or
# inside EAP-MSCHAPv2 (Failure Request, E=691), after which the client itself sends AUTH_FAILED.
e2e_client_log_has client2 "received AUTHENTICATION_FAILED|EAP-MS-CHAPv2 failed with error ERROR_AUTHENTICATION_FAILURE" ||
  e2e_fail "the client was not told AUTHENTICATION_FAILED (nor an MSCHAPv2 authentication failure)"
e2e_client_log_has client2 "CHILD_SA .* established" && e2e_fail "the rejected client has a CHILD_SA"
peer2=$(e2e_client_address 2)
[ "$(e2e_xfrm_state_count gw "$peer2")" = 0 ] || e2e_fail "the gateway has ESP SAs for the rejected client"
[ "$(e2e_gw_pool_addresses_in_policies)" = "$vip1" ] ||
  e2e_fail "the gateway's policies name pool addresses other than bob's $vip1: $(e2e_gw_pool_addresses_in_policies | tr '\n' ' ')"
if [ "$E2E_GATEWAY" = strongswan ]; then
  [ "$(e2e_gw_strongswan_leases)" = 1 ] || e2e_fail "the pool holds $(e2e_gw_strongswan_leases) leases, expected 1"
fi
# TODO(ikectl): check the lease count through `ikectl show sessions --json` once it exists.

e2e_ping_lan client1
e2e_assert_esp_packets gw "$(e2e_client_address 1)"
e2e_pass
