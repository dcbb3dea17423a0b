#!/usr/bin/env bash
# `ikectl profile --format swanctl`: the gateway's own configuration file made into a
# swanctl.conf (+ x509ca/ beside it), loaded by a real charon with swanctl --load-all,
# connected, and a ping through ESP. The test only fills in the password, which the
# profile leaves empty on purpose.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"

# ikectl of the build the daemon comes from (offline subcommand: no bus needed).
e2e_offline_ikectl() {
  local tool
  for tool in "${IKEV2D_BUILD_DIR:-/nonexistent}/tools/ikectl" "$(dirname "$E2E_GATEWAY")/../tools/ikectl"; do
    [ -x "$tool" ] && { "$tool" "$@"; return; }
  done
  e2e_fail "no ikectl next to $E2E_GATEWAY (set IKEV2D_BUILD_DIR)"
}

e2e_topology --clients 1
password=Profile-Pass-18
e2e_gw_start --auth cert-eap-mschapv2 --users "alice:$password"
if [ "$E2E_GATEWAY" = strongswan ]; then
  # The same options as ikev2d's file: the profile is then checked against strongSwan too.
  E2E_IKEV2D_DIR=$E2E_DIR/gw-ikev2d
  mkdir -p "$E2E_IKEV2D_DIR"
  e2e_ikev2d_config "$E2E_IKEV2D_DIR/ikev2d.conf"
fi
conf=$E2E_IKEV2D_DIR/ikev2d.conf
dir=$(e2e_charon_dir client1)
mkdir -p "$dir/swanctl"
e2e_pki
# The e2e gateway certificate file holds the leaf only and its group uses EAP (no
# ca_certificates): the CA is given with --ca, as the man page says.
e2e_offline_ikectl profile --config "$conf" --group e2e --user alice --format swanctl \
  --server "$(e2e_client_gateway_address 1)" --ca "$E2E_PKI/ca-cert.pem" \
  -o "$dir/swanctl/swanctl.conf" 2> "$E2E_DIR/profile.log" ||
  e2e_fail "ikectl profile failed: $(tail -2 "$E2E_DIR/profile.log" | tr '\n' ' ')"
[ -f "$dir/swanctl/x509ca/e2e-alice-ca.pem" ] || e2e_fail "ikectl profile -o did not write x509ca/e2e-alice-ca.pem"
# The base64 of the DER, line breaks aside (the guest has no /dev/fd for <(...)).
pem_body() { grep -v -- '-----' "$1" | tr -d '\n'; }
[ "$(pem_body "$dir/swanctl/x509ca/e2e-alice-ca.pem")" = "$(pem_body "$E2E_PKI/ca-cert.pem")" ] ||
  e2e_fail "x509ca/e2e-alice-ca.pem is not the test CA"
grep -q '^    secret = ""' "$dir/swanctl/swanctl.conf" || e2e_fail "the profile has no empty secret to fill in"
sed -i "s|^    secret = \"\"|    secret = \"$password\"|" "$dir/swanctl/swanctl.conf"

e2e_charon_start client1 client1
e2e_swanctl_load client1
e2e_log "client1: initiating the profile's connection e2e-alice"
e2e_swanctl client1 --initiate --child e2e-alice --timeout 90 > "$dir/initiate.log" 2>&1 ||
  e2e_fail "swanctl --initiate of the profile failed: $(grep -E 'received|failed|NO_PROP|AUTH' "$dir/initiate.log" | tail -3 | tr '\n' ' ')"
# The profile's first proposal (the gateway's most preferred) is what was negotiated.
e2e_client_log_has client1 'selected proposal: IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256' ||
  e2e_fail "unexpected IKE proposal: $(grep 'selected proposal: IKE' "$dir/charon.log" | tail -1)"
e2e_ping_lan client1 5
e2e_assert_esp_packets gw "$(e2e_client_address 1)"
e2e_assert_esp_packets client1 "$E2E_GW_OUT"
e2e_pass
