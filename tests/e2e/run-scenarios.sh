#!/usr/bin/env bash
# Runs the e2e scenarios one after the other inside the test VM, each in a fresh topology,
# and prints one line per scenario: "PASS name (Ns)" or "FAIL name: reason". The lines
# also go to $RESULTS/summary.txt; each scenario's logs are under $RESULTS/<name>/.
#   run-scenarios.sh GATEWAY [NAME...]     GATEWAY: ikev2d binary or "strongswan"
# Environment: E2E_SCENARIO_TIMEOUT (seconds per scenario, default 300). A scenario that
# needs more (two gateways, several clients) says so in a line "# e2e-timeout: SECONDS";
# the larger of the two applies.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
gateway=${1:?"usage: $0 <ikev2d binary | strongswan> [scenario...]"}
shift
: "${RESULTS:?RESULTS is not set (run through tests/vm/run-in-vm.sh)}"
limit=${E2E_SCENARIO_TIMEOUT:-300}

scenarios=()
if [ $# -gt 0 ]; then
  for name in "$@"; do scenarios+=("$here/scenarios/${name%.sh}.sh"); done
else
  scenarios=("$here"/scenarios/*.sh)
fi

summary=$RESULTS/summary.txt
: > "$summary"
failed=0
for file in "${scenarios[@]}"; do
  name=$(basename "$file" .sh)
  dir=$RESULTS/$name
  mkdir -p "$dir"
  rm -f "$dir/result"
  start=$(date +%s)
  if [ ! -f "$file" ]; then
    rc=127
    echo "no such scenario" > "$dir/result"
  else
    own=$(sed -n 's/^# e2e-timeout: \([0-9][0-9]*\)$/\1/p' "$file" | head -1)
    timeout --kill-after=10 "$(( ${own:-0} > limit ? own : limit ))" bash "$file" "$gateway" > "$dir/output.log" 2>&1
    rc=$?
  fi
  secs=$(( $(date +%s) - start ))
  if [ "$rc" = 0 ] && [ "$(cat "$dir/result" 2>/dev/null)" = PASS ]; then
    line="PASS $name (${secs}s)"
  else
    failed=$((failed + 1))
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
      reason="timed out after ${limit}s (last: $(grep -v "^\s*$" "$dir/output.log" | tail -1 | cut -c1-120))"
    else
      reason=$(head -1 "$dir/result" 2>/dev/null)
      reason=${reason:-"exit status $rc"}
    fi
    line="FAIL $name: $reason (${secs}s)"
  fi
  echo "$line" | tee -a "$summary"
  # A scenario killed by the timeout may leave namespaces and daemons behind.
  for ns in $(ip netns list | awk '{print $1}'); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
  done
done
echo "e2e: $(( ${#scenarios[@]} - failed )) passed, $failed failed" | tee -a "$summary"
[ "$failed" = 0 ]
