#!/usr/bin/env bash
# `ikectl import-asa` on the seed's ASA configuration (tests/tools/data/seed-asa.cfg): the
# converted file passes --check-config and runs the gateway, and a strongSwan client
# logs in as the seed's user Anu with the seed's algorithms (IKE aes-192/sha/group 2,
# ESP from proposal "3des") and pings through ESP.
# Two edits, both stated: the seed's addresses become the test topology's (outside
# 10.0.0.1 -> the gateway's outside address, pool 10.2.2.1-10.2.2.10 -> the e2e pool),
# and since the seed keeps only a hash of Anu's password (`password ... encrypted`),
# the test sets a known password in the converted file's commented user entry.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
[ "$E2E_GATEWAY" = strongswan ] && e2e_fail "19-import-asa tests ikev2d's configuration: run it against ikev2d"

e2e_offline_ikectl() {
  local tool
  for tool in "${IKEV2D_BUILD_DIR:-/nonexistent}/tools/ikectl" "$(dirname "$E2E_GATEWAY")/../tools/ikectl"; do
    [ -x "$tool" ] && { "$tool" "$@"; return; }
  done
  e2e_fail "no ikectl next to $E2E_GATEWAY (set IKEV2D_BUILD_DIR)"
}

e2e_topology --clients 1
seed=$(dirname "$0")/../../tools/data/seed-asa.cfg
[ -f "$seed" ] || e2e_fail "no seed configuration at $seed"
net=${E2E_POOL%.*/*}
E2E_IKEV2D_DIR=$E2E_DIR/gw-ikev2d
mkdir -p "$E2E_IKEV2D_DIR/state"
sed -e "s/^ip address 10\.0\.0\.1 255\.255\.255\.0/ip address $E2E_GW_OUT 255.255.255.0/" \
    -e "s/^ip local pool webvpn1 10\.2\.2\.1-10\.2\.2\.10/ip local pool webvpn1 $net.1-$net.10/" \
    "$seed" > "$E2E_DIR/asa.cfg"
grep -q "ip address $E2E_GW_OUT" "$E2E_DIR/asa.cfg" && grep -q "pool webvpn1 $net.1-" "$E2E_DIR/asa.cfg" ||
  e2e_fail "the seed's addresses were not where expected"
conf=$E2E_IKEV2D_DIR/ikev2d.conf
e2e_offline_ikectl import-asa "$E2E_DIR/asa.cfg" -o "$conf" 2> "$E2E_DIR/import-asa.log" ||
  e2e_fail "ikectl import-asa failed: $(tail -2 "$E2E_DIR/import-asa.log" | tr '\n' ' ')"
grep -q '^# set a password:' "$conf" || e2e_fail "no '# set a password:' note for the hashed password"
sed -i -e 's/^# \[user\.Anu\]$/[user.Anu]/' -e 's/^# group = "ASA-IKEV2"$/group = "ASA-IKEV2"/' \
       -e 's/^# password = ""$/password = "Seed-User-19"/' "$conf"
grep -q '^\[user\.Anu\]' "$conf" || e2e_fail "the converted file has no user entry for Anu to fill in"
"$E2E_GATEWAY" --check-config --config "$conf" > "$E2E_DIR/check-config.log" 2>&1 ||
  e2e_fail "the converted configuration fails --check-config: $(tail -2 "$E2E_DIR/check-config.log" | tr '\n' ' ')"

args=(--config "$conf" --state-dir "$E2E_IKEV2D_DIR/state")
[ -S /run/dbus/system_bus_socket ] || args+=(--no-dbus)
# shellcheck disable=SC2206 # the debug flags are meant to split
args+=($E2E_IKEV2D_DEBUG)
ip netns exec gw "$E2E_GATEWAY" "${args[@]}" > "$E2E_IKEV2D_DIR/ikev2d.log" 2>&1 &
E2E_IKEV2D_PID=$!
e2e_track "$E2E_IKEV2D_PID"
e2e_wait_for 60 "ikev2d to listen on UDP 500" e2e_gw_listening ||
  e2e_fail "ikev2d on the converted configuration does not listen: $(tail -3 "$E2E_IKEV2D_DIR/ikev2d.log" | tr '\n' ' ')"
cert=$E2E_IKEV2D_DIR/Anu-ikev2-cert.pem   # `enrollment self`: made by ikev2d beside the file
e2e_wait_for 30 "the self-signed trustpoint certificate" test -s "$cert" || e2e_fail "no self-signed certificate at $cert"
e2e_log "gateway: ikev2d on the configuration converted from the seed"

e2e_client_up client1 --auth eap-mschapv2 --user Anu --password Seed-User-19 --pin "$cert" --gw-id "$E2E_GW_OUT" \
  --ike-proposals aes192-sha1-modp1024 --esp-proposals aes256-sha1
e2e_client_log_has client1 'selected proposal: IKE:AES_CBC_192/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024' ||
  e2e_fail "not the seed's IKE proposal: $(grep 'selected proposal: IKE' "$(e2e_charon_dir client1)/charon.log" | tail -1)"
vip=$(e2e_client_vip client1)
case "$vip" in "$net".[1-9]|"$net".10) ;; *) e2e_fail "virtual IP '$vip' is not from the seed's pool webvpn1 ($net.1-$net.10)" ;; esac
e2e_ping_lan client1 5
e2e_assert_esp_packets gw "$(e2e_client_address 1)"
e2e_pass
