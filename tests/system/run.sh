#!/usr/bin/env bash
# The distribution-style system test (design.md, testing layer 4): builds ikev2d and
# ikectl for prefix /usr (build-system/), boots the test VM with systemd as PID 1 and
# runs tests/system/in_guest.sh there: the build installed like a package, the
# ikev2d.service unit started by systemd in the e2e topology's gateway namespace, a
# strongSwan client, ikectl over the real system bus, reload, permissions, stop.
# Prints one PASS/FAIL line per check; exits 0 only if every check passed.
#
#   tests/system/run.sh [--timeout S] [--no-build]
#
#   --timeout S   hard limit for the VM, boot included (default 540)
#   --no-build    use build-system/ as it is
#
# Logs: build-system/system-logs/ (checks.txt, journal-*.txt, ikectl/ outputs, the
# client's charon log under system/, systemd-analyze-security.txt, console.log).
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
# IKEV2D_BUILD_DIR: a build configured for /usr, /etc, /var (tests/run-all.sh passes build-ci).
build=${IKEV2D_BUILD_DIR:-$top/build-system}
vm_timeout=540 do_build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) vm_timeout=${2:?}; shift 2 ;;
    --no-build) do_build=0; shift ;;
    -h|--help) sed -n '/^#   tests/,/^#   --no-build/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "system: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "system: run as root (the VM harness needs it)" >&2; exit 2; }

start=$(date +%s)
if [ "$do_build" = 1 ]; then
  # The installed paths a package uses; the daemon compiles in /etc/ikev2d and /var/lib/ikev2d.
  if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" --prefix=/usr --sysconfdir=/etc --localstatedir=/var > /dev/null
  else
    dirs=$(meson introspect "$build" --buildoptions | python3 -c '
import json, sys
o = {x["name"]: x["value"] for x in json.load(sys.stdin)}
print(o["prefix"], o["sysconfdir"], o["localstatedir"])')
    if [ "$dirs" != "/usr /etc /var" ]; then
      meson configure "$build" --prefix=/usr --sysconfdir=/etc --localstatedir=/var > /dev/null
    fi
  fi
  echo "system: building ikev2d and ikectl in $build"
  ninja -C "$build" -j2 daemon/ikev2d tools/ikectl > "$build/ninja-system.log" 2>&1 ||
    { tail -30 "$build/ninja-system.log"; echo "FAIL build (log: $build/ninja-system.log)"; exit 1; }
fi
for f in daemon/ikev2d tools/ikectl systemd/ikev2d.service; do
  [ -e "$build/$f" ] || { echo "FAIL build: no $build/$f"; exit 1; }
done

# The package's file tree, staged here as a package build would (DESTDIR, stripped); the guest
# unpacks it onto its / (meson itself is slow to start under TCG).
pkgroot=$build/system-pkgroot
rm -rf "$pkgroot"
meson install -C "$build" --no-rebuild --strip --destdir "$pkgroot" > "$build/system-pkgroot.log" 2>&1 ||
  { tail -5 "$build/system-pkgroot.log"; echo "FAIL meson install --destdir (log: $build/system-pkgroot.log)"; exit 1; }

logs=$build/system-logs
rm -rf "$logs"
mkdir -p "$logs"
# The test PKI (tests/e2e/lib/pki.sh) is made here at native speed; the guest finds it
# in $RESULTS/pki instead of running strongSwan's pki under TCG.
RESULTS=$logs bash -c 'source tests/e2e/lib.sh && E2E_DIR=$RESULTS && e2e_pki' ||
  { echo "FAIL test PKI (log: $logs/pki/pki.log)"; exit 1; }
# The guest runs a copy of the test scripts: edits to the tree (tests/e2e is shared with
# other work) cannot reach a script bash is still reading.
snapshot=$build/system-scripts
rm -rf "$snapshot"
mkdir -p "$snapshot/tests"
cp -a "$top/tests/system" "$top/tests/e2e" "$snapshot/tests/"
rc=0
"$top/tests/vm/run-in-vm.sh" --systemd --quiet --timeout "$vm_timeout" --results "$logs" \
  "$snapshot/tests/system/in_guest.sh" "$pkgroot" || rc=$?
[ -f "$logs/.vm/job-output.log" ] && cp "$logs/.vm/job-output.log" "$logs/job-output.log"

echo "== system test: $(( $(date +%s) - start ))s wall time, logs in $logs"
if [ -s "$logs/checks.txt" ]; then
  cat "$logs/checks.txt"
else
  echo "FAIL system: the guest recorded no checks (status $rc; console: $logs/console.log)"
  tail -20 "$logs/console.log" 2>/dev/null || true
fi
[ -s "$logs/exposure.txt" ] && echo "systemd-analyze security ikev2d.service: exposure $(cat "$logs/exposure.txt")"
[ -s "$logs/notes.txt" ] && sed 's/^/NOTE /' "$logs/notes.txt"
if [ "$rc" = 124 ]; then echo "FAIL system: the VM hit the ${vm_timeout}s timeout"; fi
if grep -q '^FAIL' "$logs/checks.txt" 2>/dev/null || [ ! -s "$logs/checks.txt" ]; then
  [ "$rc" = 0 ] && rc=1
fi
exit "$rc"
