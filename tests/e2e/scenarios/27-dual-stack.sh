#!/usr/bin/env bash
# A dual-stack client (issue 13): the group has an IPv4 pool and an IPv6 pool
# (ipv6_pool) and both lan networks; a strongSwan client asks for one address of each
# (vips = 0.0.0.0, ::) and both lan networks, gets one of each pool, and pings the lan
# host's IPv4 and IPv6 addresses through ONE Child SA: the gateway has one pair of ESP
# SAs, each of which carried both pings, and policies for both addresses with the same
# reqid. Both client routes go when the client leaves.
# Usage (in the test VM): 27-dual-stack.sh <ikev2d binary | strongswan>
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 1 --ipv6
e2e_gw_start --auth cert-eap-mschapv2 --users "alice:Both-Stacks-8" --pools dual
e2e_client_up client1 --auth eap-mschapv2 --user alice --password Both-Stacks-8 --vips "0.0.0.0, ::" \
  --remote-ts "$E2E_LAN_NET, $E2E_LAN_NET6"
vip=$(e2e_client_vip client1) vip6=$(e2e_client_vip6 client1)
[[ "$vip" == "${E2E_POOL%.*/*}."* ]] || e2e_fail "the client's IPv4 address '$vip' is not of $E2E_POOL ($(e2e_client_vips client1))"
[[ "$vip6" == 2001:db8:8::* ]] || e2e_fail "the client's IPv6 address '$vip6' is not of $E2E_POOL6 ($(e2e_client_vips client1))"
e2e_ping_lan client1 5
e2e_ping_lan6 client1 5
client=$(e2e_client_address 1)
e2e_assert_esp_packets gw "$client"
sas=$(e2e_xfrm_sas gw)
[ "$(echo "$sas" | grep -c .)" = 2 ] || e2e_fail "not ONE pair of ESP SAs (one Child SA): $(echo "$sas" | tr '\n' ';')"
# Each SA carried both pings (5 + 5 packets at least, each way).
[ "$(echo "$sas" | awk '$4 >= 10' | wc -l)" = 2 ] || e2e_fail "an SA did not carry both families' pings: $(echo "$sas" | tr '\n' ';')"
[ "$(e2e_xfrm_policy_count gw "$vip")" = 3 ] && [ "$(e2e_xfrm_policy_count gw "$vip6")" = 3 ] ||
  e2e_fail "not three policies for each of $vip and $vip6: $(e2e_in gw ip xfrm policy | grep '^src' | tr '\n' ';')"
reqids=$(e2e_in gw ip xfrm policy | grep -o 'reqid [0-9]*' | sort -u | wc -l)
[ "$reqids" = 1 ] || e2e_fail "the policies name $reqids reqids, not one Child SA's: $(e2e_in gw ip xfrm policy | grep -o 'reqid [0-9]*' | sort -u | tr '\n' ' ')"
e2e_log "one Child SA: $(echo "$sas" | awk '{printf "%s>%s spi %s %s pkts; ", $1, $2, $3, $4}')"
if [ "$E2E_GATEWAY" != strongswan ]; then
  [ "$(e2e_in gw sysctl -n net.ipv4.ip_forward) $(e2e_in gw sysctl -n net.ipv6.conf.all.forwarding)" = "1 1" ] ||
    e2e_fail "ikev2d did not switch forwarding on for both families"
  [ "$(ip -n gw route show "$vip/32" proto 29 | wc -l)" = 1 ] || e2e_fail "no route of the gateway's to $vip"
  [ "$(ip -n gw -6 route show "$vip6/128" proto 29 | wc -l)" = 1 ] || e2e_fail "no route of the gateway's to $vip6"
fi
e2e_client_down client1
e2e_wait_for 15 "the gateway's SAs to go" sh -c "[ \"\$(ip -n gw xfrm state | grep -c '^src')\" = 0 ]" ||
  e2e_fail "the gateway kept SAs after the client left: $(e2e_xfrm_sas gw | tr '\n' ';')"
if [ "$E2E_GATEWAY" != strongswan ]; then
  [ "$(ip -n gw route show proto 29 | grep -c "^$vip ")" = 0 ] && [ "$(ip -n gw -6 route show proto 29 | grep -c "^$vip6 ")" = 0 ] ||
    e2e_fail "client routes stayed after the client left: $(ip -n gw route show proto 29; ip -n gw -6 route show proto 29)"
fi
e2e_pass
