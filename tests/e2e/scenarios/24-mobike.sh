#!/usr/bin/env bash
# MOBIKE (RFC 4555, issue 13): a strongSwan client (mobike = yes is swanctl's default)
# changes its address twice and keeps its tunnel, with no new IKE_SA_INIT:
#   1. it starts behind the NAT (ESP in UDP), then gets a public address on a second
#      interface and loses the NATed one: it sends UPDATE_SA_ADDRESSES from the public
#      address, and the gateway's SAs move there and drop the UDP encapsulation;
#   2. that address is replaced by another one (a new lease): the SAs move again.
# Each time the gateway keeps the same IKE and ESP SPIs (ikectl dump, XFRM), its SAs and
# policies name the new address, the pings go through ESP from there, and ikectl shows it.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
e2e_begin "$(basename "$0" .sh)" "${1:-}"
e2e_topology --clients 1 --nat
[ "$E2E_GATEWAY" = strongswan ] || e2e_ikev2d_private_bus
e2e_gw_start --auth cert-eap-mschapv2 --users "alice:Roaming-Phone-4"
e2e_client_up client1 --auth eap-mschapv2 --user alice --password Roaming-Phone-4
e2e_client_log_has client1 "peer supports MOBIKE" || e2e_fail "the gateway did not agree to MOBIKE"
e2e_ping_lan client1 3
e2e_assert_esp_packets gw "$E2E_NAT_OUT"
[ "$(e2e_xfrm_encaps gw)" = "espinudp " ] || e2e_fail "behind the NAT, the gateway's SAs are not in UDP: '$(e2e_xfrm_encaps gw)'"
gw_log=${E2E_IKEV2D_DIR:-/nonexistent}/ikev2d.log

# The ESP SPIs on the gateway, and (ikev2d) its IKE SA as ikectl dump shows it: "local
# remote spi_i spi_r" and the children's SPIs.
esp_spis() { e2e_xfrm_sas gw | awk '{print $3}' | sort | tr '\n' ' '; }
ike_line() { e2e_ikectl dump | awk -F'\t' '$1 == "ike" {print $4, $5, $6, $7}'; }
child_spis() { e2e_ikectl dump | awk -F'\t' '$1 == "child" {print $5, $6}' | sort | tr '\n' ' '; }
sa_inits() { grep -c 'RECV PKT \[IKE_SA_INIT\]' "$gw_log" || true; }
spis0=$(esp_spis)
if [ "$E2E_GATEWAY" != strongswan ]; then
  ike0=$(ike_line) children0=$(child_spis) inits0=$(sa_inits)
  e2e_log "before: IKE SA $ike0; Child SA SPIs $children0"
fi

# moved_to ADDR: the gateway's ESP SAs are all between it and ADDR (no other), the same SPIs.
moved_to() {
  local sas
  sas=$(e2e_xfrm_sas gw)
  [ "$(echo "$sas" | awk -v p="$1" '$1 == p || $2 == p' | wc -l)" = 2 ] && [ "$(echo "$sas" | wc -l)" = 2 ]
}
# check_move ADDR ENCAP: after the move to ADDR (ESP encapsulation ENCAP: "-" or espinudp).
check_move() {
  local addr=$1 encap=$2 ike
  e2e_wait_for 30 "the gateway's SAs to move to $addr" moved_to "$addr" ||
    e2e_fail "the gateway's SAs did not move to $addr: $(e2e_xfrm_sas gw | tr '\n' ';') client: $(grep -E 'MOBIKE|UPDATE_SA|roam|path' "$(e2e_charon_dir client1)/charon.log" | tail -4 | tr '\n' ' ')"
  [ "$(e2e_xfrm_encaps gw)" = "$encap " ] || e2e_fail "after the move to $addr the encapsulation is '$(e2e_xfrm_encaps gw)', not $encap"
  [ "$(esp_spis)" = "$spis0" ] || e2e_fail "the ESP SPIs changed with the move: $spis0 -> $(esp_spis)"
  [ "$(e2e_in gw ip xfrm policy | grep -c "tmpl src $addr dst $E2E_GW_OUT\|tmpl src $E2E_GW_OUT dst $addr")" = 3 ] ||
    e2e_fail "the policies' templates do not name $addr: $(e2e_in gw ip xfrm policy | grep tmpl | tr '\n' ';')"
  e2e_ping_lan client1 5
  e2e_assert_esp_packets gw "$addr"
  if [ "$E2E_GATEWAY" != strongswan ]; then
    ike=$(ike_line)
    [ "$(echo "$ike" | awk '{print $3, $4}')" = "$(echo "$ike0" | awk '{print $3, $4}')" ] ||
      e2e_fail "the IKE SA changed: $ike0 -> $ike"
    [[ "$(echo "$ike" | awk '{print $2}')" == "$addr/"* ]] || e2e_fail "ikectl does not show the new address $addr: $ike"  # addr/port, as the ASA
    [ "$(child_spis)" = "$children0" ] || e2e_fail "the Child SA changed: $children0 -> $(child_spis)"
    [ "$(sa_inits)" = "$inits0" ] || e2e_fail "a new IKE_SA_INIT came ($(sa_inits) in all)"
    grep -q "peer moved from .* to $addr:[0-9]* (MOBIKE)" "$gw_log" || e2e_fail "the gateway did not log the move to $addr"
    [ "$(ip -n gw route show "$(e2e_client_vip client1)/32" proto 29 | wc -l)" = 1 ] ||
      e2e_fail "no route to the client's address after the move"
  fi
  e2e_log "moved to $addr ($encap): same SPIs $spis0, ping through ESP"
}

# 1. From behind the NAT to a public address on a second interface.
public1=192.0.2.41 public2=192.0.2.42
ip link add m1 netns gw type veth peer name eth1 netns client1
ip -n gw link set m1 master br-out up
# The second address of (2.) must survive the removal of the first.
e2e_in client1 sysctl -qw net.ipv4.conf.eth1.promote_secondaries=1
ip -n client1 link set eth1 up
ip -n client1 addr add "$public1/24" dev eth1
e2e_log "client1: $public1 on eth1; the NATed address goes"
ip -n client1 addr del "$(e2e_client_address 1)/24" dev eth0
check_move "$public1" -

# 2. A new public address replaces the first (a new lease).
e2e_log "client1: $public1 replaced by $public2"
ip -n client1 addr add "$public2/24" dev eth1
ip -n client1 addr del "$public1/24" dev eth1
check_move "$public2" -
e2e_pass
