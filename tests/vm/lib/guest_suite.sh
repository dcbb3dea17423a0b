# vm_guest_suite LABEL LOGS TIMEOUT GUEST_SCRIPT ARGS...: runs a test suite's guest script
# in a fresh guest (run-in-vm.sh) with its results in LOGS, prints the wall time and the
# guest's summary.txt (or what the console said when there is none); returns the status.
# Shared by run-e2e.sh and run-adversarial.sh.
vm_guest_suite() {
  local label=$1 logs=$2 timeout=$3 start rc=0
  shift 3
  rm -rf "$logs"
  mkdir -p "$logs"
  start=$(date +%s)
  "$(dirname "${BASH_SOURCE[0]}")/../run-in-vm.sh" --quiet --timeout "$timeout" --results "$logs" "$@" || rc=$?
  echo "== $label: $(( $(date +%s) - start ))s wall time, logs in $logs"
  if [ -f "$logs/summary.txt" ]; then
    cat "$logs/summary.txt"
  else
    echo "FAIL $label: the VM produced no summary (status $rc; console: $logs/console.log)"
    tail -20 "$logs/console.log" 2>/dev/null || true
    [ "$rc" = 0 ] && rc=1
  fi
  return "$rc"
}
