#!/usr/bin/env bash
# Inside the qemu guest (tests/vm/run-in-vm.sh; its kernel has ESP): N sessions' SAs and
# policies installed three ways, each into its own network namespace: through ikev2d's
# XfrmKernel as ike/child_install.cpp calls it (ALLOCSPI, then one batch of SAs and
# policies), through XfrmKernel one request at a time (as before batching), and by
# `ip -batch` of the same SAs and policies. The guest runs under TCG on a shared host, so
# the three take turns in chunks of CHUNK sessions (default N: one chunk each) and every
# chunk is timed the same way, from outside, process start included; a change of host
# load then hits all three alike. Writes the XFRM_INSTALLS lines (totals over the chunks)
# to $RESULTS/xfrm.txt.
#
#   xfrm_in_guest.sh XFRM_INSTALLS_BINARY N [CHUNK]
set -uo pipefail
bin=$1 n=$2 chunk=${3:-$2}
out=$RESULTS/xfrm.txt
: > "$out"
declare -A ns_total failed
ways=(ikev2d ikev2d-one-by-one ip-batch)
for way in "${ways[@]}"; do
  ns_total[$way]=0 failed[$way]=0
  ip netns add "xfrm-$way"
done
batch=$(mktemp)
now() { date +%s%N; }
for ((first = 0; first < n; first += chunk)); do
  count=$(( n - first < chunk ? n - first : chunk ))
  "$bin" --count "$count" --first "$first" --emit-batch "$batch" || exit 1
  for way in "${ways[@]}"; do
    start=$(now)
    case $way in
      ikev2d) ip netns exec "xfrm-$way" "$bin" --count "$count" --first "$first" > /dev/null ;;
      ikev2d-one-by-one) ip netns exec "xfrm-$way" "$bin" --count "$count" --first "$first" --one-by-one 1 > /dev/null ;;
      ip-batch) ip -n "xfrm-$way" -batch "$batch" ;;
    esac || failed[$way]=1
    end=$(now)
    ns_total[$way]=$(( ${ns_total[$way]} + end - start ))
  done
done
for way in "${ways[@]}"; do
  echo "$way: $(ip -n "xfrm-$way" xfrm policy count 2>/dev/null | head -1)" >&2
  if [ "${failed[$way]}" = 1 ]; then
    echo "XFRM_INSTALLS via=$way failed=1" >> "$out"
  else
    awk -v w="$way" -v n="$n" -v c="$chunk" -v ns="${ns_total[$way]}" 'BEGIN { printf "XFRM_INSTALLS via=%s count=%d chunk=%d seconds=%.3f per_second=%.0f\n", w, n, c, ns / 1e9, n / (ns / 1e9) }' >> "$out"
  fi
  ip netns del "xfrm-$way"
done
rm -f "$batch"
cat "$out"
