#!/bin/bash
# VM test of daemon/kernel on a kernel with ESP: two namespaces joined by veth, then
# xfrm-smoke installs SAs/policies with XfrmKernel in both and pings through them.
#
#   tests/vm/run-in-vm.sh tests/vm/xfrm_smoke.sh [path/to/xfrm-smoke]
#
# Without an argument the binary is looked for in build*/tests/vm/ (newest first).
set -euo pipefail

smoke=${1:-}
if [ -z "$smoke" ]; then
  smoke=$(ls -t build*/tests/vm/xfrm-smoke 2>/dev/null | head -n1 || true)
fi
[ -n "$smoke" ] && [ -x "$smoke" ] || { echo "xfrm_smoke: no xfrm-smoke binary (build tests/vm/xfrm-smoke)" >&2; exit 2; }

for m in esp4 xfrm_user veth; do modprobe "$m" 2>/dev/null || true; done

gw=ikv-gw cl=ikv-cl
cleanup() { ip netns del "$gw" 2>/dev/null || true; ip netns del "$cl" 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add "$gw"
ip netns add "$cl"
ip link add gw0 netns "$gw" type veth peer name cl0 netns "$cl"
ip -n "$gw" addr add 192.0.2.1/24 dev gw0
ip -n "$cl" addr add 192.0.2.2/24 dev cl0
ip -n "$gw" addr add 10.1.0.1/32 dev lo   # the gateway's LAN side
ip -n "$cl" addr add 10.2.2.5/32 dev lo   # the client's virtual IP
for ns in "$gw" "$cl"; do
  ip -n "$ns" link set lo up
done
ip -n "$gw" link set gw0 up
ip -n "$cl" link set cl0 up
# The client sends the gateway's LAN through the tunnel's outer link. The gateway has
# no default route: add_client_route() follows the path to the client's outer address.
ip -n "$cl" route add 10.1.0.0/24 dev cl0 src 10.2.2.5

# Before any SA: the plain path works, so a failure later is the tunnel's.
ip netns exec "$cl" ping -c 1 -W 2 192.0.2.1 >/dev/null

"$smoke" "/run/netns/$gw" "/run/netns/$cl"
