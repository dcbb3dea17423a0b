# The installed service as an administrator sees it: systemctl, the journal, ikectl over
# the system bus. Every ikectl call keeps its output in $RESULTS/ikectl/.

SYS_IKECTL_N=0

# sys_ikectl AS NAME ARGS...: runs /usr/sbin/ikectl as AS (root, nobody or reader);
# stdout/stderr go to $RESULTS/ikectl/NN-NAME.{out,err}; SYS_OUT names the .out file.
sys_ikectl() {
  local as=$1 name=$2 base rc=0
  shift 2
  mkdir -p "$RESULTS/ikectl"
  SYS_IKECTL_N=$((SYS_IKECTL_N + 1))
  base=$RESULTS/ikectl/$(printf '%02d' "$SYS_IKECTL_N")-$name
  echo "ikectl $* (as $as)" > "$base.cmd"
  case "$as" in
    root) timeout 30 /usr/sbin/ikectl "$@" > "$base.out" 2> "$base.err" || rc=$? ;;
    # No groups at all: not in group ikev2d, so the bus policy's default applies.
    nobody) timeout 30 setpriv --reuid=65534 --regid=65534 --clear-groups \
              /usr/sbin/ikectl "$@" > "$base.out" 2> "$base.err" || rc=$? ;;
    # dbus-daemon takes the groups from the user database: the account's own.
    reader) timeout 30 runuser -u "$SYS_READER" -- /usr/sbin/ikectl "$@" > "$base.out" 2> "$base.err" || rc=$? ;;
    *) echo "sys_ikectl: unknown user $as" >&2; return 2 ;;
  esac
  echo "exit $rc" >> "$base.cmd"
  SYS_OUT=$base.out SYS_ERR=$base.err
  return "$rc"
}

# sys_journal_since EPOCH: the unit's journal from that second on.
sys_journal_since() { journalctl -u "$SYS_UNIT" --since "@$1" --no-pager -o cat 2>/dev/null; }

# sys_journal_has EPOCH REGEX
sys_journal_has() { sys_journal_since "$1" | grep -Eq "$2"; }

sys_unit_prop() { systemctl show -P "$1" "$SYS_UNIT"; }

sys_unit_running() { [ "$(sys_unit_prop ActiveState)/$(sys_unit_prop SubState)" = active/running ]; }

# sys_ipsec_packets FILE: "packets_in packets_out" summed over `ikectl --json show ipsec sa`.
sys_ipsec_packets() {
  python3 -c '
import json, sys
sas = json.load(open(sys.argv[1]))["child_sas"]
print(sum(c["packets_in"] for c in sas), sum(c["packets_out"] for c in sas))' "$1"
}

# sys_collect_logs: the guest's side of the story, for build-system/system-logs/.
# Runs from EXIT traps: nothing here may end the script early.
sys_collect_logs() {
  set +e
  journalctl -b --no-pager -o short-monotonic > "$RESULTS/journal-boot.txt" 2>&1
  journalctl -u "$SYS_UNIT" --no-pager -o short-monotonic > "$RESULTS/journal-ikev2d.txt" 2>&1
  systemctl status --no-pager "$SYS_UNIT" > "$RESULTS/systemctl-status.txt" 2>&1
  systemctl cat --no-pager "$SYS_UNIT" > "$RESULTS/unit-as-loaded.txt" 2>&1
  busctl --no-pager list > "$RESULTS/busctl-list.txt" 2>&1
  cp "$SYS_CONF" "$RESULTS/ikev2d.conf.final" 2>/dev/null
  true
}
