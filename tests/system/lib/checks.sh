# Check bookkeeping for the system test: one "PASS name" / "FAIL name: why" line per
# check, on the console and in $RESULTS/checks.txt (which tests/system/run.sh prints).
#
#   sys_check NAME FUNCTION [ARGS...]   runs FUNCTION; it sets SYS_WHY before failing
#                                       (and may set SYS_DETAIL for the PASS line)
#   sys_require NAME FUNCTION [ARGS...] the same, but the run cannot go on without it
#
# Check functions run in an `if`, so errexit is off inside them: every step that
# matters must say `|| { SYS_WHY=...; return 1; }` itself.

SYS_CHECKS_FILE=
SYS_FAILED=0
SYS_STAGE=setup     # what was going on when a helper exited (e2e_fail): named in the FAIL line
SYS_STAGE_DONE=0    # the stage's check already recorded its result
SYS_WHY=
SYS_DETAIL=         # a check may set it: appended to its PASS line (e.g. a measured figure)

sys_checks_begin() {
  SYS_CHECKS_FILE=$RESULTS/checks.txt
  : > "$SYS_CHECKS_FILE"
  : > "$RESULTS/notes.txt"
}

sys_record() {
  echo "$*" >> "$SYS_CHECKS_FILE"
  echo "[$(date +%T)] system: $*" >&2
}

# sys_note TEXT: a measurement worth reading next to the checks (run.sh prints notes.txt).
sys_note() {
  echo "$*" >> "$RESULTS/notes.txt"
  echo "[$(date +%T)] system: $*" >&2
}

sys_check() {
  local name=$1
  shift
  SYS_STAGE=$name SYS_STAGE_DONE=0 SYS_WHY='' SYS_DETAIL=''
  if "$@"; then
    sys_record "PASS $name${SYS_DETAIL:+ ($SYS_DETAIL)}"
    SYS_STAGE_DONE=1
    return 0
  fi
  sys_record "FAIL $name: ${SYS_WHY:-no reason given}"
  SYS_FAILED=1 SYS_STAGE_DONE=1
  return 1
}

sys_require() {
  sys_check "$@" && return 0
  sys_record "FAIL abort: the checks after '$1' need it"
  exit 1
}

# The FAIL line for a stage that ended inside an e2e helper (e2e_fail exits the script).
sys_record_interrupted_stage() {
  local rc=$1 reason=
  [ "$SYS_STAGE_DONE" = 1 ] && return 0
  [ "$rc" = 0 ] && return 0
  [ -n "${E2E_DIR:-}" ] && [ -s "$E2E_DIR/result" ] && reason=$(head -1 "$E2E_DIR/result")
  sys_record "FAIL $SYS_STAGE: ${reason:-exited with status $rc}"
  SYS_STAGE_DONE=1
}

# sys_wait SECONDS COMMAND...: polls every 0.5 s; quiet (e2e_wait_for logs a timeout).
sys_wait() {
  local deadline=$(( $(date +%s) + $1 ))
  shift
  until "$@" > /dev/null 2>&1; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.5
  done
}

# sys_oneline TEXT: the text on one line, for a FAIL reason.
sys_oneline() { printf '%s' "$*" | tr '\n' ' ' | cut -c1-300; }
