#!/usr/bin/env bash
# The adversarial suite inside the test VM (run by tests/vm/run-adversarial.sh): ikev2d in
# namespace gw with real XFRM; the prober and the legitimate test initiator in client1, a
# strongSwan client in client2, the flood generator in namespace attacker (32 addresses
# 192.0.2.100-131 on the same bridge). Everything stays between the guest's namespaces.
#
#   run-in-guest.sh IKEV2D_BINARY BUILD_DIR
#
# Parts: (1) the prober's cases against a gateway without cookies; a Child SA of the test
# initiator in the gateway's kernel; EAP-MD5; (2) with half_open_cookie_threshold = 10:
# the prober's COOKIE cases, then a spoofed
# IKE_SA_INIT flood that never returns cookies, during which an established session keeps
# answering, the test initiator and a strongSwan client complete IKE_AUTH; (3) a
# cookie-returning flood from 4 addresses, during which a legitimate client gets through
# within 5 s. One line per check in $RESULTS/summary.txt, "adversarial: N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
gateway=${1:?"usage: $0 IKEV2D_BINARY BUILD_DIR"}
build=${2:?"usage: $0 IKEV2D_BINARY BUILD_DIR"}
source "$here/../e2e/lib.sh"
e2e_begin adversarial "$gateway"

bin=$build/tests/adversarial
for p in prober flood legit; do [ -x "$bin/$p" ] || e2e_fail "missing $bin/$p (build the tests)"; done
summary=$RESULTS/summary.txt
: > "$summary"
passed=0 failed=0
check() {  # check NAME STATUS DETAIL: one line in the summary
  if [ "$2" = 0 ]; then
    passed=$((passed + 1)); echo "PASS $1${3:+ ($3)}" | tee -a "$summary"
  else
    failed=$((failed + 1)); echo "FAIL $1: $3" | tee -a "$summary"
  fi
}

PSK=adversarial-suite-psk-0123456789
EAP_USER=alice EAP_PASSWORD=Md5-Secret-Of-Alice
ATTACKER_FIRST=192.0.2.100
LEGIT_ADDR=$(e2e_client_address 1)
legit() { e2e_in client1 "$bin/legit" --gateway "$E2E_GW_OUT" --bind "$LEGIT_ADDR" --psk "$PSK" --id peer@adversarial.test "$@"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo -1; }

e2e_topology --clients 2
e2e_netns_add attacker
ip link add att netns gw type veth peer name eth0 netns attacker
ip -n gw link set att master br-out up
for i in $(seq 0 31); do ip -n attacker addr add "192.0.2.$((100 + i))/24" dev eth0; done
ip -n attacker link set eth0 up
e2e_wait_for 10 "the attacker to reach the gateway" e2e_in attacker ping -c1 -W1 "$E2E_GW_OUT" ||
  e2e_fail "the attacker namespace cannot reach the gateway"

GW_PID= GW_LOG=
# gw_start NAME COOKIE_THRESHOLD HALF_OPEN_LIMIT [EXTRA_GLOBAL_KEYS]: ikev2d with the suite's configuration.
gw_start() {
  local name=$1 dir=$E2E_DIR/gw-$1
  mkdir -p "$dir/state"
  cat > "$dir/ikev2d.conf" <<TOML
# Written by tests/adversarial/run-in-guest.sh ($name).
[global]
listen = ["$E2E_GW_OUT"]
state_dir = "$dir/state"
half_open_cookie_threshold = $2
half_open_limit = $3
${4:-}
auth_timeout_s = 30
retransmit_base_ms = 1000
retransmit_tries = 3
default_group = "adv"

[dpd]
interval_s = 10
retries = 2

[[ike_policy]]
priority = 10
encryption = ["aes-gcm-256", "aes-gcm-128"]
prf = ["sha256", "sha384"]
groups = ["curve25519", "ecp256", "ecp384"]

[[ike_policy]]
priority = 20
encryption = ["aes-256", "aes-128"]
integrity = ["sha256", "sha384", "sha512"]
groups = ["curve25519", "ecp256", "ecp384"]

[ipsec_proposal.default]
encryption = ["aes-gcm-256", "aes-gcm-128", "aes-256", "aes-128"]
integrity = ["sha256"]

[pool.adv]
range = "$E2E_POOL"

[group.adv]
pool = "adv"
client_auth = "psk"
psk = "$PSK"
ipsec_proposal = "default"
local_networks = ["$E2E_LAN_NET"]

# EAP-MD5 (for the test initiator's EAP check) needs a gateway certificate.
[trustpoint]
certificate = "$dir/state/gw-cert.pem"
private_key = "$dir/state/gw-key.pem"
self_signed = true

[group.eap]
pool = "adv"
client_auth = "eap"
eap_methods = ["md5"]
ipsec_proposal = "default"
local_networks = ["$E2E_LAN_NET"]

[user.$EAP_USER]
group = "eap"
password = "$EAP_PASSWORD"
TOML
  # The log stays in the guest's memory while it runs (floods write one line per packet).
  GW_LOG=/dev/shm/adversarial-gw-$name.log
  ip netns exec gw "$gateway" --config "$dir/ikev2d.conf" --state-dir "$dir/state" --no-dbus ${ADV_GW_DEBUG:-} \
    > "$GW_LOG" 2>&1 &
  GW_PID=$!
  e2e_track "$GW_PID"
  E2E_IKEV2D_PID=$GW_PID  # e2e_pass/e2e_ikev2d_alive look at it
  listening_or_gone() { e2e_gw_listening || ! kill -0 "$GW_PID" 2>/dev/null; }
  e2e_wait_for 60 "ikev2d to listen" listening_or_gone && e2e_gw_listening ||
    e2e_fail "ikev2d ($name) does not listen: $(tail -3 "$GW_LOG" | tr '\n' ' ')"
}
gw_stop() {
  local name=$1
  kill "$GW_PID" 2>/dev/null
  e2e_wait_for 15 "ikev2d to stop" sh -c "! kill -0 $GW_PID" || kill -9 "$GW_PID" 2>/dev/null
  wait "$GW_PID" 2>/dev/null
  tail -c 2000000 "$GW_LOG" > "$E2E_DIR/gw-$name/ikev2d.log"
  ip -n gw xfrm state flush
  ip -n gw xfrm policy flush
}
gw_alive() { kill -0 "$GW_PID" 2>/dev/null; }
xfrm_states_for() { ip -n gw xfrm state | grep '^src ' | grep -cw "$1"; }

# ---- 1: the prober ---------------------------------------------------------------------
# Cookies are not demanded here (threshold = limit): each case gets the answer to its own content.
# The prober is one address that holds hundreds of half-open SAs and sends its cases back
# to back: the per-source half-open limit would answer it with COOKIEs and the per-source
# work budget would cut it off, both rightly, but this phase checks the protocol answers.
ADV_GW_DEBUG="--debug protocol=3" gw_start prober 10000 10000 $'half_open_per_source_limit = 10000\nsource_work_ms_per_s = 0'
# The first Child SA makes the guest kernel load its ESP/AEAD modules, which takes many
# seconds under TCG; the prober's time limits are for a warm gateway.
legit connect --timeout 120 > "$E2E_DIR/warm-up.log" 2>&1
check "first IKE_AUTH of the test initiator, AES-GCM (cold kernel)" $? "$(head -1 "$E2E_DIR/warm-up.log")"
legit --cbc --groups 19 connect --timeout 120 > "$E2E_DIR/warm-up-cbc.log" 2>&1
check "first IKE_AUTH of the test initiator, AES-CBC/HMAC-SHA256, ECP-256 (cold kernel)" $? "$(head -1 "$E2E_DIR/warm-up-cbc.log")"
start=$(date +%s)
e2e_in client1 "$bin/prober" --gateway "$E2E_GW_OUT" --bind "$LEGIT_ADDR" --psk "$PSK" --id peer@adversarial.test \
  --pid "$GW_PID" > "$E2E_DIR/prober.log" 2>&1
prober_rc=$?
p_pass=$(grep -c '^PASS ' "$E2E_DIR/prober.log")
p_fail=$(grep -c '^FAIL ' "$E2E_DIR/prober.log")
grep '^FAIL ' "$E2E_DIR/prober.log" | sed 's/^FAIL /FAIL prober: /' | tee -a "$summary"
grep '^# ' "$E2E_DIR/prober.log" | sed 's/^# /  prober: /' | tee -a "$summary"
echo "  prober: $p_pass passed, $p_fail failed in $(( $(date +%s) - start ))s (log: $E2E_DIR/prober.log)" | tee -a "$summary"
passed=$((passed + p_pass)) failed=$((failed + p_fail))
[ "$prober_rc" = 0 ] || [ "$p_fail" -gt 0 ] || check "prober exit status" 1 "status $prober_rc with no failed case"

# The test initiator's Child SA lands in the gateway's kernel, and its Delete removes it.
before=$(xfrm_states_for "$LEGIT_ADDR")
# Started directly (no shell function, which would run in a subshell), so that $! is the
# client itself and SIGTERM makes it send its Delete.
ip netns exec client1 "$bin/legit" --gateway "$E2E_GW_OUT" --bind "$LEGIT_ADDR" --psk "$PSK" --id peer@adversarial.test \
  connect --keep > "$E2E_DIR/legit-keep.log" 2>&1 &
keep_pid=$!
if e2e_wait_for 30 "the kept session" grep -q "up in" "$E2E_DIR/legit-keep.log"; then
  n=$(xfrm_states_for "$LEGIT_ADDR")
  [ "$n" -ge $((before + 2)) ] && check "test initiator's Child SA installed in the kernel" 0 "XFRM states for $LEGIT_ADDR: $before -> $n" ||
    check "test initiator's Child SA installed in the kernel" 1 "XFRM states for $LEGIT_ADDR: $before -> $n"
  kill "$keep_pid"; wait "$keep_pid"
  back() { [ "$(xfrm_states_for "$LEGIT_ADDR")" -le "$before" ]; }
  e2e_wait_for 10 "the SAs to go" back && check "Delete from the test initiator removes its Child SA" 0 "" ||
    check "Delete from the test initiator removes its Child SA" 1 "$(xfrm_states_for "$LEGIT_ADDR") states, $before before"
else
  kill "$keep_pid" 2>/dev/null; wait "$keep_pid" 2>/dev/null
  check "test initiator's Child SA installed in the kernel" 1 "no session: $(tail -1 "$E2E_DIR/legit-keep.log")"
fi
e2e_in client1 "$bin/legit" --gateway "$E2E_GW_OUT" --bind "$LEGIT_ADDR" --eap-user "$EAP_USER" \
  --eap-password "$EAP_PASSWORD" connect --timeout 30 > "$E2E_DIR/legit-eap-md5.log" 2>&1
check "test initiator completes IKE_AUTH with EAP-MD5" $? "$(head -1 "$E2E_DIR/legit-eap-md5.log")"
gw_alive && check "ikev2d survived the prober" 0 "" || check "ikev2d survived the prober" 1 "the daemon is gone"
gw_stop prober

# ---- 2: spoofed flood, cookies engaged ---------------------------------------------------
THRESHOLD=10 HALF_OPEN_LIMIT=1000
gw_start floods "$THRESHOLD" "$HALF_OPEN_LIMIT"
# The prober's COOKIE cases need cookies engaged: it holds THRESHOLD half-open SAs itself
# (they expire after auth_timeout_s = 30 s, before the cookie-returning flood).
e2e_in client1 "$bin/prober" --gateway "$E2E_GW_OUT" --bind "$LEGIT_ADDR" --psk "$PSK" --id peer@adversarial.test \
  --pid "$GW_PID" --batch cookie --cookie-threshold "$THRESHOLD" > "$E2E_DIR/prober-cookie.log" 2>&1
c_pass=$(grep -c '^PASS ' "$E2E_DIR/prober-cookie.log")
c_fail=$(grep -c '^FAIL ' "$E2E_DIR/prober-cookie.log")
grep '^FAIL ' "$E2E_DIR/prober-cookie.log" | sed 's/^FAIL /FAIL prober: /' | tee -a "$summary"
echo "  prober (cookie batch): $c_pass passed, $c_fail failed (log: $E2E_DIR/prober-cookie.log)" | tee -a "$summary"
passed=$((passed + c_pass)) failed=$((failed + c_fail))
# strongSwan's start and configuration load take long under TCG: connect and disconnect it
# once before the flood, so that during the flood only its IKE exchanges run. A flood
# makes the gateway drop part of every source's packets, so its retransmits start at 1 s
# (the e2e default of 3 s doubling would outlast the 20 s flood after two losses).
e2e_charon_start client2 client2 "retransmit_timeout = 1
  retransmit_base = 1.4
  retransmit_tries = 8"
if e2e_client_up client2 --auth psk --psk "$PSK" --id client2@adversarial.test --expect-fail \
    > "$E2E_DIR/strongswan-up.log" 2>&1; then
  check "strongSwan client completes IKE_AUTH before the flood" 0 ""
  e2e_swanctl client2 --terminate --ike vpn --timeout 30 > "$E2E_DIR/strongswan-down.log" 2>&1
else
  check "strongSwan client completes IKE_AUTH before the flood" 1 "$(tail -2 "$E2E_DIR/strongswan-up.log" | tr '\n' ' ')"
fi
# The held session's INFORMATIONALs are retransmitted every second and must be answered
# within 10 s: the flooded gateway drops part of every source's datagrams under TCG.
ip netns exec client1 "$bin/legit" --gateway "$E2E_GW_OUT" --bind "$LEGIT_ADDR" --psk "$PSK" --id peer@adversarial.test \
  hold --duration 26 --interval 1 --max-rtt 10 --ready "$E2E_DIR/hold.ready" > "$E2E_DIR/hold.log" 2>&1 &
hold_pid=$!
e2e_wait_for 30 "the held session" test -f "$E2E_DIR/hold.ready" || check "held session up" 1 "$(tail -1 "$E2E_DIR/hold.log")"
rss_base=$(rss_kb "$GW_PID")
# Budget: the spoofed flood leaves at most THRESHOLD half-open SAs (cookies are stateless);
# the cookie-returning one at most HALF_OPEN_LIMIT, each well under 16 KiB (keys, both
# IKE_SA_INIT messages, table entries); plus 8 MiB for allocator slack and logs.
rss_limit=$((rss_base + HALF_OPEN_LIMIT * 16 + 8192))
flood_start=$(date +%s)
ip netns exec attacker "$bin/flood" --gateway "$E2E_GW_OUT" --source "$ATTACKER_FIRST" --sources 32 --mode spoof \
  --total 20000 --duration 20 > "$E2E_DIR/flood-spoof.log" 2>&1 &
flood_pid=$!
ss_start=$(date +%s)
e2e_swanctl client2 --initiate --child vpn --timeout 60 > "$E2E_DIR/strongswan-during.log" 2>&1 &
ss_pid=$!
sleep 3
legit connect --timeout 10 > "$E2E_DIR/during-spoof.log" 2>&1
check "spoofed flood: test initiator completes IKE_AUTH during the flood" $? "$(head -1 "$E2E_DIR/during-spoof.log")"
wait "$ss_pid"
ss_rc=$? ss_end=$(date +%s)
during=no; kill -0 "$flood_pid" 2>/dev/null && during=yes
check "spoofed flood: strongSwan client completes IKE_AUTH" "$ss_rc" \
  "$((ss_end - ss_start))s after its start, $((ss_end - flood_start))s after the flood began; $(grep -E 'established|failed' "$E2E_DIR/strongswan-during.log" | tail -1)"
[ "$ss_rc" = 0 ] && { [ "$during" = yes ] && check "spoofed flood: ... and the flood was still running then" 0 "" ||
  check "spoofed flood: ... and the flood was still running then" 1 "it finished $((ss_end - flood_start))s after the flood began (20 s)"; }
if [ "$ss_rc" = 0 ]; then
  e2e_in client2 ping -c 2 -i 0.2 -W 3 -I "$(e2e_client_vip client2)" "$E2E_LAN_HOST" > "$E2E_DIR/ping-client2.log" 2>&1
  check "strongSwan client pings the LAN through ESP" $? "$(grep -o '[0-9]* received' "$E2E_DIR/ping-client2.log")"
fi
wait "$flood_pid"
cat "$E2E_DIR/flood-spoof.log" | tee -a "$summary"
stats=$(grep FLOOD_STATS "$E2E_DIR/flood-spoof.log")
cookies=$(echo "$stats" | sed -n 's/.* cookies=\([0-9]*\).*/\1/p'); sas=$(echo "$stats" | sed -n 's/.* sa=\([0-9]*\).*/\1/p')
[ "${cookies:-0}" -gt 0 ] && check "spoofed flood: COOKIE notifies engaged" 0 "$cookies COOKIE answers" ||
  check "spoofed flood: COOKIE notifies engaged" 1 "no COOKIE answer: $stats"
# Only the first THRESHOLD requests may create state (+2 for legit clients half-open at that moment).
[ "${sas:-999}" -le $((THRESHOLD + 2)) ] && check "spoofed flood: at most the threshold of half-open SAs" 0 "$sas SA answers" ||
  check "spoofed flood: at most the threshold of half-open SAs" 1 "$sas SA answers to the attacker (threshold $THRESHOLD)"
legit connect --timeout 10 --within 5 > "$E2E_DIR/after-spoof.log" 2>&1
check "spoofed flood: test initiator completes IKE_AUTH right after" $? "$(head -1 "$E2E_DIR/after-spoof.log")"
wait "$hold_pid"
check "spoofed flood: the established session's INFORMATIONALs are answered throughout" $? "$(tail -1 "$E2E_DIR/hold.log")"
rss=$(rss_kb "$GW_PID")
[ "$rss" -gt 0 ] && [ "$rss" -le "$rss_limit" ] && check "spoofed flood: RSS bounded" 0 "$rss KiB, baseline $rss_base, limit $rss_limit" ||
  check "spoofed flood: RSS bounded" 1 "$rss KiB, baseline $rss_base, limit $rss_limit"

# ---- 3: cookie-returning flood from 4 addresses ---------------------------------------
ip netns exec attacker "$bin/flood" --gateway "$E2E_GW_OUT" --source "$ATTACKER_FIRST" --sources 4 --mode cookie \
  --total 12000 --duration 12 > "$E2E_DIR/flood-cookie.log" 2>&1 &
flood_pid=$!
sleep 4
legit connect --timeout 5 --within 5 > "$E2E_DIR/during-cookie-1.log" 2>&1
check "cookie-returning flood: legit client through within 5 s (from 4 s into the flood)" $? "$(head -1 "$E2E_DIR/during-cookie-1.log")"
legit connect --timeout 5 --within 5 > "$E2E_DIR/during-cookie-2.log" 2>&1
check "cookie-returning flood: legit client through within 5 s (from 9 s into the flood)" $? "$(head -1 "$E2E_DIR/during-cookie-2.log")"
wait "$flood_pid"
cat "$E2E_DIR/flood-cookie.log" | tee -a "$summary"
rss=$(rss_kb "$GW_PID")
[ "$rss" -gt 0 ] && [ "$rss" -le "$rss_limit" ] && check "cookie-returning flood: RSS bounded" 0 "$rss KiB, baseline $rss_base, limit $rss_limit" ||
  check "cookie-returning flood: RSS bounded" 1 "$rss KiB, baseline $rss_base, limit $rss_limit"
gw_alive && check "ikev2d survived the floods" 0 "" || check "ikev2d survived the floods" 1 "the daemon is gone"
gw_stop floods

echo "adversarial: $passed passed, $failed failed" | tee -a "$summary"
if [ "$failed" = 0 ]; then echo PASS > "$E2E_DIR/result"; exit 0; fi
echo "$failed failed" > "$E2E_DIR/result"
exit 1
