# shellcheck shell=bash
# The benchmark's two network namespaces: the gateway's (one address) and the clients'
# (many source addresses), joined by a veth pair. Nothing on the host's own stack.

# shellcheck disable=SC2034 # used by the scripts that source this
{
  BENCH_NS_GW=ikbench-gw-$$
  BENCH_NS_CL=ikbench-cl-$$
  BENCH_GW_ADDR=10.77.0.1
  BENCH_CL_FIRST=10.77.1.1
  BENCH_CL_COUNT=64          # client source addresses
  BENCH_GW_LAN=10.99.0.0/16  # the gateways' protected network (TSr)
}

bench_netns_up() {
  local i
  ip netns add "$BENCH_NS_GW" && ip netns add "$BENCH_NS_CL" || return 1
  ip link add ikb-gw-$$ netns "$BENCH_NS_GW" type veth peer name ikb-cl-$$ netns "$BENCH_NS_CL" || return 1
  ip -n "$BENCH_NS_GW" link set lo up
  ip -n "$BENCH_NS_CL" link set lo up
  ip -n "$BENCH_NS_GW" addr add "$BENCH_GW_ADDR/16" dev ikb-gw-$$
  for i in $(seq 1 "$BENCH_CL_COUNT"); do echo "addr add 10.77.1.$i/16 dev ikb-cl-$$"; done | ip -n "$BENCH_NS_CL" -batch -
  ip -n "$BENCH_NS_GW" link set ikb-gw-$$ up
  ip -n "$BENCH_NS_CL" link set ikb-cl-$$ up
  # The addresses must be usable before anything binds to them (no DAD on veth IPv4, but wait for the link).
  ip netns exec "$BENCH_NS_CL" ping -c1 -W2 "$BENCH_GW_ADDR" >/dev/null 2>&1 || sleep 1
}

bench_netns_down() {
  ip netns del "$BENCH_NS_GW" 2>/dev/null
  ip netns del "$BENCH_NS_CL" 2>/dev/null
  return 0
}

# Gateways, generator and crypto bound run at this nice level, so that other processes on
# a shared machine take less of their cores (a single-threaded gateway would otherwise
# get a smaller share of a contended core than charon with its 17 threads).
BENCH_NICE=-10
# bench_pin CPU COMMAND...: runs COMMAND (exec'd, same pid) on core CPU at $BENCH_NICE.
bench_pin() {
  local cpu=$1
  shift
  nice -n "$BENCH_NICE" taskset -c "$cpu" "$@"
}
# bench_in_cl COMMAND...: runs a command in the clients' namespace on the generator's core.
bench_in_cl() { ip netns exec "$BENCH_NS_CL" nice -n "$BENCH_NICE" taskset -c "$BENCH_GEN_CPU" "$@"; }

# bench_gw_rcvbuf_errors: datagrams the gateway's namespace dropped for a full socket
# receive buffer (Udp RcvbufErrors of /proc/net/snmp there; socket buffers are the
# system defaults, as a gateway gets them unless it asks for more).
bench_gw_rcvbuf_errors() {
  ip netns exec "$BENCH_NS_GW" awk '$1 == "Udp:" { if (!n) { for (i = 2; i <= NF; i++) if ($i == "RcvbufErrors") c = i; n = 1 } else print $c }' /proc/net/snmp
}

# bench_gw_listening: something listens on UDP 500 in the gateway's namespace.
bench_gw_listening() { ip netns exec "$BENCH_NS_GW" ss -Hlun 'sport = :500' 2>/dev/null | grep -q .; }
