#!/usr/bin/env bash
# The demo, inside the test VM: ikev2d on its EMBEDDED DEFAULT configuration (no file) in
# namespace gw, a strongSwan client in client1 that logs in as the demo user with the
# password the daemon made at start, gets an address from the default pool, pings the
# lan host through ESP; then the gateway's `ip -s xfrm state`. Run by scripts/demo.sh.
set -euo pipefail
E2E_POOL=10.2.2.0/24    # the embedded default's pool
source "$(dirname "$0")/lib.sh"
e2e_begin demo "${1:-}"
[ "$E2E_GATEWAY" != strongswan ] || e2e_fail "the demo needs the ikev2d binary"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

e2e_topology --clients 1
say "ikev2d --demo starts on its embedded default configuration"
e2e_gw_ikev2d_start --embedded
e2e_wait_for 30 "the demo password" test -s "$E2E_IKEV2D_DIR/state/demo-password" ||
  e2e_fail "ikev2d made no $E2E_IKEV2D_DIR/state/demo-password"
e2e_wait_for 30 "the self-signed certificate" test -s "$E2E_IKEV2D_DIR/state/gateway-cert.pem" ||
  e2e_fail "ikev2d made no self-signed certificate in its state directory"
head -20 "$E2E_IKEV2D_DIR/ikev2d.log" | grep -iE 'demo|password|user|certificate|listen' || true
password=$(e2e_ikev2d_demo_password)
# Its output is a log here (not a terminal): it names the file, never the password.
! grep -qF "$password" "$E2E_IKEV2D_DIR/ikev2d.log" || e2e_fail "the demo password is in ikev2d's log"
grep -q "demo-password" "$E2E_IKEV2D_DIR/ikev2d.log" || e2e_fail "ikev2d's log does not say where the demo password is"
echo "demo user: demo, password: $password (from $E2E_IKEV2D_DIR/state/demo-password)"

say "strongSwan client in namespace client1 ($(e2e_client_address 1)) connects to $E2E_GW_OUT"
e2e_client_up client1 --auth eap-mschapv2 --user demo --password "$password" \
  --pin "$E2E_IKEV2D_DIR/state/gateway-cert.pem" --gw-id %any  # trust exactly this certificate, whatever its name
e2e_swanctl client1 --list-sas
echo "assigned address: $(e2e_client_vip client1)"

say "ping the lan host $E2E_LAN_HOST through the tunnel"
vip=$(e2e_client_vip client1)
e2e_in client1 ping -c 4 -i 0.3 -I "$vip" "$E2E_LAN_HOST" || e2e_fail "the ping through the tunnel failed"

say "the gateway's kernel SAs (ip -s xfrm state in namespace gw)"
e2e_in gw ip -s xfrm state
e2e_assert_esp_packets gw "$(e2e_client_address 1)"
e2e_pass
