#!/usr/bin/env bash
# Inside the qemu guest (tests/vm/run-in-vm.sh; its kernel has ESP): N sessions' SAs and
# policies installed through ikev2d's XfrmKernel, then the same through `ip -batch`, each
# in a fresh network namespace. Writes the XFRM_INSTALLS lines to $RESULTS/xfrm.txt.
#
#   xfrm_in_guest.sh XFRM_INSTALLS_BINARY N
set -uo pipefail
bin=$1 n=$2
out=$RESULTS/xfrm.txt
: > "$out"
ip netns add xfrm-daemon && ip netns exec xfrm-daemon "$bin" --count "$n" >> "$out" || echo "XFRM_INSTALLS via=ikev2d failed=1" >> "$out"
ip netns del xfrm-daemon
batch=$(mktemp)
"$bin" --count "$n" --emit-batch "$batch" || exit 1
ip netns add xfrm-ip
start=$(date +%s%N)
if ip -n xfrm-ip -batch "$batch"; then
  end=$(date +%s%N)
  awk -v n="$n" -v ns=$((end - start)) 'BEGIN { printf "XFRM_INSTALLS via=ip-batch count=%d seconds=%.3f per_second=%.0f\n", n, ns / 1e9, n / (ns / 1e9) }' >> "$out"
else
  echo "XFRM_INSTALLS via=ip-batch failed=1" >> "$out"
fi
echo "policies: $(ip -n xfrm-ip xfrm policy count 2>/dev/null | head -1)" >&2
ip netns del xfrm-ip
rm -f "$batch"
cat "$out"
