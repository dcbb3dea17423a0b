#!/usr/bin/env bash
# IKE and ESP over IPv6 outer addresses (issue 13): a strongSwan client dials the
# gateway's IPv6 address (the gateway listens on its IPv4 and IPv6 addresses), gets an
# IPv4 address of the pool and pings the IPv4 lan through ESP: IPv4 inside IPv6 tunnels.
# The gateway's ESP SAs are between the IPv6 addresses and carried the pings both ways,
# its policies' templates name them, and the client's address has its route.
# Usage (in the test VM): 25-ipv6-outer.sh <ikev2d binary | strongswan>
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 1 --ipv6
e2e_gw_start --auth cert-eap-mschapv2 --users "alice:Six-Over-Four-9"
client6=$(e2e_client_address6 1)
e2e_client_up client1 --auth eap-mschapv2 --user alice --password Six-Over-Four-9 --gw-address "$E2E_GW_OUT6"
vip=$(e2e_client_vip client1)
[[ "$vip" == "${E2E_POOL%.*/*}."* ]] || e2e_fail "the client's virtual IP '$vip' is not of the IPv4 pool $E2E_POOL"
e2e_ping_lan client1 5
e2e_assert_esp_packets gw "$client6"
e2e_assert_esp_packets client1 "$E2E_GW_OUT6"
# Only IPv6 tunnels: no SA between the IPv4 addresses.
sas=$(e2e_xfrm_sas gw)
[ "$(echo "$sas" | awk '$1 !~ /:/ || $2 !~ /:/' | grep -c . || true)" = 0 ] ||
  e2e_fail "the gateway has SAs with IPv4 outer addresses: $(echo "$sas" | tr '\n' ';')"
[ "$(echo "$sas" | grep -c .)" = 2 ] || e2e_fail "not one pair of ESP SAs: $(echo "$sas" | tr '\n' ';')"
tmpl=$(e2e_in gw ip xfrm policy | grep -c "tmpl src $client6 dst $E2E_GW_OUT6\|tmpl src $E2E_GW_OUT6 dst $client6" || true)
[ "$tmpl" = 3 ] || e2e_fail "the policies' templates do not name the IPv6 tunnel ends ($tmpl of 3): $(e2e_in gw ip xfrm policy | grep tmpl | tr '\n' ';')"
if [ "$E2E_GATEWAY" != strongswan ]; then
  [ "$(ip -n gw route show "$vip/32" proto 29 | wc -l)" = 1 ] || e2e_fail "no route of the gateway's to $vip"
  grep -q "listening on \[$E2E_GW_OUT6\]:500\|listening on $E2E_GW_OUT6:500" "$E2E_IKEV2D_DIR/ikev2d.log" ||
    e2e_fail "ikev2d did not log that it listens on $E2E_GW_OUT6"
fi
e2e_client_down client1
e2e_wait_for 15 "the gateway's SAs to go" sh -c "[ \"\$(ip -n gw xfrm state | grep -c '^src')\" = 0 ]" ||
  e2e_fail "the gateway kept SAs after the client left: $(e2e_xfrm_sas gw | tr '\n' ';')"
e2e_pass
