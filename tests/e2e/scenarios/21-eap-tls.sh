#!/usr/bin/env bash
# EAP-TLS on the gateway itself (issue 12, no RADIUS): a strongSwan client (eap-tls plugin)
# proves itself with a client certificate of the trusted CA inside EAP, gets a virtual IP
# and pings through ESP; its user is the identity its certificate names (no [user] entry).
# The same client with a certificate of another CA is refused with nothing left behind.
# Usage (in the test VM): 21-eap-tls.sh <ikev2d binary>
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
[ "$E2E_GATEWAY" != strongswan ] || e2e_fail "EAP-TLS on the gateway is ikev2d's configuration; no strongSwan-gateway variant"
e2e_topology --clients 1
e2e_gw_start --auth cert-eap-tls
e2e_pki_client client1

e2e_client_up client1 --auth eap-tls --cert "$E2E_PKI/client1" --id client1.ikev2d.test
vip=$(e2e_client_vip client1)
[ "$(e2e_gw_pool_addresses_in_policies)" = "$vip" ] ||
  e2e_fail "virtual IP '$vip' is not the pool address in the gateway's policies: $(e2e_gw_pool_addresses_in_policies)"
e2e_ping_lan client1 5  # clients have no route to the lan but through ESP
gw_log=$E2E_IKEV2D_DIR/ikev2d.log
grep -q "EAP-TLS: user 'client1.ikev2d.test' authenticated by certificate" "$gw_log" ||
  e2e_fail "the gateway log does not show the EAP-TLS login of client1.ikev2d.test"

# The same key certified by another CA (of the same name) for another identity (charon
# keeps client1's certificate loaded and would pick it for client1's): the TLS handshake
# fails at the gateway with an alert; no SA, no address held. Same namespace and charon.
e2e_client_down client1
rogue=$E2E_DIR/rogue-pki
mkdir -p "$rogue"
cp "$E2E_PKI/client1-key.pem" "$rogue/rogue-key.pem"
(
  export STRONGSWAN_CONF=$E2E_PKI/strongswan.conf
  cd "$rogue"
  pki --self --ca --lifetime 30 --in rogue-key.pem --dn "CN=ikev2d e2e test CA" --outform pem > ca-cert.pem
  pki --issue --cacert ca-cert.pem --cakey rogue-key.pem --type pub --in "$E2E_PKI/client1-pub.pem" --lifetime 30 \
      --dn "CN=rogue.ikev2d.test" --san rogue.ikev2d.test --flag clientAuth --outform pem > rogue-cert.pem
) 2> "$rogue/pki.log" || e2e_fail "cannot make the rogue CA's client certificate"
refusals_before=$(grep -c "EAP-TLS: handshake with 'rogue.ikev2d.test' failed" "$gw_log" || true)
if e2e_client_up client1 --auth eap-tls --cert "$rogue/rogue" --id rogue.ikev2d.test --expect-fail; then
  e2e_fail "a certificate of an untrusted CA was accepted over EAP-TLS"
fi
refused() { [ "$(grep -c "EAP-TLS: handshake with 'rogue.ikev2d.test' failed" "$gw_log" || true)" -gt "$refusals_before" ]; }
e2e_wait_for 10 "the gateway's EAP-TLS refusal" refused || e2e_fail "the gateway log does not show the EAP-TLS refusal"
grep -q "does not chain to a trusted CA" "$gw_log" || e2e_fail "the refusal does not say the chain is untrusted"
[ "$(e2e_xfrm_state_count gw "$(e2e_client_address 1)")" = 0 ] || e2e_fail "the gateway has ESP SAs for the refused client"
[ -z "$(e2e_gw_pool_addresses_in_policies)" ] || e2e_fail "the refused client holds an address"
e2e_ikev2d_alive || e2e_fail "ikev2d died"
e2e_pass
