# strongSwan's charon as the remote-access gateway (responder): certificate for itself,
# EAP-MSCHAPv2/EAP-MD5 or PSK for the clients, virtual IPs from $E2E_POOL.

e2e_gw_strongswan_start() {
  local dir users_secrets= entry ike=default esp=default local_auth remote_auth dpd=
  e2e_gw_parse_options "$@"
  e2e_pki
  dir=$(e2e_charon_dir gw-charon)
  mkdir -p "$dir"/swanctl/{x509,x509ca,private}
  cp "$E2E_PKI/gw-cert.pem" "$dir/swanctl/x509/"
  cp "$E2E_PKI/gw-key.pem" "$dir/swanctl/private/"
  for entry in $GW_USERS; do
    users_secrets+="eap-${entry%%:*} { id = \"${entry%%:*}\"
    secret = \"${entry#*:}\" }
  "
  done
  if [ "$GW_LEGACY" = 1 ]; then ike=default,aes128-sha1-modp1024; esp=default,aes128-sha1; fi
  if [ "$GW_AUTH" = psk ]; then
    local_auth="auth = psk
      id = \"$E2E_GW_ID\""
    remote_auth="auth = psk"
    users_secrets+="ike-psk { secret = \"$GW_PSK\" }"
  else
    [ "$GW_AUTH" = cert ] && cp "$E2E_PKI/ca-cert.pem" "$dir/swanctl/x509ca/"
    local_auth="auth = pubkey
      certs = gw-cert.pem
      id = \"$E2E_GW_ID\""
    remote_auth="auth = ${GW_AUTH#cert-}
      eap_id = %any"
    [ "$GW_AUTH" = cert ] && remote_auth="auth = pubkey"
  fi
  [ "$GW_DPD_INTERVAL" -gt 0 ] && dpd="dpd_delay = ${GW_DPD_INTERVAL}s"
  cat > "$dir/swanctl/swanctl.conf" <<CONF
connections {
  rw {
    version = 2
    local_addrs = $E2E_GW_OUT$([ "$E2E_IPV6" != 1 ] || echo ", $E2E_GW_OUT6")
    pools = $(case "$GW_POOLS" in v6) echo pool6 ;; dual) echo pool, pool6 ;; *) echo pool ;; esac)
    proposals = $ike
    send_certreq = no
    $dpd
    local {
      $local_auth
    }
    remote {
      $remote_auth
    }
    children {
      rw {
        local_ts = $(case "$GW_POOLS" in v6) echo "$E2E_LAN_NET6" ;; dual) echo "$E2E_LAN_NET, $E2E_LAN_NET6" ;; *) echo "$E2E_LAN_NET" ;; esac)
        esp_proposals = $esp
        dpd_action = clear
      }
    }
  }
}
pools {
  pool { addrs = $E2E_POOL }
  pool6 { addrs = $E2E_POOL6 }
}
secrets {
  $users_secrets
}
CONF
  # DPD gives up after about 1+1.8+3.2 s of retransmits (RFC 7296 leaves it to us).
  e2e_charon_start gw gw-charon "retransmit_timeout = 1
  retransmit_tries = $GW_DPD_RETRIES"
  e2e_swanctl_load gw-charon
  e2e_wait_for 60 "charon to listen on UDP 500" e2e_gw_listening || e2e_fail "the strongSwan gateway does not listen"
  e2e_log "gateway: strongSwan charon ($GW_AUTH$([ "$GW_LEGACY" = 1 ] && echo ', legacy allowed'))"
}

# e2e_gw_strongswan_leases: addresses the pool has handed out and still holds ("online").
e2e_gw_strongswan_leases() {
  e2e_swanctl gw-charon --list-pools --leases 2>/dev/null | grep -c online || true
}
