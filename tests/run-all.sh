#!/usr/bin/env bash
# The whole test suite: unit tests (Catch2, D-Bus, man pages) with -Werror, the same
# under ASan+UBSan, a bounded fuzz run, then the qemu guest tests (kernel XFRM smoke
# test, end-to-end scenarios with a real strongSwan client, the systemd/D-Bus system
# test, after building the Debian package it installs). Installs its own Debian
# packages. Ends with "ikev2d: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || { echo "ikev2d: 0 passed, 1 failed (dependencies)"; exit 1; }

total_pass=0
total_fail=0
failed_parts=()
count_meson() {  # adds meson's "Ok:/Fail:" summary from a log to the totals
  local log=$1 ok fail
  ok=$(grep -E '^Ok:' "$log" | awk '{print $2}' | tail -1)
  fail=$(grep -E '^(Fail|Timeout|Unexpected Pass):' "$log" | awk '{s+=$2} END {print s+0}')
  total_pass=$((total_pass + ${ok:-0}))
  total_fail=$((total_fail + ${fail:-0}))
}
step() {  # step NAME COMMAND...: one pass/fail unit
  local name=$1; shift
  echo "== $name =="
  if "$@"; then total_pass=$((total_pass + 1)); else total_fail=$((total_fail + 1)); failed_parts+=("$name"); fi
}

echo "== build and unit tests (-Werror) =="
# Installed paths as a distribution package has them: the system test installs this build.
[ -f build-ci/build.ninja ] || meson setup build-ci --werror --prefix=/usr --sysconfdir=/etc --localstatedir=/var >/dev/null
if meson compile -C build-ci; then
  meson test -C build-ci --no-suite vm --print-errorlogs 2>&1 | tee build-ci/summary.txt
  count_meson build-ci/summary.txt
else
  total_fail=$((total_fail + 1)); failed_parts+=("build")
fi

echo "== unit tests under AddressSanitizer + UndefinedBehaviorSanitizer =="
[ -f build-asan/build.ninja ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false --werror >/dev/null
if meson compile -C build-asan; then
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C build-asan --no-suite vm --no-suite man --print-errorlogs 2>&1 | tee build-asan/summary.txt
  count_meson build-asan/summary.txt
else
  total_fail=$((total_fail + 1)); failed_parts+=("asan build")
fi

[ -x tests/fuzz/run.sh ] && step "fuzz (bounded)" tests/fuzz/run.sh 60
[ -x build-ci/tests/bench/bench-preauth-stall ] && step "benchmark: what one peer can make the event loop do" build-ci/tests/bench/bench-preauth-stall
# A few seconds of each measurement of tests/bench/run.sh against ikev2d and charon: fails
# only when a number is missing (targets are read from its output, not asserted).
step "benchmark smoke run (tests/bench/run.sh --smoke)" tests/bench/run.sh --smoke --build-dir build-ci
step "kernel XFRM smoke test (qemu guest)" meson test -C build-ci --suite vm --print-errorlogs
export IKEV2D_BINARY=$PWD/build-ci/daemon/ikev2d IKEV2D_BUILD_DIR=$PWD/build-ci
[ -x tests/vm/run-e2e.sh ] && step "end to end with strongSwan (qemu guest)" tests/vm/run-e2e.sh
[ -x tests/vm/run-adversarial.sh ] && step "adversarial prober and floods (qemu guest)" tests/vm/run-adversarial.sh
# The .deb the system test installs (build-deb/ikev2d_*.deb), lintian-clean.
step "Debian package: dpkg-buildpackage + lintian" tests/package/build-deb.sh "$PWD/build-deb"
[ -x tests/system/run.sh ] && step "systemd + D-Bus system test (qemu guest)" tests/system/run.sh --no-build --deb-dir "$PWD/build-deb"

[ ${#failed_parts[@]} -gt 0 ] && echo "failed: ${failed_parts[*]}"
echo "ikev2d: ${total_pass} passed, ${total_fail} failed"
[ "$total_fail" -eq 0 ]
