# Scenario life cycle, logging, waiting, and process bookkeeping for the e2e helpers.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

E2E_NAME=
E2E_DIR=
E2E_GATEWAY=          # "strongswan" or the path of the ikev2d binary
E2E_PIDS=()           # processes this scenario started (killed by pid in e2e_cleanup)
E2E_NAMESPACES=()
E2E_START=0

e2e_log() { echo "[$(date +%T)] ${E2E_NAME:-e2e}: $*" >&2; }

# Ends the scenario as failed; the reason is the one line run-scenarios.sh reports.
e2e_fail() {
  echo "$*" > "$E2E_DIR/result"
  e2e_log "FAIL: $*"
  exit 1
}

e2e_pass() {
  e2e_ikev2d_alive || e2e_fail "ikev2d is no longer running (log: $E2E_IKEV2D_DIR/ikev2d.log)"
  echo PASS > "$E2E_DIR/result"
  e2e_log "PASS ($(( $(date +%s) - E2E_START ))s)"
  exit 0
}

# e2e_begin NAME GATEWAY: logs go to $RESULTS/NAME/; namespaces and processes are
# cleaned up on exit.
e2e_begin() {
  E2E_NAME=$1
  E2E_GATEWAY=${2:?"usage: $0 <ikev2d binary | strongswan>"}
  [ -n "${RESULTS:-}" ] || { echo "e2e: RESULTS is not set (run through tests/vm/run-in-vm.sh)" >&2; exit 2; }
  [ "$(id -u)" = 0 ] || { echo "e2e: must run as root" >&2; exit 2; }
  if [ "$E2E_GATEWAY" != strongswan ]; then
    E2E_GATEWAY=$(realpath "$E2E_GATEWAY")
    [ -x "$E2E_GATEWAY" ] || { echo "e2e: no gateway binary at $2" >&2; exit 2; }
  fi
  E2E_DIR=$RESULTS/$E2E_NAME
  mkdir -p "$E2E_DIR"
  rm -f "$E2E_DIR/result"
  rm -rf "/dev/shm/ikev2d-e2e/$E2E_NAME"
  E2E_START=$(date +%s)
  trap e2e_cleanup EXIT
  e2e_log "gateway: $E2E_GATEWAY; logs in $E2E_DIR"
}

# Remembers a background process for cleanup.
e2e_track() { E2E_PIDS+=("$1"); }

e2e_cleanup() {
  local rc=$? pid ns alive
  # The full kernel state helps to understand a failure (and costs seconds under TCG).
  [ "$rc" = 0 ] || e2e_snapshot_state "$E2E_DIR/final-state.txt" 2>/dev/null || true
  # SIGTERM first, so that the daemons remove their kernel state as they would in real life.
  for pid in "${E2E_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 20); do
    alive=0
    for pid in "${E2E_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pid in "${E2E_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  # Anything else still running in our namespaces (e.g. children of the daemons).
  for ns in "${E2E_NAMESPACES[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
  done
  for ns in "${E2E_NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  if [ "$rc" != 0 ] && [ ! -s "$E2E_DIR/result" ]; then
    echo "exited with status $rc" > "$E2E_DIR/result"
  fi
  exit "$rc"
}

# e2e_wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.5 s until it succeeds.
e2e_wait_for() {
  local limit=$1 what=$2 deadline
  shift 2
  deadline=$(( $(date +%s) + limit ))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      e2e_log "timed out after ${limit}s waiting for $what"
      return 1
    fi
    sleep 0.5
  done
}

# e2e_in NS COMMAND...: run in a namespace.
e2e_in() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# Dumps the kernel and process state of every namespace (for the logs).
e2e_snapshot_state() {
  local out=$1 ns
  {
    for ns in "${E2E_NAMESPACES[@]}"; do
      echo "===== $ns"
      ip -n "$ns" -br addr 2>&1
      ip -n "$ns" route show table all 2>&1 | grep -v '^local\|^broadcast\|^multicast\|fe80\|ff00'
      ip -n "$ns" -s xfrm state 2>&1
      ip -n "$ns" xfrm policy 2>&1
      ip netns exec "$ns" ss -uanp 2>&1
    done
  } > "$out"
}
