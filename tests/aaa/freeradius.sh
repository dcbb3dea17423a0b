#!/usr/bin/env bash
# A private FreeRADIUS for the tests (Debian's freeradius package, not a mock): a copy of
# /etc/freeradius/3.0 in a directory of the test's own, on 127.0.0.1 with the ports it
# is given, its own users, secret, log and accounting detail files.
#
#   source tests/aaa/freeradius.sh
#   freeradius_start DIR AUTH_PORT SECRET [ADDRESS [NAS_ADDRESS]]
#       listens on ADDRESS (default 127.0.0.1) AUTH_PORT and AUTH_PORT + 1 (accounting),
#       answers the NAS at NAS_ADDRESS (default 127.0.0.1); waits until it is ready.
#       FREERADIUS_NETNS=ns runs it in that network namespace; FREERADIUS_SETUP=fn calls
#       `fn RADDB DIR` before the start, to change the copied configuration.
#   freeradius_stop DIR
#
# Users (mods-config/files/authorize): alice / alice-pw (Framed-IP-Address
# $FREERADIUS_ALICE_IP or 10.99.7.7, Class "gold", Session-Timeout 3600, Filter-Id
# "staff"), bob / bob-pw (no attributes).
# EAP: MSCHAPv2 by default (TLS/PEAP/TTLS as Debian configures them). EAP-TLS with the
# test's own certificates: FREERADIUS_TLS_CERT and FREERADIUS_TLS_KEY (the server's, PEM)
# and FREERADIUS_TLS_CA (the CA client certificates must chain to); Debian's snakeoil
# certificate and the system CAs otherwise.

# Also user carol / carol-pw, whose Access-Accept carries Cisco-AVPair
# "ikev2d:redirect=198.51.100.2" (RFC 5685 redirect, ike/redirect.hpp).
freeradius_start() {
  local dir=$1 port=$2 secret=$3 address=${4:-127.0.0.1} nas=${5:-127.0.0.1}
  local alice_ip=${FREERADIUS_ALICE_IP:-10.99.7.7}
  local bin
  bin=$(command -v freeradius || command -v radiusd) || { echo "freeradius is not installed" >&2; return 1; }
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -a /etc/freeradius/3.0 "$dir/raddb"
  mkdir -p "$dir/log/radacct" "$dir/run"
  local raddb=$dir/raddb
  sed -i -e "s|^raddbdir = .*|raddbdir = $raddb|" -e "s|^logdir = .*|logdir = $dir/log|" \
         -e "s|^run_dir = .*|run_dir = $dir/run|" -e 's|^\(\s*\)user = freerad|\1#user = freerad|' \
         -e 's|^\(\s*\)group = freerad|\1#group = freerad|' "$raddb/radiusd.conf"
  cat > "$raddb/clients.conf" <<CLIENTS
client ikev2d {
	ipaddr = $nas
	secret = $secret
	require_message_authenticator = no
}
CLIENTS
  sed -i 's/^\(\s*\)default_eap_type = md5/\1default_eap_type = mschapv2/' "$raddb/mods-available/eap"
  if [ -n "${FREERADIUS_TLS_CERT:-}" ]; then
    sed -i -e "s|^\(\s*\)private_key_file = .*|\1private_key_file = $FREERADIUS_TLS_KEY|" \
           -e "s|^\(\s*\)certificate_file = .*|\1certificate_file = $FREERADIUS_TLS_CERT|" \
           -e "s|^\(\s*\)ca_file = .*|\1ca_file = ${FREERADIUS_TLS_CA:?FREERADIUS_TLS_CA is needed with FREERADIUS_TLS_CERT}|" \
           -e 's|^\(\s*\)ca_path = .*|\1#ca_path = (only FREERADIUS_TLS_CA)|' "$raddb/mods-available/eap"
  fi
  local users=$raddb/mods-config/files/authorize
  { cat <<USERS
alice	Cleartext-Password := "alice-pw"
	Framed-IP-Address = $alice_ip,
	Class = "gold",
	Session-Timeout = 3600,
	Filter-Id = "staff"

bob	Cleartext-Password := "bob-pw"

carol	Cleartext-Password := "carol-pw"
	Cisco-AVPair = "ikev2d:redirect=198.51.100.2"

USERS
    cat "$users"; } > "$users.new" && mv "$users.new" "$users"
  # One virtual server of our own on 127.0.0.1 (auth PORT, accounting PORT + 1); the
  # inner tunnel (PEAP/TTLS) moves off its fixed port so that several servers can run.
  rm -f "$raddb/sites-enabled/default"
  sed -i "s/port = 18120/port = $((port + 2))/" "$raddb/sites-available/inner-tunnel"
  cat > "$raddb/sites-enabled/ikev2d-test" <<SITE
server default {
	listen {
		type = auth
		ipaddr = $address
		port = $port
	}
	listen {
		type = acct
		ipaddr = $address
		port = $((port + 1))
	}
	authorize {
		preprocess
		mschap
		eap {
			ok = return
		}
		files
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
		Auth-Type MS-CHAP {
			mschap
		}
		mschap
		eap
	}
	preacct {
		preprocess
		acct_unique
	}
	accounting {
		detail
	}
	post-auth {
		Post-Auth-Type REJECT {
			attr_filter.access_reject
			eap
			remove_reply_message_if_eap
		}
	}
}
SITE
  # A test's own changes to the copied configuration (e.g. freeradius_shared_pool.sh).
  if [ -n "${FREERADIUS_SETUP:-}" ]; then "$FREERADIUS_SETUP" "$raddb" "$dir" || return 1; fi
  if [ -n "${FREERADIUS_NETNS:-}" ]; then
    ip netns exec "$FREERADIUS_NETNS" "$bin" -X -d "$raddb" >"$dir/radiusd.log" 2>&1 &
  else
    "$bin" -X -d "$raddb" >"$dir/radiusd.log" 2>&1 &
  fi
  echo $! > "$dir/pid"
  local i
  for i in $(seq 1 100); do
    grep -q "Ready to process requests" "$dir/radiusd.log" 2>/dev/null && return 0
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "FreeRADIUS did not start; its log:" >&2
  tail -40 "$dir/radiusd.log" >&2
  return 1
}

freeradius_stop() {
  local dir=$1
  [ -f "$dir/pid" ] || return 0
  kill "$(cat "$dir/pid")" 2>/dev/null
  wait "$(cat "$dir/pid")" 2>/dev/null
  rm -f "$dir/pid"
}
