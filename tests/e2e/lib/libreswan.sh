# Libreswan as a second client beside strongSwan: its pluto runs in namespace client<N>
# with everything private (NSS database, secrets, control socket, ipsec.conf, log), from
# the package scripts/install-deps.sh unpacks into $E2E_LIBRESWAN_ROOT (Debian's
# libreswan conflicts with strongSwan's packages, so it is never installed). One
# connection "vpn" per client: IKEv2, a virtual IP by config mode, the lan behind the
# gateway as its remote subnet.

E2E_LIBRESWAN_ROOT=${E2E_LIBRESWAN_ROOT:-/var/cache/ikev2d-tests/libreswan}
E2E_LIBRESWAN_BIN=$E2E_LIBRESWAN_ROOT/usr/libexec/ipsec

# e2e_libreswan_dir NS: its configuration and logs (in the results folder).
e2e_libreswan_dir() { echo "$E2E_DIR/$1-libreswan"; }

# e2e_libreswan_run NS: its control socket, pid file and NSS database (sockets and
# sqlite cannot live on 9p; the guest's /dev/shm, as for charon's vici socket).
e2e_libreswan_run() { echo "/dev/shm/ikev2d-e2e/$E2E_NAME/$1-libreswan"; }

# e2e_libreswan_running NS: this scenario started a pluto there and it still runs.
e2e_libreswan_running() {
  local pidfile
  pidfile=$(e2e_libreswan_dir "$1")/pluto.pid
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

# e2e_whack NS ARGS...: whack against that client's pluto.
e2e_whack() {
  local ns=$1
  shift
  timeout 90 "$E2E_LIBRESWAN_BIN/whack" --ctlsocket "$(e2e_libreswan_run "$ns")/pluto.ctl" "$@"
}

# e2e_libreswan_version: e.g. "Libreswan 4.10".
e2e_libreswan_version() { "$E2E_LIBRESWAN_BIN/pluto" --version 2>&1 | head -1 | awk '{print $1, $2}'; }

# e2e_libreswan_start NS: an NSS database trusting the test CA (plus the client's own
# certificate and key when e2e_libreswan_up asks for one), then pluto.
e2e_libreswan_start() {
  local ns=$1 dir run pid
  [ -x "$E2E_LIBRESWAN_BIN/pluto" ] ||
    e2e_fail "no Libreswan in $E2E_LIBRESWAN_ROOT: run scripts/install-deps.sh"
  dir=$(e2e_libreswan_dir "$ns")
  run=$(e2e_libreswan_run "$ns")
  rm -rf "$run"
  mkdir -p "$dir" "$run/nss" "$run/ipsec.d"
  e2e_pki
  {
    certutil -N -d "sql:$run/nss" --empty-password &&
      certutil -A -d "sql:$run/nss" -n e2e-ca -t "CT,," -a -i "$E2E_PKI/ca-cert.pem"
  } > "$dir/nss.log" 2>&1 || e2e_fail "$ns: cannot make the NSS database: $(tail -2 "$dir/nss.log")"
  : > "$dir/ipsec.secrets"
  # pluto runs $E2E_LIBRESWAN_BIN's addconn from the path it was built with: in a private
  # mount namespace, the unpacked tree is laid over /usr/libexec (read-only, nothing else
  # sees it). E2E_PLUTO_DEBUG: e.g. "--debug base" (split on purpose).
  # shellcheck disable=SC2016,SC2086
  ip netns exec "$ns" unshare -m --propagation private sh -c \
    'mount -t overlay overlay -o ro,lowerdir="$1/usr/libexec:/usr/libexec" /usr/libexec && shift && exec "$@"' \
    pluto "$E2E_LIBRESWAN_ROOT" "$E2E_LIBRESWAN_BIN/pluto" --nofork --logfile "$dir/pluto.log" \
    --rundir "$run" --nssdir "$run/nss" --secretsfile "$dir/ipsec.secrets" \
    --ipsecdir "$run/ipsec.d" --dumpdir "$run" --no-dnssec ${E2E_PLUTO_DEBUG:-} \
    > "$dir/pluto.out" 2>&1 &
  pid=$!
  disown "$pid"
  e2e_track "$pid"
  echo "$pid" > "$dir/pluto.pid"
  e2e_wait_for 30 "pluto in $ns to open its control socket" test -S "$run/pluto.ctl" ||
    e2e_fail "$ns: pluto did not start (see $dir/pluto.log, $dir/pluto.out)"
  # What "ipsec start" does next: find the interfaces and open the IKE sockets.
  e2e_whack "$ns" --listen > "$dir/listen.log" 2>&1 ||
    e2e_fail "$ns: whack --listen failed: $(tail -2 "$dir/listen.log" | tr '\n' ' ')"
}

# e2e_libreswan_up NS [--auth cert|psk] [--psk S] [--ike P] [--esp P] [--salifetime S]
#   [--rekeymargin S] [--no-rekey] [--expect-fail]
# Writes ipsec.conf (conn "vpn") and ipsec.secrets, starts pluto if needed, loads the
# connection with addconn and initiates with whack. --auth cert (default) uses the test
# CA's certificate for NS (identity NS.ikev2d.test); the gateway proves itself with its
# certificate, or with the PSK under --auth psk. P are Libreswan proposal strings
# (default: Libreswan's own defaults). --no-rekey: rekey=no, which also keeps pluto from
# reviving the connection after the gateway deleted it. Returns 0 when the Child SA is up; with
# --expect-fail returns 1 instead of failing the scenario.
e2e_libreswan_up() {
  local ns=$1 auth=cert psk= ike= esp= salifetime=8h rekeymargin=9m rekey=yes expect_fail=0
  local dir run id auth_lines
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      --auth) auth=$2; shift 2 ;;
      --psk) psk=$2; shift 2 ;;
      --ike) ike=$2; shift 2 ;;
      --esp) esp=$2; shift 2 ;;
      --salifetime) salifetime=$2; shift 2 ;;
      --rekeymargin) rekeymargin=$2; shift 2 ;;
      --no-rekey) rekey=no; shift ;;
      --expect-fail) expect_fail=1; shift ;;
      *) e2e_fail "e2e_libreswan_up: unknown option $1" ;;
    esac
  done
  dir=$(e2e_libreswan_dir "$ns")
  run=$(e2e_libreswan_run "$ns")
  id=$ns.ikev2d.test
  e2e_libreswan_running "$ns" || e2e_libreswan_start "$ns"
  case "$auth" in
    cert)
      e2e_pki_client "$ns"
      if ! certutil -L -d "sql:$run/nss" -n "$ns" > /dev/null 2>&1; then
        pk12util -i "$E2E_PKI/$ns.p12" -d "sql:$run/nss" -W e2e >> "$dir/nss.log" 2>&1 ||
          e2e_fail "$ns: cannot import its certificate into NSS: $(tail -2 "$dir/nss.log")"
      fi
      # rightca: the gateway's CA is the client's (%same), which also sends a CERTREQ.
      auth_lines="leftcert=$ns
    leftauth=ecdsa
    rightauth=ecdsa
    rightca=%same"
      ;;
    psk)
      [ -n "$psk" ] || e2e_fail "e2e_libreswan_up: --auth psk needs --psk"
      auth_lines="authby=secret"
      printf '@%s @%s : PSK "%s"\n' "$id" "$E2E_GW_ID" "$psk" > "$dir/ipsec.secrets"
      ;;
    *) e2e_fail "e2e_libreswan_up: unknown --auth $auth" ;;
  esac
  # rekeyfuzz=0%: the Child SA is rekeyed exactly rekeymargin before salifetime ends.
  # keyingtries=1: a refusal is final (the scenario says what it expects), no retries.
  cat > "$dir/ipsec.conf" <<CONF
# Written by tests/e2e/lib/libreswan.sh for scenario $E2E_NAME.
conn vpn
    ikev2=yes
    left=$(e2e_client_address "${ns#client}")
    leftid=@$id
    # With config mode, TSi must be able to hold the address to come (RFC 7296 2.19):
    # without leftsubnet, Libreswan 4.10 proposes its outer address as TSi.
    leftsubnet=0.0.0.0/0
    leftmodecfgclient=yes
    leftupdown=$E2E_LIBRESWAN_BIN/_updown.xfrm
    right=$E2E_GW_OUT
    rightid=@$E2E_GW_ID
    rightsubnet=$E2E_LAN_NET
    narrowing=yes
    $auth_lines
    ${ike:+ike=$ike}
    ${esp:+esp=$esp}
    pfs=yes
    rekey=$rekey
    salifetime=$salifetime
    rekeymargin=$rekeymargin
    rekeyfuzz=0%
    keyingtries=1
    mobike=no
    fragmentation=yes
    auto=add
CONF
  e2e_whack "$ns" --rereadsecrets > /dev/null 2>&1 || true
  "$E2E_LIBRESWAN_BIN/addconn" --config "$dir/ipsec.conf" --ctlsocket "$run/pluto.ctl" vpn \
    > "$dir/addconn.log" 2>&1 || e2e_fail "$ns: addconn failed: $(tail -3 "$dir/addconn.log" | tr '\n' ' ')"
  e2e_log "$ns: Libreswan initiating ($auth, IKE ${ike:-default}, ESP ${esp:-default})"
  e2e_whack "$ns" --initiate --name vpn > "$dir/initiate.log" 2>&1 || true
  if grep -q "established Child SA" "$dir/initiate.log"; then
    e2e_wait_for 10 "the virtual IP on $ns" e2e_libreswan_has_vip "$ns" || true
    e2e_log "$ns: tunnel up, virtual IP $(e2e_libreswan_vip "$ns")"
    return 0
  fi
  [ "$expect_fail" = 1 ] && { e2e_log "$ns: initiation failed (as expected)"; return 1; }
  e2e_fail "$ns: whack --initiate failed: $(grep -E 'NOTIFY|failed|ERROR|rejected' "$dir/initiate.log" | tail -3 | tr '\n' ' ')"
}

# e2e_libreswan_vip NS: the virtual IP the updown script put on the client (pool range).
e2e_libreswan_vip() {
  local prefix=${E2E_POOL%.*/*}
  ip -n "$1" -4 -o addr show | awk '{print $4}' | sed 's|/.*||' | grep -m1 "^${prefix//./\\.}\." || true
}

e2e_libreswan_has_vip() { [ -n "$(e2e_libreswan_vip "$1")" ]; }

# e2e_libreswan_log_has NS REGEX: that client's pluto log mentions REGEX.
e2e_libreswan_log_has() { grep -Eq "$2" "$(e2e_libreswan_dir "$1")/pluto.log"; }

# e2e_libreswan_log_count NS REGEX: how many lines of its log match REGEX.
e2e_libreswan_log_count() { grep -Ec "$2" "$(e2e_libreswan_dir "$1")/pluto.log" || true; }

# e2e_libreswan_rekey NS ike|ipsec: asks pluto to rekey the IKE SA or the Child SA now.
e2e_libreswan_rekey() {
  e2e_whack "$1" "--rekey-$2" --name vpn --asynchronous >> "$(e2e_libreswan_dir "$1")/rekey.log" 2>&1 ||
    e2e_fail "$1: whack --rekey-$2 failed: $(tail -2 "$(e2e_libreswan_dir "$1")/rekey.log" | tr '\n' ' ')"
}

# e2e_libreswan_down NS: orderly terminate (the client sends a Delete).
e2e_libreswan_down() {
  e2e_whack "$1" --terminate --name vpn > "$(e2e_libreswan_dir "$1")/terminate.log" 2>&1 ||
    e2e_fail "$1: whack --terminate failed: $(tail -2 "$(e2e_libreswan_dir "$1")/terminate.log" | tr '\n' ' ')"
  e2e_log "$1: Libreswan terminated the connection (Delete sent)"
}

# e2e_libreswan_status NS: pluto's view (whack --status) into the logs, for a reader.
e2e_libreswan_status() {
  e2e_whack "$1" --trafficstatus > "$(e2e_libreswan_dir "$1")/${2:-status}.txt" 2>&1 || true
  e2e_whack "$1" --status >> "$(e2e_libreswan_dir "$1")/${2:-status}.txt" 2>&1 || true
}
