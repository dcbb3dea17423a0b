#!/usr/bin/env bash
# The gateway benchmark in one command (README.md here explains what it measures):
#
#   tests/bench/run.sh [--smoke] [--build-dir DIR] [--runs N] [--duration S] [--out DIR] [--no-xfrm]
#
# Builds what it needs, makes two network namespaces joined by a veth pair (gateway,
# clients), then, in one run: the crypto bound (crypto_bound), the load generator's own
# ceiling (ike_load against trivial_responder), each handshake mode against ikev2d and
# against strongSwan's charon in turn (--runs runs of --duration seconds each, a freshly
# started gateway each time), resident memory per half-open and per established SA at 1k,
# 10k and 100k, a reconnect storm, and (unless --no-xfrm or --smoke) XFRM installs per
# second through ikev2d's netlink code against `ip -batch` of the same SAs and policies,
# in the qemu guest (tests/vm/run-in-vm.sh), and ikev2d's IKE_SA_INIT latency while slow
# crypt(3) logins are in flight and its IKE_SA_INIT rate on one core against two
# (lib/loop_load.sh; also alone: loop_load.sh). Gateway and generator get one core each.
# Prints Markdown tables (also in OUT/table.md; the raw lines in OUT/results.txt).
#
# --smoke: about a minute in all (one short run of each, memory at 1k, a small storm);
# exits non-zero when any number is missing. No timing is asserted anywhere: whether a
# target is met is read from the numbers. Needs root (network namespaces), charon-systemd
# (or strongswan-charon), swanctl and strongswan-pki. This machine's kernel may have no
# ESP: Child SA installs are then refused during the handshakes (the tables say so).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SMOKE=0
BUILD=${IKEV2D_BUILD_DIR:-$ROOT/build}
RUNS=3
DURATION=5
OUT=
XFRM=1
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1 ;;
    --build-dir) BUILD=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --out) OUT=$2; shift ;;
    --no-xfrm) XFRM=0 ;;
    *) echo "usage: $0 [--smoke] [--build-dir DIR] [--runs N] [--duration S] [--out DIR] [--no-xfrm]" >&2; exit 2 ;;
  esac
  shift
done
case "$BUILD" in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
if [ "$SMOKE" = 1 ]; then
  RUNS=1; DURATION=1; MEM_COUNTS="1000"; STORM_CLIENTS=200; CRYPTO_SECONDS=0.2; XFRM=0; MEM_SECONDS=20
else
  MEM_COUNTS="1000 10000 100000"; STORM_CLIENTS=5000; CRYPTO_SECONDS=1; MEM_SECONDS=60
fi
# Clients in flight: enough to keep a gateway busy on one core, few enough that a
# single-threaded gateway's default socket receive buffer (212992 bytes) holds them: at
# 128 ikev2d's overflowed here, and each drop stalls a client for a 1 s retransmit (the
# storm shows bursts). On a loaded machine the veth path adds milliseconds per round
# trip, so 64 clients can leave a gateway idle: per wall second is a lower bound there.
CONCURRENCY=64
OUT=${OUT:-$BUILD/bench-results}
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/ikev2d-bench.XXXXXX)

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
for tool in ip taskset ss swanctl pki; do command -v "$tool" >/dev/null || die "missing $tool"; done

# Build only what the benchmark runs (the configured build dir, else a new one).
TARGETS="daemon/ikev2d tests/bench/ike_load tests/bench/trivial_responder tests/bench/crypto_bound tests/bench/memory_sessions tests/bench/xfrm_installs"
if [ ! -f "$BUILD/build.ninja" ]; then meson setup "$BUILD" --werror >/dev/null || die "meson setup failed"; fi
# shellcheck disable=SC2086 # targets are meant to split
ninja -C "$BUILD" $TARGETS >"$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log"; die "build failed"; }
BIN=$BUILD/tests/bench
BENCH_IKEV2D=$BUILD/daemon/ikev2d
BENCH_PKI=$WORK/pki

# One core for the gateway, another for the generator (when there are two).
if [ "$(nproc)" -ge 2 ]; then BENCH_GW_CPU=1; BENCH_GEN_CPU=0; else BENCH_GW_CPU=0; BENCH_GEN_CPU=0; fi

# shellcheck source=tests/bench/lib/netns.sh
. "$ROOT/tests/bench/lib/netns.sh"
# shellcheck source=tests/bench/lib/pki.sh
. "$ROOT/tests/bench/lib/pki.sh"
# shellcheck source=tests/bench/lib/gateways.sh
. "$ROOT/tests/bench/lib/gateways.sh"
# shellcheck source=tests/bench/lib/loop_load.sh
. "$ROOT/tests/bench/lib/loop_load.sh"
bench_charon_binary >/dev/null || die "no charon binary: install charon-systemd (or strongswan-charon)"

RESPONDER_PID=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
  bench_gw_stop
  [ -n "$RESPONDER_PID" ] && kill "$RESPONDER_PID" 2>/dev/null && wait "$RESPONDER_PID" 2>/dev/null
  bench_netns_down
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

RESULTS=$OUT/results.txt
: > "$RESULTS"
record() { echo "$*" | tee -a "$RESULTS"; }

bench_pki "$BENCH_PKI" || die "cannot make the certificates ($(tail -3 "$BENCH_PKI/pki.log" 2>/dev/null))"
bench_netns_up || die "cannot make the network namespaces"

# ike_load MODE LABEL [ARGS...]: the generator from the clients' namespace and core; its
# result line, with the datagrams the gateway's socket buffer dropped meanwhile.
ike_load() {
  local mode=$1 label=$2 drops_before line
  shift 2
  drops_before=$(bench_gw_rcvbuf_errors)
  line=$(bench_in_cl "$BIN/ike_load" --gateway "$BENCH_GW_ADDR" --source "$BENCH_CL_FIRST" --sources "$BENCH_CL_COUNT" \
    --mode "$mode" --label "$label" --psk "$BENCH_PSK" --user "$BENCH_USER" --password "$BENCH_PASSWORD" "$@" |
    grep '^IKE_LOAD') || line="IKE_LOAD label=$label mode=$mode ok=0 failed_to_run=1"
  echo "$line rcvbuf_drops=$(($(bench_gw_rcvbuf_errors) - drops_before))"
}

profile_for() {
  case "$1" in
    cert-eap-rsa) echo cert-rsa ;;
    cert-eap-ecdsa) echo cert-ecdsa ;;
    *) echo psk ;;
  esac
}
mode_for() { case "$1" in cert-eap-*) echo cert-eap ;; *) echo "$1" ;; esac; }

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), kernel $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
record "MACHINE cores=$(nproc) kernel=$(uname -r) loadavg_before=$(cut -d' ' -f1 /proc/loadavg) date=$(date -u +%Y-%m-%dT%H:%MZ)"

echo "== crypto bound (the gateway's core)"
record "$(bench_pin "$BENCH_GW_CPU" "$BIN/crypto_bound" --seconds "$CRYPTO_SECONDS")"

echo "== generator ceiling (against a responder without crypto)"
ip netns exec "$BENCH_NS_GW" nice -n "$BENCH_NICE" taskset -c "$BENCH_GW_CPU" "$BIN/trivial_responder" --listen "$BENCH_GW_ADDR" \
  --seconds $((DURATION + 20)) > "$WORK/trivial.out" 2>&1 &
RESPONDER_PID=$!
bench_wait 10 bench_gw_listening || die "trivial_responder does not listen"
record "CEILING $(ike_load init trivial --count 100000000 --duration "$DURATION" --concurrency 512)"
kill "$RESPONDER_PID" 2>/dev/null; wait "$RESPONDER_PID" 2>/dev/null; RESPONDER_PID=

echo "== handshakes: $RUNS run(s) of ${DURATION}s per case and gateway"
for case in init psk cert-eap-rsa cert-eap-ecdsa childless; do
  for gw in ikev2d charon; do
    for run in $(seq 1 "$RUNS"); do
      bench_gw_start "$gw" "$(profile_for "$case")" "$WORK/$gw" || { record "RUN case=$case gw=$gw run=$run ok=0 start_failed=1"; continue; }
      record "RUN case=$case gw=$gw run=$run $(ike_load "$(mode_for "$case")" "$gw" --count 100000000 \
        --duration "$DURATION" --concurrency "$CONCURRENCY" --gateway-pid "$BENCH_GW_PID")"
      bench_gw_stop
    done
  done
done

echo "== memory per SA over UDP (VmRSS of the gateway before and after)"
for n in $MEM_COUNTS; do
  for gw in ikev2d charon; do
    bench_gw_start "$gw" psk "$WORK/$gw" || { record "MEM case=half-open gw=$gw n=$n ok=0 start_failed=1"; continue; }
    # Bounded: a gateway whose per-packet cost grows with its SAs may not get to n in time
    # (the line then says how many it made: ok < n).
    record "MEM case=half-open gw=$gw n=$n $(ike_load init "$gw" --count "$n" --duration "$MEM_SECONDS" --timeout 30 \
      --concurrency "$CONCURRENCY" --gateway-pid "$BENCH_GW_PID")"
    bench_gw_stop
    # Established: IKE SA + lease (a Child SA only where the kernel has ESP; in process below).
    bench_gw_start "$gw" psk "$WORK/$gw" || { record "MEM case=established gw=$gw n=$n ok=0 start_failed=1"; continue; }
    record "MEM case=established gw=$gw n=$n $(ike_load psk "$gw" --count "$n" --duration "$MEM_SECONDS" --timeout 30 \
      --concurrency "$CONCURRENCY" --gateway-pid "$BENCH_GW_PID")"
    bench_gw_stop
  done
done

echo "== memory per SA of ikev2d's gateway code in process (fake kernel: Child SAs installed there)"
for n in $MEM_COUNTS; do
  for kind in half-open established; do
    record "MEMIN $(bench_pin "$BENCH_GW_CPU" "$BIN/memory_sessions" --kind "$kind" --count "$n" \
      --max-seconds "$MEM_SECONDS" || true)"
  done
done

echo "== reconnect storm: $STORM_CLIENTS clients at once after a gateway (re)start"
for gw in ikev2d charon; do
  bench_gw_start "$gw" psk "$WORK/$gw" || { record "STORM gw=$gw n=$STORM_CLIENTS ok=0 start_failed=1"; continue; }
  record "STORM gw=$gw n=$STORM_CLIENTS $(ike_load psk "$gw" --count "$STORM_CLIENTS" --concurrency "$STORM_CLIENTS" \
    --duration 60 --timeout 60 --retransmit 2 --gateway-pid "$BENCH_GW_PID")"
  bench_gw_stop
done
echo "== the event loop under crypt(3) load, and 1 vs 2 cores (ikev2d only; lib/loop_load.sh)"
bench_loop_load "$DURATION" "$RESULTS"
if [ "$XFRM" = 1 ]; then
  echo "== XFRM installs per second in the qemu guest: ikev2d's XfrmKernel against ip -batch"
  mkdir -p "$WORK/vm"
  if "$ROOT/tests/vm/run-in-vm.sh" --quiet --timeout 900 --results "$WORK/vm" \
      "$ROOT/tests/bench/xfrm_in_guest.sh" "$BIN/xfrm_installs" 1000 > "$WORK/vm.out" 2>&1; then
    grep '^XFRM_INSTALLS' "$WORK/vm/xfrm.txt" | while IFS= read -r line; do record "$line"; done
  else
    tail -5 "$WORK/vm.out"
    record "XFRM_INSTALLS via=ikev2d failed=1"
  fi
fi
record "MACHINE_AFTER loadavg_after=$(cut -d' ' -f1 /proc/loadavg)"

echo
missing=0
awk -f "$ROOT/tests/bench/lib/summary.awk" "$RESULTS" > "$OUT/table.md" || { echo "bench: the summary failed" >&2; missing=1; }
bench_loop_load_table "$RESULTS" >> "$OUT/table.md"
cat "$OUT/table.md"

# Every number there? (No timing is judged here.)
check() {  # check PATTERN FIELD...: every line matching PATTERN has each FIELD positive
  local pattern=$1 line f v
  shift
  grep -q "$pattern" "$RESULTS" || { echo "bench: no result line for $pattern" >&2; missing=1; return; }
  while IFS= read -r line; do
    for f in "$@"; do
      v=$(echo "$line" | grep -o " $f=[^ ]*" | head -1 | cut -d= -f2)
      awk -v v="${v:--1}" 'BEGIN { exit !(v + 0 > 0) }' || { echo "bench: missing or zero $f in: $line" >&2; missing=1; }
    done
  done < <(grep "$pattern" "$RESULTS")
}
check '^CRYPTO_BOUND' x25519_mul_g x25519_mul p256_mul_g p256_mul rsa2048_sign ecdsa_p256_sign
check '^CEILING' ok per_wall gen_ceiling
check '^RUN' ok per_wall per_gw_cpu gen_ceiling
check '^MEM ' ok rss_before_kib rss_after_kib
check '^MEMIN' ok bytes_per_sa
check '^STORM' ok wall_s
check '^LOOPLOAD' ok lat_p50_ms lat_p99_ms
check '^SCALING' ok per_wall gw_cpu_s gen_cpu_s
[ "$XFRM" = 1 ] && check '^XFRM_INSTALLS' per_second
for case in init psk cert-eap-rsa cert-eap-ecdsa childless; do
  for gw in ikev2d charon; do
    grep -q "^RUN case=$case gw=$gw " "$RESULTS" || { echo "bench: no run of $case against $gw" >&2; missing=1; }
  done
done
[ "$missing" = 0 ] && echo "bench: all numbers present ($OUT)"
exit "$missing"
