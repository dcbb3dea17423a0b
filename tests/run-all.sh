#!/usr/bin/env bash
# The whole test suite: unit tests (Catch2), the same under ASan+UBSan, a bounded
# fuzz run, and the end-to-end tests in a qemu guest. Installs its own packages.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
bash scripts/install-deps.sh

total_pass=0
total_fail=0
count_meson() {  # meson's testlog summary -> totals
  local log=$1 ok fail
  ok=$(grep -E '^Ok:' "$log" | awk '{print $2}' | tail -1)
  fail=$(grep -E '^(Fail|Timeout|Unexpected Pass):' "$log" | awk '{s+=$2} END {print s+0}')
  total_pass=$((total_pass + ${ok:-0}))
  total_fail=$((total_fail + ${fail:-0}))
}

echo "== unit tests (werror) =="
[ -d build-ci ] || meson setup build-ci --werror >/dev/null
meson compile -C build-ci
meson test -C build-ci --print-errorlogs | tee build-ci/summary.txt
count_meson build-ci/summary.txt

echo "== unit tests under AddressSanitizer + UndefinedBehaviorSanitizer =="
[ -d build-asan ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false --werror >/dev/null
meson compile -C build-asan
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 meson test -C build-asan --print-errorlogs | tee build-asan/summary.txt
count_meson build-asan/summary.txt

if [ -x tests/fuzz/run.sh ]; then
  echo "== fuzz (bounded) =="
  if tests/fuzz/run.sh 60; then total_pass=$((total_pass + 1)); else total_fail=$((total_fail + 1)); fi
fi

if [ -x tests/vm/run-e2e.sh ]; then
  echo "== end to end (qemu guest, strongSwan client) =="
  if tests/vm/run-e2e.sh; then total_pass=$((total_pass + 1)); else total_fail=$((total_fail + 1)); fi
fi

echo "ikev2d: ${total_pass} passed, ${total_fail} failed"
[ "$total_fail" -eq 0 ]
