#!/usr/bin/env bash
# Ten clients connect at once (ten namespaces): ten distinct virtual IPs, all ping.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
n=10
e2e_topology --clients $n
users=
for i in $(seq 1 $n); do users+="user$i:Pass-For-User-$i "; done
e2e_gw_start --auth cert-eap-mschapv2 --users "$users"
pids=()
for i in $(seq 1 $n); do
  e2e_client_up "client$i" --auth eap-mschapv2 --user "user$i" --password "Pass-For-User-$i" \
    > "$E2E_DIR/client$i-up.log" 2>&1 &
  pids+=($!)
done
failed=
for i in $(seq 1 $n); do wait "${pids[$((i - 1))]}" || failed+=" client$i"; done
[ -z "$failed" ] || e2e_fail "initiation failed for:$failed ($(cat "$E2E_DIR"/client*/result 2>/dev/null | head -1))"
vips=$(for i in $(seq 1 $n); do e2e_client_vip "client$i"; done | sort -u)
[ "$(echo "$vips" | grep -c .)" = $n ] || e2e_fail "expected $n distinct virtual IPs, got: $(echo "$vips" | tr '\n' ' ')"
[ "$(e2e_gw_pool_addresses_in_policies)" = "$vips" ] || e2e_fail "gateway policies do not match the clients' virtual IPs"
pids=()
for i in $(seq 1 $n); do
  e2e_ping_lan "client$i" 2 > "$E2E_DIR/client$i-ping.log" 2>&1 &
  pids+=($!)
done
failed=
for i in $(seq 1 $n); do wait "${pids[$((i - 1))]}" || failed+=" client$i"; done
[ -z "$failed" ] || e2e_fail "ping through the tunnel failed for:$failed"
e2e_assert_esp_packets gw $(for i in $(seq 1 $n); do e2e_client_address "$i"; done)
e2e_pass
