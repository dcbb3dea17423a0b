#!/usr/bin/env bash
# The distribution-style test, inside the test VM booted with systemd as PID 1 (run by
# tests/system/run.sh through tests/vm/run-in-vm.sh --systemd):
#   `apt install ./ikev2d_*.deb`, which starts the service on the packaged template; it
#   runs and refuses a strongSwan client until the administrator writes a configuration
#   and reloads; then the client (cert + EAP-MSCHAPv2) in the e2e topology's gateway
#   namespace; ikectl over the real system bus (show, JSON, disconnect, permissions);
#   reload with a broken configuration; `apt remove` leaving no XFRM state and forwarding
#   as it was; `apt purge` removing the conffile; systemd-analyze security.
# One PASS/FAIL line per check in $RESULTS/checks.txt; exit 0 only if all passed.
# Usage: in_guest.sh DEB_DIR   (where tests/package/build-deb.sh left ikev2d_*.deb)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR
source "$here/../e2e/lib.sh"
source "$here/lib/checks.sh"
source "$here/lib/package.sh"
source "$here/lib/service.sh"
source "$here/lib/environment.sh"

DEB_DIR=${1:?usage: in_guest.sh DEB_DIR}
USER_NAME=alice
USER_PASSWORD=Correct-Horse-7
PEER=
VIP=
SECURITY_THRESHOLD=2.5   # as systemd/meson.build's systemd-unit-exposure test

sys_cleanup() {
  local rc=$?
  set +e   # collect whatever is there, whatever fails
  sys_record_interrupted_stage "$rc"
  # The service must leave the namespace before e2e_cleanup deletes it.
  timeout 30 systemctl stop "$SYS_UNIT" > /dev/null 2>&1 || true
  sys_collect_logs
  if [ "$SYS_FAILED" = 1 ] && [ "$rc" = 0 ]; then rc=1; fi
  (exit "$rc")
  e2e_cleanup   # kills the clients, deletes the namespaces, exits with rc
}

# --- 1. the package -----------------------------------------------------------------

# The package started the service in the guest's root namespace; the drop-in moves it
# into gw, so it is restarted there (still on the packaged template).
check_service_start() {
  local t0 pid ns
  t0=$(date +%s)
  # Type=notify: systemctl restart returns once the daemon sent READY=1 (or failed).
  timeout 120 systemctl restart "$SYS_UNIT" ||
    { SYS_WHY="systemctl restart failed: $(sys_oneline "$(journalctl -u "$SYS_UNIT" -n 5 --no-pager -o cat)")"; return 1; }
  systemctl is-active --quiet "$SYS_UNIT" || { SYS_WHY="not active after start"; return 1; }
  sys_unit_running || { SYS_WHY="state $(sys_unit_prop ActiveState)/$(sys_unit_prop SubState)"; return 1; }
  sys_wait 10 sys_journal_has "$t0" 'Started .*IKEv2 remote-access VPN gateway' ||
    { SYS_WHY="the journal has no 'Started' for the unit (READY=1 never arrived?)"; return 1; }
  sys_journal_has "$t0" 'ikev2d .* started \(/etc/ikev2d/ikev2d.conf\)' ||
    { SYS_WHY="the daemon's start line does not name /etc/ikev2d/ikev2d.conf"; return 1; }
  pid=$(sys_unit_prop MainPID)
  ns=$(ip netns identify "$pid" 2>/dev/null || true)
  [ "$ns" = gw ] || { SYS_WHY="MainPID $pid runs in namespace '${ns:-the root one}', not gw"; return 1; }
  e2e_in gw ss -Hulnp 'sport = :500' | grep -q "pid=$pid," ||
    { SYS_WHY="pid $pid does not listen on UDP 500 in gw"; return 1; }
  busctl --no-pager status org.ikev2d 2>/dev/null | grep -q "^PID=$pid\$" ||
    { SYS_WHY="org.ikev2d is not owned by pid $pid on the system bus"; return 1; }
  SYS_DETAIL="pid $pid in netns gw, READY after $(( $(date +%s) - t0 ))s"
}

# --- 2. nobody gets in until the administrator configures someone ---------------------

# On the template, a client's IKE_AUTH is refused (AUTHENTICATION_FAILED) and says why in
# the journal; no pool, so forwarding stays off in gw (the topology's 1 was undone).
check_template_refuses_client() {
  local t forwarding
  t=$(date +%s)
  if e2e_client_up client1 --auth eap-mschapv2 --user "$USER_NAME" --password "$USER_PASSWORD" --expect-fail; then
    SYS_WHY="the client got a tunnel from the packaged template (virtual IP $(e2e_client_vip client1))"
    return 1
  fi
  e2e_client_log_has client1 'AUTHENTICATION_FAILED' ||
    { SYS_WHY="the client's charon.log has no AUTHENTICATION_FAILED"; return 1; }
  sys_wait 10 sys_journal_has "$t" 'no group configured' ||
    { SYS_WHY="the journal does not say why: $(sys_oneline "$(sys_journal_since "$t" | tail -3)")"; return 1; }
  [ "$(e2e_xfrm_state_count gw)" = 0 ] || { SYS_WHY="gw has XFRM states after a refused login"; return 1; }
  forwarding=$(e2e_in gw sysctl -n net.ipv4.ip_forward)
  [ "$forwarding" = 0 ] || { SYS_WHY="net.ipv4.ip_forward is $forwarding in gw without any pool"; return 1; }
  SYS_DETAIL="AUTHENTICATION_FAILED; journal: $(sys_journal_since "$t" | grep -m1 -o 'no group configured.*' | cut -c1-60)"
}

# The administrator writes the configuration and reloads; the same daemon takes it.
check_admin_config_reload() {
  local t pid
  pid=$(sys_unit_prop MainPID)
  sys_write_config --auth cert-eap-mschapv2 --users "$USER_NAME:$USER_PASSWORD"
  /usr/sbin/ikev2d --check-config > "$RESULTS/check-config.txt" 2>&1 ||
    { SYS_WHY="ikev2d --check-config refuses the admin's file: $(sys_oneline "$(cat "$RESULTS/check-config.txt")")"; return 1; }
  t=$(date +%s)
  systemctl reload "$SYS_UNIT" || { SYS_WHY="systemctl reload exited $?"; return 1; }
  sys_wait 20 sys_journal_has "$t" "configuration reloaded from $SYS_CONF" ||
    { SYS_WHY="no 'configuration reloaded' in the journal: $(sys_oneline "$(sys_journal_since "$t" | tail -3)")"; return 1; }
  [ "$(sys_unit_prop MainPID)" = "$pid" ] || { SYS_WHY="the daemon was restarted, not reloaded"; return 1; }
  sys_wait 10 sys_unit_running || { SYS_WHY="state $(sys_unit_prop ActiveState)/$(sys_unit_prop SubState)"; return 1; }
}

# A gateway forwards: once a pool is configured the daemon switches IPv4 forwarding on
# (global.forwarding), which the unit's sandbox must allow. It was 0 in gw since the
# start; it is put back at stop (checked at the removal).
check_forwarding_enabled() {
  local value
  value=$(e2e_in gw sysctl -n net.ipv4.ip_forward)
  [ "$value" = 1 ] && return 0
  SYS_WHY="net.ipv4.ip_forward is $value in gw after the start; journal: $(sys_oneline "$(journalctl -u "$SYS_UNIT" --no-pager -o cat | grep -m1 -i forwarding)")"
  # Evidence for the unit's owner: is the file there at all under the unit's /proc options?
  {
    echo "# the sysctl file as a transient unit with the same /proc settings sees it:"
    systemd-run --quiet --wait --pipe -p ProtectKernelTunables=yes -p ProtectProc=invisible -p ProcSubset=pid \
      -p ReadWritePaths=-/proc/sys/net/ipv4/ip_forward ls -l /proc/sys/net/ipv4/ip_forward 2>&1
    echo "# the same without ProcSubset=pid:"
    systemd-run --quiet --wait --pipe -p ProtectKernelTunables=yes -p ProtectProc=invisible \
      -p ReadWritePaths=-/proc/sys/net/ipv4/ip_forward ls -l /proc/sys/net/ipv4/ip_forward 2>&1
    echo "# a write with the unit's netns, sandbox and capabilities but without ProcSubset=pid:"
    e2e_in gw sysctl -qw net.ipv4.ip_forward=0
    systemd-run --quiet --wait --pipe -p NetworkNamespacePath=/run/netns/gw -p ProtectSystem=strict \
      -p ProtectKernelTunables=yes -p ProtectProc=invisible -p ReadWritePaths=-/proc/sys/net/ipv4/ip_forward \
      -p "CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_BIND_SERVICE" -p NoNewPrivileges=yes \
      sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward' 2>&1
    echo "gw net.ipv4.ip_forward afterwards: $(e2e_in gw sysctl -n net.ipv4.ip_forward)"
  } > "$RESULTS/forwarding-evidence.txt"
  SYS_WHY+="; see forwarding-evidence.txt"
  return 1
}

# Debug levels over the bus (root may control); the journal then explains any failure.
check_root_debug() {
  local cat
  for cat in protocol platform eap; do
    sys_ikectl root debug-$cat debug "$cat" 127 ||
      { SYS_WHY="ikectl debug $cat 127 failed: $(sys_oneline "$(cat "$SYS_ERR")")"; return 1; }
  done
}

# --- 3. a client and ikectl's view of it ----------------------------------------------

check_client_up() {
  e2e_client_up client1 --auth eap-mschapv2 --user "$USER_NAME" --password "$USER_PASSWORD"
  PEER=$(e2e_client_address 1)
  VIP=$(e2e_client_vip client1)
  [ -n "$VIP" ] || { SYS_WHY="the client has no virtual IP"; return 1; }
  SYS_DETAIL="virtual IP $VIP"
}

# The journal's structured fields: `journalctl -u ikev2d IKEV2D_USER=...` finds the
# session's start, with the peer's address.
journal_has_user_session_up() {
  journalctl -u "$SYS_UNIT" "IKEV2D_USER=$USER_NAME" -o json --no-pager > "$RESULTS/journal-user.json" 2>&1 &&
  python3 -c '
import json, sys
hits = [e for e in map(json.loads, open(sys.argv[1])) if e.get("IKEV2D_EVENT") == "session-up"
        and str(e.get("IKEV2D_PEER", "")).startswith(sys.argv[2] + ":")]
sys.exit(0 if hits else 1)' "$RESULTS/journal-user.json" "$PEER"
}
check_journal_user_field() {
  sys_wait 10 journal_has_user_session_up ||
    { SYS_WHY="no session-up entry with IKEV2D_PEER=$PEER:* for IKEV2D_USER=$USER_NAME (journal-user.json)"; return 1; }
  SYS_DETAIL="$(grep -c . "$RESULTS/journal-user.json") entries for IKEV2D_USER=$USER_NAME"
}

# sd_notify STATUS= follows the sessions (systemctl status shows it).
check_status_counts_session() {
  local status
  sys_wait 10 test "$(sys_unit_prop StatusText)" = "1 session, 0 half-open" ||
    { SYS_WHY="StatusText is '$(sys_unit_prop StatusText)', want '1 session, 0 half-open'"; return 1; }
  status=$(systemctl status --no-pager "$SYS_UNIT" 2>&1 | grep -m1 'Status:')
  SYS_DETAIL="$(echo "$status" | sed 's/^ *//')"
}

check_show_sa() {
  sys_ikectl root show-sa show sa || { SYS_WHY="exit $? $(sys_oneline "$(cat "$SYS_ERR")")"; return 1; }
  grep -q "$PEER" "$SYS_OUT" || { SYS_WHY="no IKE SA with remote $PEER in $SYS_OUT"; return 1; }
  grep -q "$VIP" "$SYS_OUT" || { SYS_WHY="the assigned $VIP is not in $SYS_OUT"; return 1; }
  grep -q READY "$SYS_OUT" || { SYS_WHY="the SA is not READY in $SYS_OUT"; return 1; }
}

check_show_sessions() {
  sys_ikectl root show-sessions show sessions || { SYS_WHY="exit $? $(sys_oneline "$(cat "$SYS_ERR")")"; return 1; }
  grep -Eq "Username *: $USER_NAME\b" "$SYS_OUT" || { SYS_WHY="no 'Username : $USER_NAME' in $SYS_OUT"; return 1; }
  grep -Eq "Assigned IP *: $VIP\b" "$SYS_OUT" || { SYS_WHY="no 'Assigned IP : $VIP' in $SYS_OUT"; return 1; }
}

check_ipsec_counters_grow() {
  local before after b_in b_out a_in a_out
  sys_ikectl root show-ipsec-sa-before show ipsec sa || { SYS_WHY="show ipsec sa: exit $?"; return 1; }
  sys_ikectl root json-ipsec-sa-before --json show ipsec sa || { SYS_WHY="--json show ipsec sa: exit $?"; return 1; }
  before=$SYS_OUT
  read -r b_in b_out < <(sys_ipsec_packets "$before") || { SYS_WHY="cannot read $before"; return 1; }
  e2e_in client1 ping -c 5 -i 0.2 -W 3 -I "$VIP" "$E2E_LAN_HOST" > "$RESULTS/ping.log" 2>&1 ||
    { SYS_WHY="ping $E2E_LAN_HOST from $VIP failed: $(sys_oneline "$(tail -2 "$RESULTS/ping.log")")"; return 1; }
  sys_ikectl root show-ipsec-sa-after show ipsec sa || { SYS_WHY="show ipsec sa: exit $?"; return 1; }
  sys_ikectl root json-ipsec-sa-after --json show ipsec sa || { SYS_WHY="--json show ipsec sa: exit $?"; return 1; }
  after=$SYS_OUT
  read -r a_in a_out < <(sys_ipsec_packets "$after") || { SYS_WHY="cannot read $after"; return 1; }
  # Five echo requests in (decrypted), five replies out (encrypted).
  [ "$a_in" -ge $((b_in + 5)) ] && [ "$a_out" -ge $((b_out + 5)) ] ||
    { SYS_WHY="packets in $b_in -> $a_in, out $b_out -> $a_out after 5 pings"; return 1; }
  grep -q '#pkts decaps: [1-9]' "$RESULTS/ikectl/"*-show-ipsec-sa-after.out ||
    { SYS_WHY="the text form shows no decapsulated packets"; return 1; }
  SYS_DETAIL="packets in $b_in -> $a_in, out $b_out -> $a_out"
}

check_json_sessions() {
  sys_ikectl root json-sessions --json show sessions || { SYS_WHY="exit $?"; return 1; }
  python3 -m json.tool "$SYS_OUT" > /dev/null 2>&1 || { SYS_WHY="not valid JSON: $SYS_OUT"; return 1; }
  python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["sessions"]
sys.exit(0 if any(x["username"] == sys.argv[2] and x["assigned_ip"] == sys.argv[3] for x in s) else 1)' \
    "$SYS_OUT" "$USER_NAME" "$VIP" ||
    { SYS_WHY="no session with username $USER_NAME and assigned_ip $VIP in $SYS_OUT"; return 1; }
}

# dbus-daemon restarts (an upgrade of dbus does that): the daemon, still the same
# process with its session, is on the new bus and ikectl works again.
ikectl_shows_peer() { sys_ikectl root show-sa-after-dbus-restart show sa && grep -q "$PEER" "$SYS_OUT"; }
check_dbus_restart() {
  local pid t
  pid=$(sys_unit_prop MainPID)
  t=$(date +%s)
  systemctl restart dbus.service || { SYS_WHY="systemctl restart dbus failed"; return 1; }
  sys_wait 30 ikectl_shows_peer ||
    { SYS_WHY="ikectl show sa does not list $PEER 30 s after the bus restarted: $(sys_oneline "$(cat "$SYS_ERR" 2>/dev/null)")"; return 1; }
  [ "$(sys_unit_prop MainPID)" = "$pid" ] || { SYS_WHY="ikev2d was restarted (pid $pid -> $(sys_unit_prop MainPID))"; return 1; }
  SYS_DETAIL="same pid $pid; journal: $(sys_oneline "$(sys_journal_since "$t" | grep -m1 -i 'bus')")"
}

# --- 4. disconnect --------------------------------------------------------------------

client_has_no_sa() { [ -z "$(e2e_client_vip client1)" ]; }
gw_has_nothing_of_client() {
  [ "$(e2e_xfrm_state_count gw "$PEER")" = 0 ] && [ "$(e2e_xfrm_policy_count gw "$VIP")" = 0 ]
}

check_disconnect() {
  sys_ikectl root disconnect disconnect "$USER_NAME" ||
    { SYS_WHY="ikectl disconnect $USER_NAME: exit $? $(sys_oneline "$(cat "$SYS_ERR")")"; return 1; }
  grep -q 'Disconnected 1 session' "$SYS_OUT" || { SYS_WHY="unexpected output: $(sys_oneline "$(cat "$SYS_OUT")")"; return 1; }
  sys_wait 20 client_has_no_sa ||
    { SYS_WHY="the client still has its SA: $(sys_oneline "$(e2e_swanctl client1 --list-sas 2>&1)")"; return 1; }
  e2e_client_log_has client1 'received DELETE for IKE_SA' ||
    { SYS_WHY="the client's charon.log has no 'received DELETE for IKE_SA'"; return 1; }
  sys_wait 10 gw_has_nothing_of_client ||
    { SYS_WHY="gw still has $(e2e_xfrm_state_count gw "$PEER") SAs and $(e2e_xfrm_policy_count gw "$VIP") policies of the client"; return 1; }
  sys_ikectl root show-sessions-after-disconnect show sessions || { SYS_WHY="show sessions: exit $?"; return 1; }
  ! grep -q "$USER_NAME" "$SYS_OUT" || { SYS_WHY="ikectl show sessions still lists $USER_NAME"; return 1; }
}

# --- 5. reload ------------------------------------------------------------------------

BROKEN_LINE=
check_reload_broken_config() {
  local t pid
  cp "$SYS_CONF" "$SYS_CONF.good"
  # A value of the wrong type on a known line: the reason must name file and line.
  BROKEN_LINE=$(grep -n '^retransmit_tries = ' "$SYS_CONF" | cut -d: -f1)
  [ -n "$BROKEN_LINE" ] || { SYS_WHY="no retransmit_tries line to break in $SYS_CONF"; return 1; }
  sed -i "${BROKEN_LINE}s/.*/retransmit_tries = \"three\"/" "$SYS_CONF"
  cp "$SYS_CONF" "$RESULTS/ikev2d.conf.broken"
  pid=$(sys_unit_prop MainPID)
  t=$(date +%s)
  systemctl reload "$SYS_UNIT" || { SYS_WHY="systemctl reload exited $?"; return 1; }
  sys_wait 15 sys_journal_has "$t" "reload refused" ||
    { SYS_WHY="no 'reload refused' in the journal: $(sys_oneline "$(sys_journal_since "$t" | tail -3)")"; return 1; }
  sys_journal_has "$t" "$SYS_CONF:$BROKEN_LINE\b" ||
    { SYS_WHY="the journal does not say $SYS_CONF:$BROKEN_LINE: $(sys_oneline "$(sys_journal_since "$t" | grep -i refused)")"; return 1; }
  sys_wait 10 sys_unit_running || { SYS_WHY="state $(sys_unit_prop ActiveState)/$(sys_unit_prop SubState) after the reload"; return 1; }
  [ "$(sys_unit_prop MainPID)" = "$pid" ] || { SYS_WHY="the daemon was restarted (pid $pid -> $(sys_unit_prop MainPID))"; return 1; }
  # The same over D-Bus: ikectl reload fails and says why.
  if sys_ikectl root reload-broken reload; then SYS_WHY="ikectl reload succeeded with a broken file"; return 1; fi
  grep -q "$SYS_CONF:$BROKEN_LINE" "$SYS_ERR" ||
    { SYS_WHY="ikectl reload's error does not name $SYS_CONF:$BROKEN_LINE: $(sys_oneline "$(cat "$SYS_ERR")")"; return 1; }
  SYS_DETAIL="$(sys_journal_since "$t" | grep -m1 -o "$SYS_CONF:${BROKEN_LINE}[^ ]*.*" | cut -c1-120)"
}

check_reload_restored_config() {
  local t pid
  cp "$SYS_CONF.good" "$SYS_CONF"
  pid=$(sys_unit_prop MainPID)
  t=$(date +%s)
  systemctl reload "$SYS_UNIT" || { SYS_WHY="systemctl reload exited $?"; return 1; }
  sys_wait 15 sys_journal_has "$t" "configuration reloaded from $SYS_CONF" ||
    { SYS_WHY="no 'configuration reloaded' in the journal: $(sys_oneline "$(sys_journal_since "$t" | tail -3)")"; return 1; }
  sys_wait 10 sys_unit_running || { SYS_WHY="state $(sys_unit_prop ActiveState)/$(sys_unit_prop SubState)"; return 1; }
  [ "$(sys_unit_prop MainPID)" = "$pid" ] || { SYS_WHY="the daemon was restarted"; return 1; }
  sys_ikectl root reload-good reload || { SYS_WHY="ikectl reload: exit $? $(sys_oneline "$(cat "$SYS_ERR")")"; return 1; }
}

# --- 6. who may ask -------------------------------------------------------------------

check_nobody_refused() {
  local rc=0
  sys_ikectl nobody show-sa-nobody show sa || rc=$?
  [ "$rc" = 1 ] || { SYS_WHY="ikectl show sa as nobody exited $rc (want 1)"; return 1; }
  grep -qi 'permission denied' "$SYS_ERR" || { SYS_WHY="no permission error: $(sys_oneline "$(cat "$SYS_ERR")")"; return 1; }
  [ ! -s "$SYS_OUT" ] || { SYS_WHY="ikectl printed status to nobody"; return 1; }
  SYS_DETAIL="$(head -1 "$SYS_ERR" | cut -c1-100)"
}

check_root_allowed() {
  sys_ikectl root show-sa-root show sa || { SYS_WHY="exit $? $(sys_oneline "$(cat "$SYS_ERR")")"; return 1; }
}

# The bus policy's middle ground: group ikev2d reads status but may not control.
check_reader_reads_only() {
  local rc=0
  sys_ikectl reader show-sa-reader show sa || { SYS_WHY="show sa as $SYS_READER: exit $? $(sys_oneline "$(cat "$SYS_ERR")")"; return 1; }
  sys_ikectl reader reload-reader reload || rc=$?
  [ "$rc" = 1 ] && grep -qi 'permission denied' "$SYS_ERR" ||
    { SYS_WHY="ikectl reload as $SYS_READER: exit $rc $(sys_oneline "$(cat "$SYS_ERR")")"; return 1; }
}

# The watchdog (WatchdogSec=30s) or a crash would have restarted the daemon unnoticed.
check_no_restarts() {
  local n
  n=$(sys_unit_prop NRestarts)
  [ "$n" = 0 ] ||
    { SYS_WHY="systemd restarted ikev2d $n times: $(sys_oneline "$(journalctl -u "$SYS_UNIT" --no-pager -o cat | grep -E 'Watchdog|Main process exited|Failed with' | head -3)")"; return 1; }
}

# --- 7. stop --------------------------------------------------------------------------

# apt remove: the prerm stops the service, which deletes every SA (the client is told),
# leaves no XFRM state or policy and puts net.ipv4.ip_forward back to the 0 it found.
check_remove_cleans_kernel() {
  local t states policies rc=0
  [ "$(e2e_xfrm_state_count gw)" -ge 2 ] || { SYS_WHY="no SAs on gw before the removal (client reconnect failed?)"; return 1; }
  t=$(date +%s)
  DEBIAN_FRONTEND=noninteractive timeout 300 apt-get remove -y --no-download -o Dpkg::Use-Pty=0 "$SYS_PKG" \
    > "$RESULTS/apt-remove.log" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    sys_note "remove: apt-get remove failed (exit $rc, apt-remove.log); dpkg -r instead"
    timeout 300 dpkg -r "$SYS_PKG" > "$RESULTS/dpkg-remove.log" 2>&1 ||
      { SYS_WHY="dpkg -r failed: $(sys_oneline "$(tail -3 "$RESULTS/dpkg-remove.log")")"; return 1; }
  fi
  [ "$(dpkg-query -W -f='${Status}' "$SYS_PKG" 2>/dev/null)" = "deinstall ok config-files" ] ||
    { SYS_WHY="after the removal dpkg says '$(dpkg-query -W -f='${Status}' "$SYS_PKG" 2>&1)'"; return 1; }
  [ ! -e /usr/sbin/ikev2d ] || { SYS_WHY="/usr/sbin/ikev2d is still there"; return 1; }
  [ "$(sys_unit_prop ActiveState)" = inactive ] ||
    { SYS_WHY="state $(sys_unit_prop ActiveState) (Result=$(sys_unit_prop Result)) after the removal"; return 1; }
  e2e_in gw ip xfrm state > "$RESULTS/xfrm-state-after-stop.txt" 2>&1
  e2e_in gw ip xfrm policy > "$RESULTS/xfrm-policy-after-stop.txt" 2>&1
  states=$(grep -c '^src ' "$RESULTS/xfrm-state-after-stop.txt" || true)
  policies=$(grep -c '^src ' "$RESULTS/xfrm-policy-after-stop.txt" || true)
  [ "$states" = 0 ] && [ "$policies" = 0 ] ||
    { SYS_WHY="gw keeps $states XFRM states and $policies policies after stop (see xfrm-*-after-stop.txt)"; return 1; }
  sys_journal_has "$t" 'stopping: deleting all IKE SAs' ||
    { SYS_WHY="the journal has no 'stopping: deleting all IKE SAs'"; return 1; }
  sys_wait 15 client_has_no_sa || { SYS_WHY="the client kept its SA (no Delete at stop?)"; return 1; }
  [ "$(e2e_in gw sysctl -n net.ipv4.ip_forward)" = 0 ] ||
    { SYS_WHY="net.ipv4.ip_forward in gw is $(e2e_in gw sysctl -n net.ipv4.ip_forward) after the stop, was 0 before the start"; return 1; }
  sys_journal_has "$t" 'IPv4 forwarding put back to 0' || { SYS_WHY="the journal does not say forwarding was put back"; return 1; }
  [ -e "$SYS_CONF" ] || { SYS_WHY="remove (not purge) deleted the conffile $SYS_CONF"; return 1; }
}

# ikev2d killed outright (SIGKILL: no stop code runs) after it switched forwarding on:
# systemd restarts it, and the new run knows from the marker in its state directory that
# forwarding was 0 before, so the removal below still puts it back.
restarted_after() { [ "$(sys_unit_prop MainPID)" != "$1" ] && [ "$(sys_unit_prop MainPID)" != 0 ] && sys_unit_running; }
check_killed_run_forwarding() {
  local pid t
  pid=$(sys_unit_prop MainPID)
  t=$(date +%s)
  systemctl kill -s KILL "$SYS_UNIT" || { SYS_WHY="systemctl kill failed"; return 1; }
  sys_wait 60 restarted_after "$pid" || { SYS_WHY="not running again after SIGKILL: $(sys_unit_prop ActiveState)/$(sys_unit_prop SubState)"; return 1; }
  sys_wait 10 sys_journal_has "$t" 'IPv4 forwarding enabled .*did not stop cleanly' ||
    { SYS_WHY="the restarted run does not say forwarding was 0 before the killed run: $(sys_oneline "$(sys_journal_since "$t" | grep -m1 -i forwarding)")"; return 1; }
}

# apt purge: the conffile and the state directory (self-signed key) go too.
check_purge() {
  local rc=0
  DEBIAN_FRONTEND=noninteractive timeout 300 apt-get purge -y --no-download -o Dpkg::Use-Pty=0 "$SYS_PKG" \
    > "$RESULTS/apt-purge.log" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    sys_note "purge: apt-get purge failed (exit $rc, apt-purge.log); dpkg --purge instead"
    timeout 300 dpkg --purge "$SYS_PKG" > "$RESULTS/dpkg-purge.log" 2>&1 ||
      { SYS_WHY="dpkg --purge failed: $(sys_oneline "$(tail -3 "$RESULTS/dpkg-purge.log")")"; return 1; }
  fi
  [ -z "$(dpkg-query -W -f='${Status}' "$SYS_PKG" 2>/dev/null | grep -v '^unknown ok not-installed$')" ] ||
    { SYS_WHY="after the purge dpkg says '$(dpkg-query -W -f='${Status}' "$SYS_PKG" 2>&1)'"; return 1; }
  [ ! -e "$SYS_CONF" ] || { SYS_WHY="$SYS_CONF survived the purge"; return 1; }
  [ ! -e /var/lib/ikev2d ] || { SYS_WHY="/var/lib/ikev2d survived the purge"; return 1; }
}

# --- 8. systemd-analyze security ------------------------------------------------------

check_security_exposure() {
  local out=$RESULTS/systemd-analyze-security.txt figure
  systemd-analyze security --no-pager "$SYS_UNIT" > "$out" 2>&1 || true   # non-zero above its own threshold
  figure=$(grep -o 'Overall exposure level for ikev2d.service: [0-9.]* [A-Z]*' "$out" | awk '{print $6, $7}')
  [ -n "$figure" ] || { SYS_WHY="no exposure figure in $out"; return 1; }
  echo "$figure" > "$RESULTS/exposure.txt"
  SYS_DETAIL="exposure $figure"
  awk -v f="${figure%% *}" -v t="$SECURITY_THRESHOLD" 'BEGIN { exit !(f <= t) }' ||
    { SYS_WHY="exposure $figure is above $SECURITY_THRESHOLD"; return 1; }
}

# --- the run --------------------------------------------------------------------------

[ -n "${RESULTS:-}" ] || { echo "in_guest.sh: RESULTS is not set (run through tests/system/run.sh)" >&2; exit 2; }
[ -d /run/systemd/system ] || { echo "in_guest.sh: systemd is not PID 1 (run-in-vm.sh --systemd)" >&2; exit 2; }
sys_checks_begin
start=$(date +%s)
trap 'rc=$?; set +e; sys_record_interrupted_stage "$rc"; sys_collect_logs; exit "$rc"' EXIT
sys_require "install: apt install ./ikev2d_*.deb (files, conffile 0600, group ikev2d, unit enabled)" \
  check_install_package "$DEB_DIR"
sys_check "first start: active on the packaged template, no forwarding, no password in the journal" \
  check_first_start_on_template || true

e2e_begin system /usr/sbin/ikev2d
trap sys_cleanup EXIT
SYS_STAGE="topology"
e2e_topology --clients 1
sys_write_netns_dropin gw
sys_check "security: systemd-analyze security ikev2d.service" check_security_exposure || true

sys_note "kernel crypto warm-up (see lib/environment.sh) took $(sys_warm_up_kernel_crypto)s"
e2e_in gw sysctl -qw net.ipv4.ip_forward=0
sys_require "start: systemctl restart into netns gw, READY=1, owns org.ikev2d" check_service_start
sys_check "template: a strongSwan client is refused, the journal says why, no forwarding" \
  check_template_refuses_client || true
sys_require "admin writes ikev2d.conf, systemctl reload: taken by the running daemon" check_admin_config_reload
sys_check "ikev2d enabled IPv4 forwarding for the pool from inside the sandbox" check_forwarding_enabled || true
sys_check "ikectl debug (root controls over the system bus)" check_root_debug || true
sys_require "client connects (cert + EAP-MSCHAPv2, virtual IP)" check_client_up
sys_check "journalctl IKEV2D_USER=<user> finds the session (structured fields)" check_journal_user_field || true
sys_check "systemctl status: STATUS= counts the session" check_status_counts_session || true
sys_check "ikectl show sa lists the client and its address" check_show_sa || true
sys_check "ikectl show sessions lists user and address" check_show_sessions || true
sys_check "ikectl show ipsec sa counters grow with a ping" check_ipsec_counters_grow || true
sys_check "ikectl --json show sessions is JSON with user and address" check_json_sessions || true
sys_check "systemctl restart dbus: same daemon back on the bus, ikectl show sa works" check_dbus_restart || true
sys_check "ikectl disconnect: client gets the Delete, gw XFRM clean" check_disconnect || true
sys_check "reload with a broken ikev2d.conf: still active, journal names file:line" check_reload_broken_config || true
sys_check "reload with the file restored" check_reload_restored_config || true
sys_check "permission: nobody gets 'permission denied' (exit 1)" check_nobody_refused || true
sys_check "permission: root may read" check_root_allowed || true
sys_check "permission: group ikev2d reads status, may not reload" check_reader_reads_only || true
sys_check "no restarts of ikev2d.service during the run (watchdog, crash)" check_no_restarts || true
sys_check "SIGKILL: systemd restarts ikev2d, which knows forwarding was 0 before the killed run" \
  check_killed_run_forwarding || true
SYS_STAGE="client reconnects for the removal check"
e2e_swanctl client1 --terminate --ike vpn --force > /dev/null 2>&1 || true   # its peer was killed
e2e_client_up client1 --auth eap-mschapv2 --user "$USER_NAME" --password "$USER_PASSWORD"
sys_check "apt remove: stopped, no XFRM state or policy left in gw, client told, forwarding put back" \
  check_remove_cleans_kernel || true
sys_check "apt purge: the conffile and /var/lib/ikev2d are gone" check_purge || true
sys_note "the guest's checks took $(( $(date +%s) - start ))s"
SYS_STAGE=end SYS_STAGE_DONE=1
[ "$SYS_FAILED" = 0 ]
