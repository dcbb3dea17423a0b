#!/usr/bin/env bash
# The event loop under crypt(3) load and multi-core scaling (issue 11), on its own:
#
#   sudo tests/bench/loop_load.sh [--build-dir DIR] [--duration S]
#
# The same step run.sh runs (lib/loop_load.sh says what it measures): builds ikev2d and
# ike_load, makes the certificates and the two network namespaces, prints the lines and
# two Markdown tables. No timing is asserted: the numbers are read from the output.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${IKEV2D_BUILD_DIR:-$ROOT/build}
DURATION=5
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) BUILD=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    *) echo "usage: $0 [--build-dir DIR] [--duration S]" >&2; exit 2 ;;
  esac
  shift
done
case "$BUILD" in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
die() { echo "loop_load: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
WORK=$(mktemp -d /tmp/ikev2d-loopload.XXXXXX)
ninja -C "$BUILD" daemon/ikev2d tests/bench/ike_load >"$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log"; die "build failed"; }
BIN=$BUILD/tests/bench
BENCH_IKEV2D=$BUILD/daemon/ikev2d
BENCH_PKI=$WORK/pki
if [ "$(nproc)" -ge 2 ]; then BENCH_GW_CPU=1; BENCH_GEN_CPU=0; else BENCH_GW_CPU=0; BENCH_GEN_CPU=0; fi
# shellcheck source=tests/bench/lib/netns.sh
. "$ROOT/tests/bench/lib/netns.sh"
# shellcheck source=tests/bench/lib/pki.sh
. "$ROOT/tests/bench/lib/pki.sh"
# shellcheck source=tests/bench/lib/gateways.sh
. "$ROOT/tests/bench/lib/gateways.sh"
# shellcheck source=tests/bench/lib/loop_load.sh
. "$ROOT/tests/bench/lib/loop_load.sh"
# shellcheck disable=SC2317 # called by the trap
cleanup() { bench_gw_stop; bench_netns_down; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
bench_pki "$BENCH_PKI" || die "cannot make the certificates"
bench_netns_up || die "cannot make the network namespaces"
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
RESULTS=$WORK/results.txt
: > "$RESULTS"
bench_loop_load "$DURATION" "$RESULTS"
bench_loop_load_table "$RESULTS"
grep -q '^LOOPLOAD .* ok=[1-9]' "$RESULTS" && grep -q '^SCALING .* ok=[1-9]' "$RESULTS"
