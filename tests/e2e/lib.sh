# Helpers for the end-to-end tests; source this inside the test VM (run as root, $RESULTS
# set by tests/vm/run-in-vm.sh). A scenario looks like:
#
#   source tests/e2e/lib.sh
#   e2e_begin my-scenario "$1"        # $1: ikev2d binary, or "strongswan" for a charon gateway
#   e2e_topology --clients 1          # client1, gw, lan (add --nat for a NAT in between)
#   e2e_gw_start --auth cert-eap-mschapv2 --users "alice:secret"
#   e2e_client_up client1 --auth eap-mschapv2 --user alice --password secret
#   e2e_ping_lan client1
#   e2e_assert_esp_packets gw
#   e2e_pass
#
# Everything lives in network namespaces this file creates and deletes; the addresses are
# documentation/test ranges only (see lib/topology.sh).
E2E_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$E2E_LIB_DIR/lib/common.sh"
source "$E2E_LIB_DIR/lib/topology.sh"
source "$E2E_LIB_DIR/lib/pki.sh"
source "$E2E_LIB_DIR/lib/charon.sh"
source "$E2E_LIB_DIR/lib/client.sh"
source "$E2E_LIB_DIR/lib/libreswan.sh"
source "$E2E_LIB_DIR/lib/gateway_strongswan.sh"
source "$E2E_LIB_DIR/lib/gateway_ikev2d.sh"
source "$E2E_LIB_DIR/lib/gateway.sh"
source "$E2E_LIB_DIR/lib/xfrm.sh"
