#!/usr/bin/env bash
# An IPv6-only pool (issue 13): the group's pool is IPv6 ([pool.v6] range =
# "2001:db8:8::/120", local_networks = the lan's IPv6 network); a strongSwan client asks
# for an IPv6 address (vips = ::) and the lan's IPv6 network, gets an address of that
# pool (INTERNAL_IP6_ADDRESS) and pings the lan host's IPv6 address through ESP (IPv6
# inside an IPv4 tunnel). The gateway switched IPv6 forwarding on, routes the client's
# address (/128), and takes both back when the client leaves and at its stop.
# Usage (in the test VM): 26-ipv6-pool.sh <ikev2d binary | strongswan>
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 1 --ipv6
e2e_gw_start --auth cert-eap-mschapv2 --users "alice:Only-Six-Pool-3" --pools v6
e2e_client_up client1 --auth eap-mschapv2 --user alice --password Only-Six-Pool-3 --vips "::" --remote-ts "$E2E_LAN_NET6"
vips=$(e2e_client_vips client1)
vip6=$(e2e_client_vip6 client1)
[[ "$vip6" == 2001:db8:8::* ]] || e2e_fail "the client's IPv6 address '$vip6' is not of the pool $E2E_POOL6 (it has: $vips)"
[ "$vips" = "$vip6" ] || e2e_fail "the client got more than its IPv6 address: $vips"
e2e_ping_lan6 client1 5
e2e_assert_esp_packets gw "$(e2e_client_address 1)"
e2e_assert_esp_packets client1 "$E2E_GW_OUT"
[ "$(e2e_xfrm_state_count gw)" = 2 ] || e2e_fail "not one pair of ESP SAs: $(e2e_xfrm_sas gw | tr '\n' ';')"
[ "$(e2e_xfrm_policy_count gw "$vip6")" = 3 ] ||
  e2e_fail "not three policies (out, in, fwd) for $vip6/128: $(e2e_in gw ip xfrm policy | grep '^src' | tr '\n' ';')"
if [ "$E2E_GATEWAY" != strongswan ]; then
  [ "$(e2e_in gw sysctl -n net.ipv6.conf.all.forwarding)" = 1 ] || e2e_fail "ikev2d did not switch IPv6 forwarding on"
  [ "$(ip -n gw -6 route show "$vip6/128" proto 29 | wc -l)" = 1 ] || e2e_fail "no route of the gateway's to $vip6/128"
fi
e2e_client_down client1
e2e_wait_for 15 "the gateway's SAs to go" sh -c "[ \"\$(ip -n gw xfrm state | grep -c '^src')\" = 0 ]" ||
  e2e_fail "the gateway kept SAs after the client left: $(e2e_xfrm_sas gw | tr '\n' ';')"
if [ "$E2E_GATEWAY" != strongswan ]; then
  [ "$(ip -n gw -6 route show "$vip6/128" proto 29 | wc -l)" = 0 ] || e2e_fail "the route to $vip6 stayed after the client left"
  e2e_gw_stop
  [ "$(e2e_in gw sysctl -n net.ipv6.conf.all.forwarding)" = 0 ] || e2e_fail "IPv6 forwarding stayed on after ikev2d stopped"
  e2e_log "IPv6 forwarding back to 0 after the stop"
fi
e2e_pass
