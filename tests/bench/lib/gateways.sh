# shellcheck shell=bash
# The two gateways under test, configured alike: IKE proposal aes256gcm16-prfsha256-x25519,
# ESP aes256gcm16, the same certificate (RSA-2048 or ECDSA P-256) or PSK, EAP-MSCHAPv2
# for user "bench", a pool of 512k addresses, no COOKIEs, no half-open or per-source
# limits in the way, no DPD, each logging at its default level to a file. One at a time, on $BENCH_GW_ADDR, in the
# gateway's namespace, pinned to core $BENCH_GW_CPU at nice $BENCH_NICE.
#
# Profiles: psk (modes init, psk, childless), cert-rsa, cert-ecdsa (mode cert-eap).

BENCH_PSK=bench-psk-secret
BENCH_USER=bench
BENCH_PASSWORD=bench-password
BENCH_GW_PID=

# bench_ikev2d_config PROFILE DIR: writes DIR/ikev2d.conf.
bench_ikev2d_config() {
  local profile=$1 dir=$2 auth groups=${BENCH_IKE_GROUPS:-'"curve25519"'}
  case "$profile" in
    psk) auth="client_auth = \"psk\"
psk = \"$BENCH_PSK\"" ;;
    gtc) auth='client_auth = "eap"
eap_methods = ["gtc"]' ;;
    *) auth='client_auth = "eap"
eap_methods = ["mschapv2"]' ;;
  esac
  local key=ecdsa; [ "$profile" = cert-rsa ] && key=rsa
  cat > "$dir/ikev2d.conf" <<CONF
# Written by tests/bench/lib/gateways.sh (profile $profile).
[global]
listen = ["$BENCH_GW_ADDR"]
state_dir = "$dir/state"
half_open_cookie_threshold = 10000000
half_open_limit = 10000000
half_open_per_source_limit = 10000000
source_work_ms_per_s = 1000
source_work_burst_ms = 60000
auth_timeout_s = 600
retransmit_base_ms = 4000
forwarding = false
default_group = "bench"

[dpd]
interval_s = 0

[[ike_policy]]
priority = 10
encryption = ["aes-gcm-256"]
prf = ["sha256"]
groups = [$groups]

[ipsec_proposal.default]
encryption = ["aes-gcm-256"]

[pool.bench]
range = "10.64.0.1-10.71.255.254"

[trustpoint]
certificate = "$BENCH_PKI/$key-cert.pem"
private_key = "$BENCH_PKI/$key-key.pem"
identity = "$BENCH_GW_ID"

[group.bench]
pool = "bench"
$auth
ipsec_proposal = "default"
local_networks = ["$BENCH_GW_LAN"]

[user.$BENCH_USER]
group = "bench"
$(if [ "$profile" = gtc ]; then echo "password_hash = \"$BENCH_PASSWORD_HASH\""; else echo "password = \"$BENCH_PASSWORD\""; fi)
CONF
}

# bench_charon_config PROFILE DIR: writes DIR/strongswan.conf and DIR/swanctl/.
bench_charon_config() {
  local profile=$1 dir=$2 local_auth remote_auth key=ecdsa body
  [ "$profile" = cert-rsa ] && key=rsa
  mkdir -p "$dir"/swanctl/{x509,x509ca,private}
  if [ "$profile" = psk ]; then
    local_auth="auth = psk"
    remote_auth="auth = psk"
  else
    cp "$BENCH_PKI/$key-cert.pem" "$dir/swanctl/x509/gw-cert.pem"
    cp "$BENCH_PKI/$key-key.pem" "$dir/swanctl/private/gw-key.pem"
    local_auth="auth = pubkey
      certs = gw-cert.pem"
    remote_auth="auth = eap-mschapv2
      eap_id = %any"
  fi
  cat > "$dir/swanctl/swanctl.conf" <<CONF
connections {
  bench {
    version = 2
    local_addrs = $BENCH_GW_ADDR
    pools = pool
    proposals = aes256gcm16-prfsha256-x25519
    send_certreq = no
    send_cert = always
    unique = never
    dpd_delay = 0
    local {
      $local_auth
      id = $BENCH_GW_ID
    }
    remote {
      $remote_auth
    }
    children {
      bench {
        local_ts = $BENCH_GW_LAN
        esp_proposals = aes256gcm16
      }
    }
  }
}
pools {
  pool { addrs = 10.64.0.0/13 }
}
secrets {
  ike-bench { secret = "$BENCH_PSK" }
  eap-bench { id = "$BENCH_USER"
    secret = "$BENCH_PASSWORD" }
}
CONF
  # Admission limits as ikev2d's above: no COOKIEs, no blocking, long half-open life.
  # The IKE SA table sized for 100k SAs (its default of one bucket is for small setups).
  body=$(cat <<CONF
  dos_protection = no
  cookie_threshold = 10000000
  block_threshold = 10000000
  init_limit_half_open = 0
  half_open_timeout = 600
  ikesa_table_size = 65536
  ikesa_table_segments = 16
  install_routes = no
  retransmit_timeout = 4
  load = random nonce openssl pem pkcs1 pkcs8 x509 pubkey gmp aes sha1 sha2 md5 hmac kdf gcm drbg attr kernel-netlink socket-default vici eap-identity eap-mschapv2
  plugins {
    vici { socket = unix://$dir/charon.vici }
  }
  filelog {
    main {
      path = $dir/charon.log
      default = 1
    }
  }
  syslog { daemon { default = -1 } auth { default = -1 } }
  journal { default = -1 }
CONF
)
  printf 'charon {\n%s\n}\ncharon-systemd {\n%s\n}\nswanctl {\n  load = pem pkcs1 pkcs8 x509 pubkey openssl random\n}\n' \
    "$body" "$body" > "$dir/strongswan.conf"
}

bench_charon_binary() {
  local b
  for b in /usr/lib/ipsec/charon /usr/sbin/charon-systemd; do
    [ -x "$b" ] && { echo "$b"; return 0; }
  done
  return 1
}

# bench_wait SECONDS COMMAND...: until COMMAND succeeds.
bench_wait() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.1
  done
}

# bench_gw_start ikev2d|charon PROFILE DIR: starts that gateway (fresh state), sets BENCH_GW_PID.
bench_gw_start() {
  local gw=$1 profile=$2 dir=$3
  rm -rf "$dir"
  mkdir -p "$dir/state"
  if [ "$gw" = ikev2d ]; then
    bench_ikev2d_config "$profile" "$dir"
    # Not through a shell function: $! must be the daemon itself (ip and taskset exec it).
    ip netns exec "$BENCH_NS_GW" nice -n "$BENCH_NICE" taskset -c "$BENCH_GW_CPU" "$BENCH_IKEV2D" --config "$dir/ikev2d.conf" \
      --state-dir "$dir/state" --no-dbus > "$dir/ikev2d.log" 2>&1 &
    BENCH_GW_PID=$!
  else
    bench_charon_config "$profile" "$dir"
    # A private /run: charon's pid file must not meet another charon's.
    ip netns exec "$BENCH_NS_GW" unshare -m --propagation private \
      sh -c 'mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF="$1" nice -n "$4" taskset -c "$2" "$3"' charon \
      "$dir/strongswan.conf" "$BENCH_GW_CPU" "$(bench_charon_binary)" "$BENCH_NICE" > "$dir/charon.out" 2>&1 &
    BENCH_GW_PID=$!
    bench_wait 30 test -S "$dir/charon.vici" || { echo "charon did not start (see $dir/charon.out)" >&2; return 1; }
    STRONGSWAN_CONF=$dir/strongswan.conf swanctl --load-all --noprompt --uri "unix://$dir/charon.vici" \
      --file "$dir/swanctl/swanctl.conf" > "$dir/swanctl.log" 2>&1 ||
      { echo "swanctl --load-all failed (see $dir/swanctl.log)" >&2; return 1; }
  fi
  bench_wait 30 bench_gw_listening || { echo "$gw does not listen (see $dir)" >&2; return 1; }
  kill -0 "$BENCH_GW_PID" 2>/dev/null || { echo "$gw exited (see $dir)" >&2; return 1; }
}

# bench_gw_stop: stops the gateway started last (and waits for it).
bench_gw_stop() {
  [ -n "$BENCH_GW_PID" ] || return 0
  kill -TERM "$BENCH_GW_PID" 2>/dev/null
  bench_wait 10 sh -c "! kill -0 $BENCH_GW_PID 2>/dev/null" || kill -KILL "$BENCH_GW_PID" 2>/dev/null
  wait "$BENCH_GW_PID" 2>/dev/null
  BENCH_GW_PID=
}
