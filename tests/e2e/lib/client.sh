# A strongSwan client in namespace client<N>: e2e_client_up writes its swanctl.conf,
# starts its charon and initiates; the other helpers read and use the tunnel.

# e2e_client_up NS [--auth eap-mschapv2|eap-md5|eap-tls|psk] [--user U] [--password P] [--psk S]
#   [--cert PREFIX]   (eap-tls: PREFIX-cert.pem and PREFIX-key.pem, e.g. from e2e_pki_client)
#   [--id IDi] [--gw-id IDr] [--ike-proposals P] [--esp-proposals P] [--pin CERT] [--expect-fail]
#   [--rekey-ike S] [--rekey-child S]   (the client rekeys after S seconds)
#   [--gw-address A]   (dial A instead of the gateway's usual address)
#   [--vips "0.0.0.0, ::"] [--remote-ts "NET, NET6"]   (ask for these virtual IPs / lan
#   networks instead of one IPv4 address and $E2E_LAN_NET)
# Returns 0 when the tunnel is up. With --expect-fail, returns swanctl's failure instead
# of failing the scenario (the client's log is then the evidence).
e2e_client_up() {
  local ns=$1 auth=eap-mschapv2 user=alice password= psk= id= gw_id= ike=default esp=default
  local pin= cert= expect_fail=0 dir local_auth remote_auth secrets ike_rekey=0s child_rekey=0s
  shift
  local gw_address= vips=0.0.0.0 remote_ts=$E2E_LAN_NET
  while [ $# -gt 0 ]; do
    case "$1" in
      --auth) auth=$2; shift 2 ;;
      --user) user=$2; shift 2 ;;
      --password) password=$2; shift 2 ;;
      --psk) psk=$2; shift 2 ;;
      --id) id=$2; shift 2 ;;
      --gw-id) gw_id=$2; shift 2 ;;
      --ike-proposals) ike=$2; shift 2 ;;
      --esp-proposals) esp=$2; shift 2 ;;
      --pin) pin=$2; shift 2 ;;
      --cert) cert=$2; shift 2 ;;
      --expect-fail) expect_fail=1; shift ;;
      --rekey-ike) ike_rekey=${2}s; shift 2 ;;
      --rekey-child) child_rekey=${2}s; shift 2 ;;
      --gw-address) gw_address=$2; shift 2 ;;
      --vips) vips=$2; shift 2 ;;
      --remote-ts) remote_ts=$2; shift 2 ;;
      *) e2e_fail "e2e_client_up: unknown option $1" ;;
    esac
  done
  dir=$(e2e_charon_dir "$ns")
  mkdir -p "$dir/swanctl/x509ca" "$dir/swanctl/x509"
  case "$auth" in
    eap-tls)
      # A client certificate inside EAP; the EAP server's TLS certificate must name the gateway.
      [ -n "$cert" ] || e2e_fail "e2e_client_up: --auth eap-tls needs --cert"
      e2e_pki
      mkdir -p "$dir/swanctl/private"
      cp "$cert-cert.pem" "$dir/swanctl/x509/client.pem"
      cp "$cert-key.pem" "$dir/swanctl/private/client.pem"
      cp "$E2E_PKI/ca-cert.pem" "$dir/swanctl/x509ca/"
      local_auth="auth = eap-tls
      certs = client.pem"
      remote_auth="auth = pubkey
      id = \"${gw_id:-$E2E_GW_ID}\""
      secrets=
      ;;
    eap-*)
      local_auth="auth = $auth
      eap_id = \"$user\""
      secrets="eap-user { id = \"$user\"
      secret = \"$password\" }"
      if [ -n "$pin" ]; then
        # A pinned (e.g. self-signed) gateway certificate; its subject is the identity
        # unless --gw-id says otherwise.
        cp "$pin" "$dir/swanctl/x509/gateway.pem"
        remote_auth="auth = pubkey
      certs = gateway.pem"
        [ -n "$gw_id" ] && remote_auth+="
      id = \"$gw_id\""
      else
        e2e_pki
        cp "$E2E_PKI/ca-cert.pem" "$dir/swanctl/x509ca/"
        remote_auth="auth = pubkey
      id = \"${gw_id:-$E2E_GW_ID}\""
      fi
      ;;
    psk)
      local_auth="auth = psk"
      remote_auth="auth = psk
      id = %any"
      secrets="ike-psk { secret = \"$psk\" }"
      ;;
    *) e2e_fail "e2e_client_up: unknown --auth $auth" ;;
  esac
  [ -n "$id" ] && local_auth="$local_auth
      id = \"$id\""
  cat > "$dir/swanctl/swanctl.conf" <<CONF
connections {
  vpn {
    version = 2
    remote_addrs = ${gw_address:-$(e2e_client_gateway_address "${ns#client}")}
    vips = $vips
    proposals = $ike
    rekey_time = ${ike_rekey/#0s/4h}
    rand_time = 0s
    local {
      $local_auth
    }
    remote {
      $remote_auth
    }
    children {
      vpn {
        remote_ts = $remote_ts
        esp_proposals = $esp
        rekey_time = ${child_rekey/#0s/1h}
        rand_time = 0s
      }
    }
  }
}
secrets {
  $secrets
}
CONF
  e2e_charon_running "$ns" || e2e_charon_start "$ns" "$ns"
  e2e_swanctl_load "$ns"
  e2e_log "$ns: initiating ($auth, IKE $ike, ESP $esp)"
  if e2e_swanctl "$ns" --initiate --child vpn --timeout 90 > "$dir/initiate.log" 2>&1; then
    e2e_log "$ns: tunnel up, virtual IP(s) $(e2e_client_vips "$ns")"
    return 0
  fi
  [ "$expect_fail" = 1 ] && { e2e_log "$ns: initiation failed (as expected)"; return 1; }
  e2e_fail "$ns: swanctl --initiate failed: $(grep -E 'received|failed|NO_PROP|AUTH' "$dir/initiate.log" | tail -3 | tr '\n' ' ')"
}

# e2e_client_vips NS: the virtual IPs the gateway assigned (strongSwan), space-separated.
e2e_client_vips() {
  e2e_swanctl "$1" --list-sas --raw 2>/dev/null | grep -o 'local-vips=\[[^]]*\]' | head -1 |
    sed 's/local-vips=\[\(.*\)\]/\1/'
}

# e2e_client_vip NS: the (IPv4, when it has one) virtual IP the gateway assigned (empty when none).
e2e_client_vip() {
  if e2e_libreswan_running "$1"; then e2e_libreswan_vip "$1"; return; fi
  e2e_client_vips "$1" | awk '{for (i = 1; i <= NF; i++) if ($i !~ /:/) {print $i; exit} print $1}'
}

# e2e_client_vip6 NS: the IPv6 virtual IP the gateway assigned (strongSwan; empty when none).
e2e_client_vip6() { e2e_client_vips "$1" | awk '{for (i = 1; i <= NF; i++) if ($i ~ /:/) {print $i; exit}}'; }

# e2e_client_log_has NS REGEX: the client's charon log mentions REGEX.
e2e_client_log_has() { grep -Eq "$2" "$(e2e_charon_dir "$1")/charon.log"; }

# e2e_ping_lan NS [COUNT]: pings the lan host from the client's virtual IP.
e2e_ping_lan() {
  local ns=$1 count=${2:-3} vip
  vip=$(e2e_client_vip "$ns")
  [ -n "$vip" ] || e2e_fail "$ns: no virtual IP"
  e2e_in "$ns" ping -c "$count" -i 0.2 -W 3 -I "$vip" "$E2E_LAN_HOST" > "$E2E_DIR/ping-$ns.log" 2>&1 ||
    e2e_fail "$ns: ping $E2E_LAN_HOST from $vip failed: $(tail -2 "$E2E_DIR/ping-$ns.log" | tr '\n' ' ')"
  e2e_log "$ns: ping $E2E_LAN_HOST from $vip: $(grep -o '[0-9]* received' "$E2E_DIR/ping-$ns.log")"
}

# e2e_ping_lan6 NS [COUNT]: pings the lan host's IPv6 address from the client's IPv6 virtual IP.
e2e_ping_lan6() {
  local ns=$1 count=${2:-3} vip
  vip=$(e2e_client_vip6 "$ns")
  [ -n "$vip" ] || e2e_fail "$ns: no IPv6 virtual IP (has: $(e2e_client_vips "$ns"))"
  e2e_in "$ns" ping -6 -c "$count" -i 0.2 -W 3 -I "$vip" "$E2E_LAN_HOST6" > "$E2E_DIR/ping6-$ns.log" 2>&1 ||
    e2e_fail "$ns: ping $E2E_LAN_HOST6 from $vip failed: $(tail -2 "$E2E_DIR/ping6-$ns.log" | tr '\n' ' ')"
  e2e_log "$ns: ping $E2E_LAN_HOST6 from $vip: $(grep -o '[0-9]* received' "$E2E_DIR/ping6-$ns.log")"
}

# e2e_client_down NS: orderly terminate (the client sends a Delete).
e2e_client_down() {
  e2e_swanctl "$1" --terminate --ike vpn --timeout 15 > "$(e2e_charon_dir "$1")/terminate.log" 2>&1 ||
    e2e_fail "$1: swanctl --terminate failed"
}
