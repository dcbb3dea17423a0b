#!/usr/bin/env bash
# EAP-TLS through a real FreeRADIUS (issue 12): the gateway relays the EAP conversation of a
# strongSwan client (eap-tls plugin, client certificate of the test CA) to FreeRADIUS,
# whose eap module runs TLS with the test's certificates; the MSK comes back in the
# Access-Accept, keys IKE AUTH, and the client pings through ESP.
# Usage (in the test VM): 22-radius-eap-tls.sh <ikev2d binary>
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../../aaa/freeradius.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
[ "$E2E_GATEWAY" != strongswan ] || e2e_fail "RADIUS relay is ikev2d's configuration; no strongSwan-gateway variant"
e2e_topology --clients 1
e2e_pki
e2e_pki_client client1
secret="e2e-radius-$RANDOM$RANDOM"
radius_dir=$E2E_DIR/freeradius
radius_host=$E2E_LAN_HOST
# The EAP server's TLS certificate names the gateway (the identity the client expects of
# its EAP server unless told otherwise), so FreeRADIUS gets the gateway's certificate.
FREERADIUS_NETNS=lan FREERADIUS_TLS_CERT=$E2E_PKI/gw-cert.pem FREERADIUS_TLS_KEY=$E2E_PKI/gw-key.pem \
FREERADIUS_TLS_CA=$E2E_PKI/ca-cert.pem \
  freeradius_start "$radius_dir" 1812 "$secret" "$radius_host" "$E2E_GW_IN" || e2e_fail "FreeRADIUS did not start"
e2e_track "$(cat "$radius_dir/pid")"
# A TLS round of FreeRADIUS (with -X logging to the results folder) can take over a
# second under TCG: give the gateway's RADIUS client more than its usual 1 s per try.
E2E_RADIUS_TIMEOUT_S=6 e2e_gw_start --auth radius-eap --radius "main=$radius_host:1812:$secret"

if ! e2e_client_up client1 --auth eap-tls --cert "$E2E_PKI/client1" --id client1.ikev2d.test --expect-fail; then
  # Evidence for a lost RADIUS answer: the gateway namespace's UDP and link counters.
  ip netns exec gw cat /proc/net/snmp > "$E2E_DIR/gw-snmp.txt" 2>&1 || true
  ip -s -n gw link > "$E2E_DIR/gw-links.txt" 2>&1 || true
  e2e_fail "client1: EAP-TLS through FreeRADIUS failed: $(grep -E 'received|failed|AUTH' "$(e2e_charon_dir client1)/initiate.log" | tail -2 | tr '\n' ' ')"
fi
e2e_ping_lan client1 5
e2e_assert_esp_packets gw "$(e2e_client_address 1)"
grep -q 'Received Access-Request' "$radius_dir/radiusd.log" || e2e_fail "FreeRADIUS saw no Access-Request"
grep -Eq 'eap_tls: .*(Handshake state|TLS_ACCEPT|SSL negotiation)|eap_tls' "$radius_dir/radiusd.log" ||
  e2e_fail "FreeRADIUS did not run EAP-TLS"
grep -q 'Sent Access-Accept' "$radius_dir/radiusd.log" || e2e_fail "FreeRADIUS sent no Access-Accept"
e2e_client_log_has client1 "EAP method EAP_TLS succeeded|authentication of 'client1.ikev2d.test' with EAP successful" ||
  e2e_fail "client1's charon does not report EAP-TLS success"
e2e_ikev2d_alive || e2e_fail "ikev2d died"
e2e_pass
