#!/usr/bin/env bash
# The first thing to try: installs the build and test dependencies, builds ikev2d, boots a
# test VM (this machine's kernel may lack ESP; the VM runs a stock Debian kernel under
# qemu), starts `ikev2d --demo` there (the embedded default configuration), connects a
# strongSwan client as the demo user, pings a host behind the gateway through ESP and
# shows the gateway's kernel SAs. Needs root. Takes a few minutes (the VM runs without KVM).
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
[ "$(id -u)" = 0 ] || { echo "demo: run as root" >&2; exit 1; }
bash scripts/install-deps.sh
build=$top/build-e2e
[ -f "$build/build.ninja" ] || meson setup "$build" > /dev/null
echo "demo: building ikev2d"
ninja -C "$build" daemon/ikev2d > /dev/null
results=$build/demo
rm -rf "$results"
echo "demo: booting the test VM (logs in $results)"
rc=0
tests/vm/run-in-vm.sh --timeout 600 --results "$results" tests/e2e/demo_in_vm.sh "$build/daemon/ikev2d" || rc=$?
if [ "$rc" = 0 ]; then
  echo "demo: done. Logs: $results/demo/ (ikev2d: $results/demo/gw-ikev2d/ikev2d.log)"
else
  echo "demo: FAILED: $(cat "$results/demo/result" 2>/dev/null || echo "status $rc") - logs in $results" >&2
fi
exit "$rc"
