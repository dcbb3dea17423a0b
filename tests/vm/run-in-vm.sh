#!/usr/bin/env bash
# Runs SCRIPT as root inside a qemu guest with a stock Debian kernel (which, unlike this
# machine's, has ESP). The guest sees this machine's / read-only under a tmpfs overlay,
# so SCRIPT and the repository are at the same paths and the binaries built here run
# there. The script gets a writable results folder as $RESULTS; the exit status of this
# command is SCRIPT's.
#
#   run-in-vm.sh [--systemd] [--timeout S] [--results DIR] [--console FILE] [--quiet]
#                SCRIPT [ARGS...]
#
#   --systemd   boot systemd as PID 1 (system D-Bus, systemctl); SCRIPT runs from a unit
#   --timeout   hard limit in seconds for the whole guest, boot included (default 600)
#   --results   host folder shared with the guest as $RESULTS (default: a new temp dir)
#   --console   where the guest's console log goes (default: $RESULTS/console.log)
#   --quiet     do not stream the console to stdout
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/kernel.sh"
source "$here/lib/initramfs.sh"
source "$here/lib/qemu.sh"

usage() { sed -n '/^#   run-in-vm/,/^#   --quiet/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

mode=plain timeout_s=600 results= console= stream=1
while [ $# -gt 0 ]; do
  case "$1" in
    --systemd) mode=systemd; shift ;;
    --timeout) timeout_s=${2:?}; shift 2 ;;
    --results) results=${2:?}; shift 2 ;;
    --console) console=${2:?}; shift 2 ;;
    --quiet) stream=0; shift ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) echo "run-in-vm: unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || usage
script=$(realpath "$1"); shift
[ -f "$script" ] || vm_die "no such script: $script"
[ "$(id -u)" = 0 ] || vm_die "run as root (the guest mounts and qemu's 9p need it)"
command -v qemu-system-x86_64 >/dev/null || vm_die "qemu-system-x86_64 missing: run scripts/install-deps.sh"

if [ -z "$results" ]; then results=$(mktemp -d /tmp/ikev2d-vm.XXXXXX); fi
mkdir -p "$results"
results=$(realpath "$results")
case "$results$script$PWD" in *[[:space:]]*) vm_die "paths with white space are not supported";; esac
console=${console:-$results/console.log}
mkdir -p "$(dirname "$console")"

vm_fetch_kernel
vm_build_initramfs

# The job the guest runs: same working directory, $RESULTS exported, SCRIPT and its args.
rm -rf "$results/.vm"
mkdir -p "$results/.vm"
{
  echo "export RESULTS=$(printf '%q' "$results")"
  echo "cd $(printf '%q' "$PWD")"
  # Test knobs travel with the job (E2E_SCENARIO_TIMEOUT, E2E_IKEV2D_DEBUG, ...).
  while IFS='=' read -r name _; do
    echo "export $name=$(printf '%q' "${!name}")"
  done < <(env | grep -E '^(E2E|IKEV2D)_[A-Za-z0-9_]*=' || true)
  printf 'exec bash'
  printf ' %q' "$script" "$@"
  echo
} > "$results/.vm/job.sh"

start=$(date +%s)
vm_log "booting ($mode, timeout ${timeout_s}s); results in $results"
if ! vm_boot "$mode" "$results" "$console" "$timeout_s" "$stream"; then
  vm_log "TIMEOUT: the guest ran longer than ${timeout_s}s and was killed (console: $console)"
  exit 124
fi
elapsed=$(( $(date +%s) - start ))
if [ ! -f "$results/.vm/status" ]; then
  vm_log "the guest stopped without an exit status (${elapsed}s; console: $console)"
  exit 125
fi
rc=$(cat "$results/.vm/status")
vm_log "script exited with $rc after ${elapsed}s (console: $console)"
exit "$rc"
