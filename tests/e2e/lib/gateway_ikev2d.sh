# ikev2d as the gateway in namespace gw, with a TOML configuration written from the
# e2e_gw_start options (keys as documented in examples/ikev2d.conf), or with its embedded
# default (--embedded: no file; the demo user's password is in the state directory).

E2E_IKEV2D_DEBUG=${E2E_IKEV2D_DEBUG:-"--debug protocol=127 --debug platform=127 --debug eap=127"}
E2E_IKEV2D_DIR=
E2E_IKEV2D_PID=

# e2e_ikev2d_config FILE: writes the configuration for the parsed GW_* options.
e2e_ikev2d_config() {
  local out=$1 legacy=false entry client_auth=eap eap_methods= psk_line= legacy_policy= integ='"sha256"'
  local client_cas= group_pools='pool = "e2e"' local_networks="\"$E2E_LAN_NET\""
  case "$GW_POOLS" in
    v6) group_pools='pool = "v6"' local_networks="\"$E2E_LAN_NET6\"" ;;
    dual) group_pools='pool = "e2e"
ipv6_pool = "v6"' local_networks="\"$E2E_LAN_NET\", \"$E2E_LAN_NET6\"" ;;
  esac
  e2e_pki
  if [ "$GW_LEGACY" = 1 ]; then
    legacy=true
    integ='"sha256", "sha1"'
    legacy_policy='
[[ike_policy]]
priority = 30
encryption = ["aes-128", "aes-256"]
integrity = ["sha1"]
groups = ["modp1024", "modp2048"]'
  fi
  case "$GW_AUTH" in
    cert-eap-mschapv2) eap_methods='eap_methods = ["mschapv2"]' ;;
    cert-eap-md5) eap_methods='eap_methods = ["md5"]' ;;
    cert-eap-tls) eap_methods='eap_methods = ["tls"]'; client_cas="ca_certificates = [\"$E2E_PKI/ca-cert.pem\"]" ;;
    psk) client_auth=psk; psk_line="psk = \"$GW_PSK\"" ;;
    radius-eap) eap_methods='authentication = "radius"
accounting = "radius"' ;;
    cert) client_auth=certificate; client_cas="ca_certificates = [\"$E2E_PKI/ca-cert.pem\"]" ;;
  esac
  {
    cat <<TOML
# Written by tests/e2e/lib/gateway_ikev2d.sh for scenario $E2E_NAME.
[global]
listen = ["$E2E_GW_OUT"$([ "$E2E_UPLINK2_CLIENTS" = " " ] || echo ", \"$E2E_GW_OUT2\"")$([ "$E2E_IPV6" != 1 ] || echo ", \"$E2E_GW_OUT6\"")]
state_dir = "$E2E_IKEV2D_DIR/state"
allow_legacy_groups = $legacy
retransmit_base_ms = 1000
retransmit_tries = 3
default_group = "e2e"

[dpd]
interval_s = $GW_DPD_INTERVAL
retries = $GW_DPD_RETRIES

[[ike_policy]]
priority = 10
encryption = ["aes-gcm-256", "aes-gcm-128"]
prf = ["sha256", "sha384"]
groups = ["curve25519", "ecp256", "ecp384", "modp2048"]

[[ike_policy]]
priority = 20
encryption = ["aes-256", "aes-128"]
integrity = ["sha256", "sha384", "sha512"]
groups = ["curve25519", "ecp256", "ecp384", "modp2048"]
$legacy_policy

[ipsec_proposal.default]
encryption = ["aes-gcm-256", "aes-gcm-128", "aes-256", "aes-128"]
integrity = [$integ]

[pool.e2e]
range = "$E2E_POOL"
$([ "$GW_POOLS" = v4 ] || printf '\n[pool.v6]\nrange = "%s"\n' "$E2E_POOL6")

[trustpoint]
certificate = "$E2E_PKI/gw-cert.pem"
private_key = "$E2E_PKI/gw-key.pem"
identity = "$E2E_GW_ID"
$client_cas

[group.e2e]
$group_pools
client_auth = "$client_auth"
$eap_methods
$psk_line
ipsec_proposal = "default"
local_networks = [$local_networks]
TOML
    for entry in $GW_USERS; do
      printf '\n[user.%s]\ngroup = "e2e"\npassword = "%s"\n' "${entry%%:*}" "${entry#*:}"
    done
    if [ -n "$GW_RADIUS" ]; then
      local names= server
      for server in $GW_RADIUS; do names+="${names:+, }\"${server%%=*}\""; done
      # E2E_RADIUS_TIMEOUT_S: a server slow under TCG (EAP-TLS with -X logging to 9p) needs more than 1 s.
      printf '\n[radius]\nservers = [%s]\ntimeout_s = %s\nretries = 2\nnas_identifier = "e2e-gw"\ndae_port = 3799\n' "$names" \
        "${E2E_RADIUS_TIMEOUT_S:-1}"
      for server in $GW_RADIUS; do
        local spec=${server#*=}
        printf '[radius.server.%s]\naddress = "%s"\nauth_port = %s\nacct_port = %s\nsecret = "%s"\n' \
          "${server%%=*}" "${spec%%:*}" "$(echo "$spec" | cut -d: -f2)" "$(( $(echo "$spec" | cut -d: -f2) + 1 ))" \
          "${spec##*:}"
      done
    fi
  } > "$out"
  chmod 600 "$out"  # RADIUS secrets: ikev2d refuses a file others may read
}

# e2e_gw_ikev2d_start [--embedded | the e2e_gw_start options]
e2e_gw_ikev2d_start() {
  local embedded=0 args=()
  if [ "${1:-}" = --embedded ]; then embedded=1; shift; fi
  E2E_IKEV2D_DIR=$E2E_DIR/gw-ikev2d
  mkdir -p "$E2E_IKEV2D_DIR/state"
  if [ "$embedded" = 1 ]; then
    args+=(--demo)   # the embedded default only on request, whatever is in /etc
  else
    e2e_gw_parse_options "$@"
    e2e_ikev2d_config "$E2E_IKEV2D_DIR/ikev2d.conf"
    args+=(--config "$E2E_IKEV2D_DIR/ikev2d.conf")
  fi
  [ -S /run/dbus/system_bus_socket ] || [ -n "$E2E_IKEV2D_BUS" ] || args+=(--no-dbus)
  # shellcheck disable=SC2206 # the debug flags are meant to split
  args+=(--state-dir "$E2E_IKEV2D_DIR/state" $E2E_IKEV2D_DEBUG)
  echo "$E2E_GATEWAY ${args[*]}" > "$E2E_IKEV2D_DIR/command"
  ip netns exec gw env ${E2E_IKEV2D_BUS:+DBUS_SYSTEM_BUS_ADDRESS=$E2E_IKEV2D_BUS} \
    "$E2E_GATEWAY" "${args[@]}" > "$E2E_IKEV2D_DIR/ikev2d.log" 2>&1 &
  E2E_IKEV2D_PID=$!
  e2e_track "$E2E_IKEV2D_PID"
  if ! e2e_wait_for 60 "ikev2d to listen on UDP 500" e2e_gw_listening; then
    kill -0 "$E2E_IKEV2D_PID" 2>/dev/null || e2e_fail "ikev2d exited at start: $(tail -3 "$E2E_IKEV2D_DIR/ikev2d.log" | tr '\n' ' ')"
    e2e_fail "ikev2d does not listen on UDP 500 (log: $E2E_IKEV2D_DIR/ikev2d.log)"
  fi
  e2e_log "gateway: ikev2d ($([ "$embedded" = 1 ] && echo 'embedded default' || echo "$GW_AUTH"))"
}

# e2e_ikev2d_alive: the daemon is still running (it must survive every scenario).
e2e_ikev2d_alive() { [ -z "$E2E_IKEV2D_PID" ] || kill -0 "$E2E_IKEV2D_PID" 2>/dev/null; }

# e2e_ikev2d_demo_password: the embedded default's demo password (made on first start).
e2e_ikev2d_demo_password() { head -1 "$E2E_IKEV2D_DIR/state/demo-password" 2>/dev/null; }

# e2e_ikev2d_private_bus: before e2e_gw_start, gives ikev2d a private dbus-daemon as its
# system bus (the plain guest has none), so that e2e_ikectl can control it.
E2E_IKEV2D_BUS=
e2e_ikev2d_private_bus() {
  local dir=/dev/shm/ikev2d-e2e/$E2E_NAME/bus pid
  mkdir -p "$dir"
  cat > "$dir/bus.conf" <<XML
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$dir/socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="root"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/>
  </policy>
</busconfig>
XML
  dbus-daemon --config-file="$dir/bus.conf" --nofork --nopidfile > "$E2E_DIR/dbus-daemon.log" 2>&1 &
  pid=$!
  e2e_track "$pid"
  e2e_wait_for 10 "the private D-Bus daemon" test -S "$dir/socket" || e2e_fail "dbus-daemon did not start"
  E2E_IKEV2D_BUS=unix:path=$dir/socket
}

# e2e_ikectl ARGS...: ikectl (of the build the daemon comes from) on that private bus.
e2e_ikectl() {
  local tool
  for tool in "${IKEV2D_BUILD_DIR:-/nonexistent}/tools/ikectl" "$(dirname "$E2E_GATEWAY")/../tools/ikectl" \
              "$(command -v ikectl || true)"; do
    [ -x "$tool" ] && break
  done
  [ -x "$tool" ] || e2e_fail "no ikectl next to $E2E_GATEWAY"
  timeout 30 "$tool" --bus-address "$E2E_IKEV2D_BUS" "$@"
}
