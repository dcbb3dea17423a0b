# shellcheck shell=bash
# The event loop under crypt(3) load, and multi-core scaling (issue 11): sourced by
# run.sh (and loop_load.sh) after the namespaces, certificates and gateways.sh.
#
# bench_loop_load DURATION RESULTS_FILE: records
#   LOOPLOAD cores=C load=none|crypt <IKE_LOAD line of the IKE_SA_INIT clients> [<the GTC clients' counts>]
#   SCALING group=G cores=C <IKE_LOAD line>
# Latency: ikev2d with an EAP-GTC user whose password is a sha512-crypt hash of 300000
# rounds (about 0.1 s of CPU per check, as slow as a strong yescrypt); IKE_SA_INIT clients
# at a fixed rate measure the round trip (lat_p50_ms, lat_p99_ms), once alone and once
# while BENCH_CRYPT_CLIENTS GTC logins are kept in flight, each with the gateway pinned
# to one core and to two. Scaling: IKE_SA_INIT per wall second with the gateway pinned
# to one core, then two; the generator stays on its core, which in the two-core case is
# also the gateway's second one (gen_cpu_s says how much it took).

BENCH_CRYPT_ROUNDS=${BENCH_CRYPT_ROUNDS:-300000}
BENCH_CRYPT_CLIENTS=${BENCH_CRYPT_CLIENTS:-6}
BENCH_INIT_RATE=${BENCH_INIT_RATE:-200}

# The n-th client address after BENCH_CL_FIRST (x.y.z.w, no carry: 64 addresses).
bench_cl_addr() { echo "${BENCH_CL_FIRST%.*}.$(( ${BENCH_CL_FIRST##*.} + $1 ))"; }

# bench_thread_cpu PID: CPU seconds of the gateway's loop thread (tid = pid) and of all
# its other threads (the workers) since it started: which one limits a run.
bench_thread_cpu() {
  local pid=$1 tck
  tck=$(getconf CLK_TCK)
  for stat in /proc/"$pid"/task/*/stat; do
    # Fields after the command name: utime is the 12th, stime the 13th.
    echo "$(basename "$(dirname "$stat")") $(sed 's/^.*) //' "$stat" | awk '{ print $12 + $13 }')"
  done | awk -v pid="$pid" -v tck="$tck" '
    $1 == pid { loop += $2; next } { workers += $2 }
    END { printf "loop_cpu_s=%.2f workers_cpu_s=%.2f", loop / tck, workers / tck }'
}

# bench_load_gen ARGS...: ike_load in the clients' namespace on the generator's core; its line.
bench_load_gen() {
  bench_in_cl "$BIN/ike_load" --gateway "$BENCH_GW_ADDR" --psk "$BENCH_PSK" --user "$BENCH_USER" \
    --password "$BENCH_PASSWORD" "$@" | grep '^IKE_LOAD' || echo "IKE_LOAD ok=0 failed_to_run=1"
}

bench_loop_load() {
  local duration=$1 results=$2 saved_cpu=$BENCH_GW_CPU cores load line bg_out bg_pid
  BENCH_PASSWORD_HASH=$(perl -e 'print crypt($ARGV[0], "\$6\$rounds=$ARGV[1]\$benchsaltbench\$")' \
    "$BENCH_PASSWORD" "$BENCH_CRYPT_ROUNDS")
  case "$BENCH_PASSWORD_HASH" in \$6\$*) ;; *) echo "LOOPLOAD failed=1 no_hash=1" >> "$results"; return 1 ;; esac
  local both="$BENCH_GW_CPU"
  [ "$(nproc)" -ge 2 ] && both="0,1"
  for cores in "$saved_cpu" "$both"; do
    for load in none crypt; do
      BENCH_GW_CPU=$cores
      bench_gw_start ikev2d gtc "$WORK/ikev2d" || { echo "LOOPLOAD cores=$cores load=$load ok=0 start_failed=1" >> "$results"; continue; }
      bg_out=$WORK/crypt_load.out
      : > "$bg_out"
      if [ "$load" = crypt ]; then
        # Slow logins kept in flight from the upper half of the addresses, for the whole measurement.
        bench_load_gen --source "$(bench_cl_addr 32)" --sources 32 --mode gtc --label crypt --count 100000000 \
          --concurrency "$BENCH_CRYPT_CLIENTS" --duration $((duration + 2)) --timeout 30 > "$bg_out" &
        bg_pid=$!
        sleep 1
      fi
      line=$(bench_load_gen --source "$BENCH_CL_FIRST" --sources 32 --mode init --label "init-$load" --count 100000000 \
        --rate "$BENCH_INIT_RATE" --concurrency 512 --duration "$duration" --gateway-pid "$BENCH_GW_PID")
      if [ "$load" = crypt ]; then
        wait "$bg_pid"
        line="$line crypt_ok=$(grep -o ' ok=[0-9]*' "$bg_out" | head -1 | cut -d= -f2)"
      fi
      echo "LOOPLOAD cores=$cores load=$load $line $(bench_thread_cpu "$BENCH_GW_PID")" | tee -a "$results"
      bench_gw_stop
    done
  done
  # X25519 and ECP-256 (nettle; its DH costs the gateway more).
  local group
  for group in 31 19; do
    # shellcheck disable=SC2034 # read by bench_ikev2d_config (gateways.sh)
    case "$group" in 31) BENCH_IKE_GROUPS='"curve25519"' ;; 19) BENCH_IKE_GROUPS='"ecp256"' ;; esac
    for cores in "$saved_cpu" "$both"; do
      BENCH_GW_CPU=$cores
      bench_gw_start ikev2d psk "$WORK/ikev2d" ||
        { echo "SCALING group=$group cores=$cores ok=0 start_failed=1" >> "$results"; continue; }
      echo "SCALING group=$group cores=$cores $(bench_load_gen --source "$BENCH_CL_FIRST" --sources "$BENCH_CL_COUNT" \
        --mode init --group "$group" --label "scaling-$group-$cores" --count 100000000 --concurrency 128 \
        --duration "$duration" --gateway-pid "$BENCH_GW_PID") $(bench_thread_cpu "$BENCH_GW_PID")" | tee -a "$results"
      bench_gw_stop
    done
  done
  unset BENCH_IKE_GROUPS
  BENCH_GW_CPU=$saved_cpu
}

# bench_loop_load_table RESULTS_FILE: the two Markdown tables of the lines above.
bench_loop_load_table() {
  awk -v crypt_clients="$BENCH_CRYPT_CLIENTS" '
    function f(line, key,   m) { return match(line, " " key "=[^ ]*") ? substr(line, RSTART + length(key) + 2, RLENGTH - length(key) - 2) : "-" }
    /^LOOPLOAD / {
      if (!lh++) { print "\n| ikev2d cores | crypt(3) logins in flight | IKE_SA_INIT ok | p50 ms | p99 ms | max ms | GTC logins done |"; print "|---|---|---|---|---|---|---|" }
      printf "| %s | %s | %s | %s | %s | %s | %s |\n", f($0, "cores"), (f($0, "load") == "crypt" ? crypt_clients : 0), f($0, "ok"), f($0, "lat_p50_ms"), f($0, "lat_p99_ms"), f($0, "lat_max_ms"), f($0, "crypt_ok")
    }
    /^SCALING / {
      if (!sh++) { print "\n| DH group | ikev2d cores | IKE_SA_INIT per wall s | per gateway CPU s | gateway CPU s | of it the loop thread | generator CPU s | wall s |"; print "|---|---|---|---|---|---|---|---|" }
      printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", f($0, "group"), f($0, "cores"), f($0, "per_wall"), f($0, "per_gw_cpu"), f($0, "gw_cpu_s"), f($0, "loop_cpu_s"), f($0, "gen_cpu_s"), f($0, "wall_s")
    }' "$1"
}
