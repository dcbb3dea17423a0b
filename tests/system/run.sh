#!/usr/bin/env bash
# The distribution-style system test (design.md, testing layer 4): builds the Debian
# package (tests/package/build-deb.sh: dpkg-buildpackage + lintian), boots the test VM
# with systemd as PID 1 and runs tests/system/in_guest.sh there: `apt install` of the
# .deb, the service on the packaged template refusing a client, the administrator's
# configuration and reload, a strongSwan client in the e2e topology's gateway namespace,
# ikectl over the real system bus, reload, permissions, `apt remove` and `apt purge`.
# Prints one PASS/FAIL line per check; exits 0 only if every check passed.
#
#   tests/system/run.sh [--timeout S] [--no-build] [--deb-dir DIR]
#
#   --timeout S     hard limit for the VM, boot included (default 900)
#   --no-build      use the .deb already in the deb directory
#   --deb-dir DIR   where the .deb is built / found (default build-deb/)
#
# Logs: build-system/system-logs/ (checks.txt, journal-*.txt, apt-*.log, ikectl/
# outputs, the client's charon log under system/, systemd-analyze-security.txt,
# console.log).
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
# IKEV2D_BUILD_DIR: where the logs go (tests/run-all.sh passes build-ci).
build=${IKEV2D_BUILD_DIR:-$top/build-system}
vm_timeout=900 do_build=1 deb_dir=$top/build-deb
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) vm_timeout=${2:?}; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --deb-dir) deb_dir=$(realpath -m "${2:?}"); shift 2 ;;
    -h|--help) sed -n '/^#   tests/,/^#   --deb-dir/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "system: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "system: run as root (the VM harness needs it)" >&2; exit 2; }

start=$(date +%s)
mkdir -p "$build"
if [ "$do_build" = 1 ]; then
  echo "system: building the Debian package into $deb_dir"
  "$top/tests/package/build-deb.sh" "$deb_dir" > "$build/build-deb.log" 2>&1 ||
    { tail -15 "$build/build-deb.log"; echo "FAIL package build (log: $build/build-deb.log)"; exit 1; }
fi
ls "$deb_dir"/ikev2d_*.deb > /dev/null 2>&1 || { echo "FAIL build: no ikev2d_*.deb in $deb_dir"; exit 1; }

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
  "$snapshot/tests/system/in_guest.sh" "$deb_dir" || rc=$?
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
