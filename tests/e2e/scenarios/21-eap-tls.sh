#!/usr/bin/env bash
# EAP-TLS on the gateway itself (issue 12, no RADIUS): a strongSwan client (eap-tls plugin)
# proves itself with a client certificate of the trusted CA inside EAP, gets a virtual IP
# and pings through ESP; its user is the identity its certificate names (no [user] entry).
# A client whose certificate comes from another CA is refused with nothing left behind.
# Usage (in the test VM): 21-eap-tls.sh <ikev2d binary>
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
[ "$E2E_GATEWAY" != strongswan ] || e2e_fail "EAP-TLS on the gateway is ikev2d's configuration; no strongSwan-gateway variant"
e2e_topology --clients 2
e2e_gw_start --auth cert-eap-tls
e2e_pki_client client1

e2e_client_up client1 --auth eap-tls --cert "$E2E_PKI/client1" --id client1.ikev2d.test
vip=$(e2e_client_vip client1)
[ "$(e2e_gw_pool_addresses_in_policies)" = "$vip" ] ||
  e2e_fail "virtual IP '$vip' is not the pool address in the gateway's policies: $(e2e_gw_pool_addresses_in_policies)"
e2e_ping_lan client1 5
e2e_assert_esp_packets gw "$(e2e_client_address 1)"
gw_log=$E2E_IKEV2D_DIR/ikev2d.log
grep -q "EAP-TLS: user 'client1.ikev2d.test' authenticated by certificate" "$gw_log" ||
  e2e_fail "the gateway log does not show the EAP-TLS login of client1.ikev2d.test"
e2e_client_log_has client1 "authentication of 'client1.ikev2d.test' with EAP successful|EAP method EAP_TLS succeeded" ||
  e2e_fail "client1's charon does not report EAP-TLS success"

# Another CA's certificate: the TLS handshake fails at the gateway, no SA, no address held.
rogue=$E2E_DIR/rogue-pki
mkdir -p "$rogue"
(
  export STRONGSWAN_CONF=$E2E_PKI/strongswan.conf
  cd "$rogue"
  pki --gen --type ecdsa --size 256 --outform pem > ca-key.pem
  pki --self --ca --lifetime 30 --in ca-key.pem --dn "CN=ikev2d e2e test CA" --outform pem > ca-cert.pem
  pki --gen --type ecdsa --size 256 --outform pem > client2-key.pem
  pki --pub --in client2-key.pem --outform pem > client2-pub.pem
  pki --issue --cacert ca-cert.pem --cakey ca-key.pem --type pub --in client2-pub.pem --lifetime 30 \
      --dn "CN=client2.ikev2d.test" --san client2.ikev2d.test --flag clientAuth --outform pem > client2-cert.pem
) 2> "$rogue/pki.log" || e2e_fail "cannot make the rogue CA's client certificate"
if e2e_client_up client2 --auth eap-tls --cert "$rogue/client2" --id client2.ikev2d.test --expect-fail; then
  e2e_fail "a certificate of an untrusted CA was accepted over EAP-TLS"
fi
[ "$(e2e_xfrm_state_count gw "$(e2e_client_address 2)")" = 0 ] || e2e_fail "the gateway has ESP SAs for the refused client"
grep -q "EAP failed for 'client2.ikev2d.test'" "$gw_log" || e2e_fail "the gateway log does not show client2's EAP-TLS refusal"
[ "$(e2e_gw_pool_addresses_in_policies)" = "$vip" ] || e2e_fail "the refused client holds an address"
e2e_ping_lan client1 2
e2e_ikev2d_alive || e2e_fail "ikev2d died"
e2e_pass
