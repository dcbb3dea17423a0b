#!/usr/bin/env bash
# Inside the qemu guest (tests/vm/run-in-vm.sh; its kernel has ESP): N sessions' SAs and
# policies installed three ways, each into a fresh network namespace: through ikev2d's
# XfrmKernel as ike/child_install.cpp calls it (ALLOCSPI, then one batch of SAs and
# policies), through XfrmKernel one request at a time (as before batching), and by
# `ip -batch` of the same SAs and policies. The guest runs under TCG on a shared host, so
# with ROUNDS > 1 (default 1) the three take turns, in a rotating order, ROUNDS times,
# and a change of host load hits all three alike; compare within a round.
#
# Every run is timed from outside, process start included (wall_seconds); the XfrmKernel
# runs also report their own install loop (seconds, per_second: the bench's number, as
# before). ip's per_second is from outside, its only clock. Writes XFRM_INSTALLS lines,
# one per way and round (round=K), to $RESULTS/xfrm.txt.
#
#   xfrm_in_guest.sh XFRM_INSTALLS_BINARY N [ROUNDS]
set -uo pipefail
bin=$1 n=$2 rounds=${3:-1}
out=$RESULTS/xfrm.txt
: > "$out"
batch=$(mktemp)
"$bin" --count "$n" --emit-batch "$batch" || exit 1
ways=(ikev2d ikev2d-one-by-one ip-batch)
# Warm-up, untimed: the first AES-GCM state in a fresh guest loads the crypto modules and
# runs their self-tests (seconds under TCG), which would land on whichever way ran first.
warm=$(mktemp)
"$bin" --count 20 --first 100000 --emit-batch "$warm" && ip netns add xfrm-warm && ip -n xfrm-warm -batch "$warm"
ip netns del xfrm-warm 2>/dev/null
rm -f "$warm"
now() { date +%s%N; }
for ((round = 1; round <= rounds; round++)); do
  for ((k = 0; k < 3; k++)); do
    way=${ways[$(( (k + round - 1) % 3 ))]}
    ns=xfrm-$way
    ip netns add "$ns"
    start=$(now)
    case $way in
      ikev2d) line=$(ip netns exec "$ns" "$bin" --count "$n") ;;
      ikev2d-one-by-one) line=$(ip netns exec "$ns" "$bin" --count "$n" --one-by-one 1) ;;
      ip-batch) ip -n "$ns" -batch "$batch" && line="XFRM_INSTALLS via=ip-batch count=$n" ;;
    esac
    rc=$?
    end=$(now)
    wall=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }')
    if [ $rc != 0 ]; then
      echo "XFRM_INSTALLS via=$way failed=1 round=$round" >> "$out"
    elif [ "$way" = ip-batch ]; then
      awk -v n="$n" -v w="$wall" -v r="$round" 'BEGIN { printf "XFRM_INSTALLS via=ip-batch count=%d seconds=%s per_second=%.0f wall_seconds=%s round=%d\n", n, w, n / w, w, r }' >> "$out"
    else
      echo "$line wall_seconds=$wall round=$round" >> "$out"
    fi
    echo "$way round $round: $(ip -n "$ns" xfrm policy count 2>/dev/null | head -1)" >&2
    ip netns del "$ns"
  done
done
rm -f "$batch"
# Per round, each XfrmKernel way's speed over ip -batch's, from the wall times of the same
# round (both with process start); min / median / max over the rounds.
awk '
  function field(line, key,   m) { return match(line, " " key "=[^ ]*") ? substr(line, RSTART + length(key) + 2, RLENGTH - length(key) - 2) : "" }
  /^XFRM_INSTALLS / && field($0, "wall_seconds") != "" { wall[field($0, "via"), field($0, "round")] = field($0, "wall_seconds"); rounds[field($0, "round")] = 1 }
  END {
    split("ikev2d ikev2d-one-by-one", ways, " ")
    for (w = 1; w <= 2; w++) {
      n = 0
      for (r in rounds) if (wall[ways[w], r] > 0 && wall["ip-batch", r] > 0) v[++n] = wall["ip-batch", r] / wall[ways[w], r]
      if (n == 0) continue
      for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
      med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
      printf "XFRM_RATIO via=%s over=ip-batch rounds=%d min=%.2f median=%.2f max=%.2f\n", ways[w], n, v[1], med, v[n]
    }
  }' "$out" >> "$out"
cat "$out"
