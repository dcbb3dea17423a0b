# The test network, all in namespaces (documentation/test address ranges only):
#
#   client<N> 192.0.2.(10+N)/24 --+
#                                  +-- br-out: gw 192.0.2.1/24 | gw 198.51.100.1/24 -- lan 198.51.100.10/24
#   nat 192.0.2.254 (masquerade) --+
#     \-- br-in 198.18.0.1/24 -- client<N> 198.18.0.(10+N)/24     (with --nat)
#   client<N> 198.19.0.(10+N)/24 -- br-out2: gw 198.19.0.1/24    (with --uplink2 N: a
#                                  second outside network, not the default route's)
#
# The gateway's default route is via 192.0.2.254 on br-out, unless --no-default-route
# (then it reaches only its connected networks). --strict-rpf turns on strict
# reverse-path filtering on the gateway (rp_filter = 1), as hardened hosts have it.
#
# The VPN pool ($E2E_POOL, 203.0.113.0/24 unless the scenario changes it) is routed from
# the lan host via the gateway. Clients have no route to the lan: the only way there is
# the tunnel. The gateway drops forwarded outside->lan packets that did not arrive
# through IPsec, so a ping can only succeed through ESP.
#
# With --ipv6 (no NAT, no second uplink) the outside network and the lan also carry IPv6
# (documentation range 2001:db8::/32, added with nodad and DAD off, so usable at once):
#   client<N> 2001:db8:0:1::(10+N)/64 -- br-out: gw 2001:db8:0:1::1/64 | gw 2001:db8:51::1/64
#                                               -- lan 2001:db8:51::10/64
# The lan host's IPv6 default route points at the gateway (so it reaches the IPv6 pool,
# $E2E_POOL6); the forward filter below is an inet table: it drops IPv6 that did not come
# through IPsec too.

E2E_GW_OUT=192.0.2.1
E2E_GW_IN=198.51.100.1
E2E_LAN_NET=198.51.100.0/24
E2E_LAN_HOST=198.51.100.10
E2E_NAT_OUT=192.0.2.254
E2E_NAT_INNER_NET=198.18.0.0/24     # RFC 2544 benchmarking range
E2E_NAT_INNER_GW=198.18.0.1
E2E_POOL=${E2E_POOL:-203.0.113.0/24}
E2E_GW_OUT2=198.19.0.1             # RFC 2544 benchmarking range, the second uplink
E2E_GW_OUT6=2001:db8:0:1::1
E2E_GW_IN6=2001:db8:51::1
E2E_LAN_NET6=2001:db8:51::/64
E2E_LAN_HOST6=2001:db8:51::10
E2E_POOL6=${E2E_POOL6:-2001:db8:8::/120}
E2E_IPV6=0
E2E_CLIENTS=0
E2E_NAT=0
E2E_UPLINK2_CLIENTS=" "

e2e_netns_add() {
  ip netns add "$1" || e2e_fail "cannot create namespace $1"
  E2E_NAMESPACES+=("$1")
  ip -n "$1" link set lo up
  # With IPv6, no duplicate address detection on the interfaces made next (link-local
  # addresses included): nothing to wait for before the first packet.
  if [ "$E2E_IPV6" = 1 ]; then
    e2e_in "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  fi
}

# e2e_client_address6 N: client N's IPv6 address (with --ipv6).
e2e_client_address6() { echo "2001:db8:0:1::$((10 + $1))"; }

# e2e_client_address N: client N's own address (behind the NAT: its private one).
e2e_client_address() {
  if e2e_client_on_uplink2 "$1"; then echo "198.19.0.$((10 + $1))"
  elif [ "$E2E_NAT" = 1 ]; then echo "198.18.0.$((10 + $1))"; else echo "192.0.2.$((10 + $1))"; fi
}

# e2e_client_on_uplink2 N: client N is on the second outside network.
e2e_client_on_uplink2() { [[ "$E2E_UPLINK2_CLIENTS" == *" $1 "* ]]; }

# e2e_client_gateway_address N: the gateway address client N dials.
e2e_client_gateway_address() {
  if e2e_client_on_uplink2 "$1"; then echo "$E2E_GW_OUT2"; else echo "$E2E_GW_OUT"; fi
}

# e2e_topology [--clients N] [--nat] [--no-default-route] [--uplink2 N]... [--strict-rpf] [--ipv6]
e2e_topology() {
  local i ns default_route=1 strict_rpf=0
  E2E_CLIENTS=1 E2E_NAT=0 E2E_UPLINK2_CLIENTS=" " E2E_IPV6=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --ipv6) E2E_IPV6=1; shift ;;
      --clients) E2E_CLIENTS=$2; shift 2 ;;
      --nat) E2E_NAT=1; shift ;;
      --no-default-route) default_route=0; shift ;;
      --uplink2) E2E_UPLINK2_CLIENTS+="$2 "; shift 2 ;;
      --strict-rpf) strict_rpf=1; shift ;;
      *) e2e_fail "e2e_topology: unknown option $1" ;;
    esac
  done
  if [ "$E2E_IPV6" = 1 ] && { [ "$E2E_NAT" = 1 ] || [ "$E2E_UPLINK2_CLIENTS" != " " ]; }; then
    e2e_fail "e2e_topology: --ipv6 is for the plain outside network (no --nat, no --uplink2)"
  fi
  e2e_netns_add gw
  e2e_netns_add lan
  ip -n gw link add br-out type bridge
  ip -n gw addr add "$E2E_GW_OUT/24" dev br-out
  ip -n gw link set br-out up
  ip link add gw-lan netns gw type veth peer name eth0 netns lan
  ip -n gw addr add "$E2E_GW_IN/24" dev gw-lan
  ip -n gw link set gw-lan up
  ip -n lan addr add "$E2E_LAN_HOST/24" dev eth0
  ip -n lan link set eth0 up
  ip -n lan route add "$E2E_POOL" via "$E2E_GW_IN"
  if [ "$E2E_IPV6" = 1 ]; then
    ip -n gw addr add "$E2E_GW_OUT6/64" dev br-out nodad
    ip -n gw addr add "$E2E_GW_IN6/64" dev gw-lan nodad
    ip -n lan addr add "$E2E_LAN_HOST6/64" dev eth0 nodad
    ip -n lan -6 route add default via "$E2E_GW_IN6"
  fi
  # The gateway faces the internet on br-out (a default route there, as in real life,
  # unless the scenario tests a gateway that has none).
  [ "$default_route" = 1 ] && ip -n gw route add default via 192.0.2.254 dev br-out onlink
  if [ "$E2E_UPLINK2_CLIENTS" != " " ]; then
    ip -n gw link add br-out2 type bridge
    ip -n gw addr add "$E2E_GW_OUT2/24" dev br-out2
    ip -n gw link set br-out2 up
  fi
  if [ "$strict_rpf" = 1 ]; then
    e2e_in gw sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.default.rp_filter=1
    for i in br-out br-out2 gw-lan; do
      ip -n gw link show "$i" >/dev/null 2>&1 || continue
      e2e_in gw sysctl -qw "net.ipv4.conf.$i.rp_filter=1"
    done
  fi
  if [ "$E2E_GATEWAY" = strongswan ]; then
    # strongSwan leaves forwarding and the pool's route to the admin; ikev2d does both
    # itself (forwarding = true, a route per pool), and that is part of what is tested.
    e2e_in gw sysctl -qw net.ipv4.ip_forward=1
    ip -n gw route add "$E2E_POOL" dev br-out
    if [ "$E2E_IPV6" = 1 ]; then
      e2e_in gw sysctl -qw net.ipv6.conf.all.forwarding=1
      ip -n gw route add "$E2E_POOL6" dev br-out
    fi
  else
    e2e_in gw sysctl -qw net.ipv4.ip_forward=0
    [ "$E2E_IPV6" = 1 ] && e2e_in gw sysctl -qw net.ipv6.conf.all.forwarding=0
  fi
  e2e_in gw nft -f - <<NFT || e2e_fail "cannot load the gateway's forward filter"
table inet e2e {
  chain forward {
    type filter hook forward priority 0; policy accept;
    iifname { "br-out", "br-out2" } oifname "gw-lan" meta secpath missing counter drop
  }
}
NFT

  local bridge_ns=gw bridge=br-out
  if [ "$E2E_NAT" = 1 ]; then
    e2e_netns_add nat
    ip link add gw-nat netns gw type veth peer name eth0 netns nat
    ip -n gw link set gw-nat master br-out up
    ip -n nat addr add "$E2E_NAT_OUT/24" dev eth0
    ip -n nat link set eth0 up
    ip -n nat link add br-in type bridge
    ip -n nat addr add "$E2E_NAT_INNER_GW/24" dev br-in
    ip -n nat link set br-in up
    e2e_in nat sysctl -qw net.ipv4.ip_forward=1
    e2e_in nat nft -f - <<NFT || e2e_fail "cannot load the NAT rules"
table ip e2e_nat {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "eth0" counter masquerade
  }
}
NFT
    bridge_ns=nat bridge=br-in
  fi

  for i in $(seq 1 "$E2E_CLIENTS"); do
    ns=client$i
    e2e_netns_add "$ns"
    if e2e_client_on_uplink2 "$i"; then
      ip link add "c$i" netns gw type veth peer name eth0 netns "$ns"
      ip -n gw link set "c$i" master br-out2 up
      ip -n "$ns" addr add "$(e2e_client_address "$i")/24" dev eth0
      ip -n "$ns" link set eth0 up
      continue
    fi
    ip link add "c$i" netns "$bridge_ns" type veth peer name eth0 netns "$ns"
    ip -n "$bridge_ns" link set "c$i" master "$bridge" up
    ip -n "$ns" addr add "$(e2e_client_address "$i")/24" dev eth0
    [ "$E2E_IPV6" = 1 ] && ip -n "$ns" addr add "$(e2e_client_address6 "$i")/64" dev eth0 nodad
    ip -n "$ns" link set eth0 up
    if [ "$E2E_NAT" = 1 ]; then
      # Only the way to the gateway, through the NAT.
      ip -n "$ns" route add "$E2E_GW_OUT/32" via "$E2E_NAT_INNER_GW"
    fi
  done
  e2e_wait_for 10 "the gateway to reach client1" e2e_in client1 ping -c1 -W1 "$(e2e_client_gateway_address 1)" ||
    e2e_fail "topology: client1 cannot reach the gateway in clear"
  if [ "$E2E_IPV6" = 1 ]; then
    e2e_wait_for 10 "the gateway to reach client1 over IPv6" e2e_in client1 ping -6 -c1 -W1 "$E2E_GW_OUT6" ||
      e2e_fail "topology: client1 cannot reach the gateway over IPv6 in clear"
    e2e_wait_for 10 "the gateway to reach the lan host over IPv6" e2e_in gw ping -6 -c1 -W1 "$E2E_LAN_HOST6" ||
      e2e_fail "topology: the gateway cannot reach the lan host over IPv6"
  fi
  for i in $E2E_UPLINK2_CLIENTS; do
    e2e_wait_for 10 "the gateway to reach client$i on the second uplink" e2e_in "client$i" ping -c1 -W1 "$E2E_GW_OUT2" ||
      e2e_fail "topology: client$i cannot reach the gateway's second uplink in clear"
  done
  e2e_log "topology: $E2E_CLIENTS client(s)$([ "$E2E_NAT" = 1 ] && echo ' behind a NAT'), gw, lan; pool $E2E_POOL$(
    [ "$default_route" = 1 ] || echo '; no default route on the gateway')$(
    [ "$E2E_UPLINK2_CLIENTS" = " " ] || echo "; on the second uplink:$E2E_UPLINK2_CLIENTS")$(
    [ "$strict_rpf" = 1 ] && echo '; strict rp_filter')$(
    [ "$E2E_IPV6" = 1 ] && echo "; IPv6 outside and lan, pool6 $E2E_POOL6")"
}
