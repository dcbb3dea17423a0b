#!/usr/bin/env bash
# The end-to-end tests: builds the daemon if needed (build-e2e/), boots ONE test VM that
# runs every scenario in tests/e2e/scenarios/ against it with strongSwan clients, prints
# one line per scenario, keeps the logs in build-e2e/e2e-logs/ and fails if any failed.
#
#   tests/vm/run-e2e.sh [--gateway strongswan] [--timeout S] [SCENARIO...]
#
#   --gateway strongswan   run the scenarios against a strongSwan gateway instead of
#                          ikev2d (proves the scenarios' client side; needs no build)
#   --timeout S            hard limit for the whole VM (default 3000)
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
build=$top/build-e2e
gateway= vm_timeout=3000
while [ $# -gt 0 ]; do
  case "$1" in
    --gateway) gateway=$2; shift 2 ;;
    --timeout) vm_timeout=$2; shift 2 ;;
    -h|--help) sed -n '/^#   tests/,/^#   --timeout/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run-e2e: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done

# IKEV2D_BINARY: a daemon built elsewhere (tests/run-all.sh passes its build's), no build here.
if [ -z "$gateway" ] && [ -n "${IKEV2D_BINARY:-}" ]; then
  gateway=$(realpath "$IKEV2D_BINARY")
fi
if [ -z "$gateway" ]; then
  if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" > /dev/null
  fi
  echo "run-e2e: building the daemon in $build"
  ninja -C "$build" daemon/ikev2d > "$top/build-e2e-ninja.log" 2>&1 ||
    { tail -30 "$top/build-e2e-ninja.log"; echo "run-e2e: build failed" >&2; exit 1; }
  rm -f "$top/build-e2e-ninja.log"
  gateway=$build/daemon/ikev2d
fi
mkdir -p "$build"

source "$top/tests/vm/lib/guest_suite.sh"
vm_guest_suite "end to end" "$build/e2e-logs" "$vm_timeout" "$top/tests/e2e/run-scenarios.sh" "$gateway" "$@"
