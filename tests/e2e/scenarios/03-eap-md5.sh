#!/usr/bin/env bash
# EAP-MD5 for the user (gateway certificate), virtual IP, ping through ESP.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 1
e2e_gw_start --auth cert-eap-md5 --users "carol:Md5-is-old-but-here"
e2e_client_up client1 --auth eap-md5 --user carol --password Md5-is-old-but-here
e2e_client_log_has client1 "EAP method EAP_MD5 succeeded" || e2e_fail "the client log shows no EAP-MD5 success"
e2e_ping_lan client1
e2e_assert_esp_packets gw "$(e2e_client_address 1)"
e2e_pass
