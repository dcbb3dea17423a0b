#!/usr/bin/env bash
# Proves the e2e harness with strongSwan on both ends, inside the test VM: a charon
# gateway in gw (certificate + EAP-MSCHAPv2 + pool), a charon client in client1 that gets
# a virtual IP and pings the lan host through ESP, and the gateway's SA counters.
#   tests/vm/run-in-vm.sh tests/e2e/harness_selftest.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
e2e_begin harness-selftest strongswan
e2e_topology --clients 1
e2e_gw_start --auth cert-eap-mschapv2 --users "alice:Se1ftest-pass"
e2e_client_up client1 --auth eap-mschapv2 --user alice --password Se1ftest-pass
vip=$(e2e_client_vip client1)
e2e_in lan true
case "$vip" in 203.0.113.*) ;; *) e2e_fail "virtual IP '$vip' is not from the pool $E2E_POOL" ;; esac
e2e_ping_lan client1 5
e2e_assert_esp_packets gw "$(e2e_client_address 1)"
e2e_pass
