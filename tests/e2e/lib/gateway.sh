# Starts the gateway under test in namespace gw: ikev2d (the binary given to e2e_begin)
# or, to prove the client side and the harness, strongSwan's charon as a responder.
# Both understand the same options:
#   --auth cert-eap-mschapv2 | cert-eap-md5 | cert-eap-tls | psk | cert   how clients authenticate (the
#                                   gateway uses its certificate except with psk; cert: a
#                                   client certificate from the test CA, e2e_pki_client)
#   --users "name:password ..."                     EAP users
#   --psk SECRET                                    with --auth psk
#   --legacy                                        also accept AES-CBC/SHA1/MODP-1024
#   --dpd INTERVAL:RETRIES                          dead peer detection (seconds)
#   --auth radius-eap --radius "NAME=HOST:PORT:SECRET ..."   (ikev2d only) EAP relayed to
#                                   these RADIUS servers in this order, with accounting
#                                   and RFC 5176 Disconnect on UDP 3799
#   --pools v4|v6|dual                              the clients' addresses: from $E2E_POOL (the
#                                   default), from $E2E_POOL6 only, or one of each (IPv6:
#                                   e2e_topology --ipv6); the lan networks of those families

e2e_gw_start() {
  if [ "$E2E_GATEWAY" = strongswan ]; then
    e2e_gw_strongswan_start "$@"
  else
    e2e_gw_ikev2d_start "$@"
  fi
}

# Common option parsing for both gateways: sets GW_AUTH GW_USERS GW_PSK GW_LEGACY
# GW_DPD_INTERVAL GW_DPD_RETRIES.
e2e_gw_parse_options() {
  GW_AUTH=cert-eap-mschapv2 GW_USERS= GW_PSK= GW_LEGACY=0 GW_DPD_INTERVAL=0 GW_DPD_RETRIES=2 GW_RADIUS= GW_POOLS=v4
  while [ $# -gt 0 ]; do
    case "$1" in
      --auth) GW_AUTH=$2; shift 2 ;;
      --users) GW_USERS=$2; shift 2 ;;
      --psk) GW_PSK=$2; shift 2 ;;
      --legacy) GW_LEGACY=1; shift ;;
      --dpd) GW_DPD_INTERVAL=${2%%:*}; GW_DPD_RETRIES=${2##*:}; shift 2 ;;
      --radius) GW_RADIUS=$2; shift 2 ;;
      --pools) GW_POOLS=$2; shift 2 ;;
      *) e2e_fail "e2e_gw_start: unknown option $1" ;;
    esac
  done
  case "$GW_AUTH" in cert-eap-mschapv2|cert-eap-md5|cert-eap-tls|psk|cert|radius-eap) ;; *) e2e_fail "e2e_gw_start: unknown --auth $GW_AUTH" ;; esac
  case "$GW_POOLS" in v4) ;; v6|dual) [ "$E2E_IPV6" = 1 ] || e2e_fail "e2e_gw_start: --pools $GW_POOLS needs e2e_topology --ipv6" ;;
    *) e2e_fail "e2e_gw_start: unknown --pools $GW_POOLS" ;; esac
  if [ "$GW_AUTH" = radius-eap ] && [ -z "$GW_RADIUS" ]; then e2e_fail "e2e_gw_start: --auth radius-eap needs --radius"; fi
  if [ "$GW_AUTH" = psk ] && [ -z "$GW_PSK" ]; then e2e_fail "e2e_gw_start: --auth psk needs --psk"; fi
}

# e2e_gw_listening: the gateway has bound UDP 500.
e2e_gw_listening() { e2e_in gw ss -Hulnp 'sport = :500' | grep -q .; }

# e2e_gw_stop: stops the gateway (SIGTERM, then SIGKILL after 10 s) and flushes the
# gateway's XFRM state, so that the next e2e_gw_start begins clean.
e2e_gw_stop() {
  local pid
  if [ "$E2E_GATEWAY" = strongswan ]; then
    pid=$(cat "$(e2e_charon_dir gw-charon)/charon.pid")
  else
    pid=$E2E_IKEV2D_PID
    E2E_IKEV2D_PID=
  fi
  kill "$pid" 2>/dev/null || true
  e2e_wait_for 10 "the gateway to stop" sh -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  ip -n gw xfrm state flush
  ip -n gw xfrm policy flush
}

# e2e_gw_pool_addresses_in_policies: the pool addresses the gateway's XFRM policies name
# (one per connected client), sorted.
e2e_gw_pool_addresses_in_policies() {
  local prefix=${E2E_POOL%.*/*}
  ip -n gw xfrm policy | grep -o "\b${prefix//./\\.}\.[0-9]*/32" | sed 's|/32||' | sort -u
}
