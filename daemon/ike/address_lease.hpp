// The client's inner addresses (CFG_REQUEST INTERNAL_IP4_ADDRESS / INTERNAL_IP6_ADDRESS):
// leased from its group's pools once per IKE SA, kept across rekeys, returned when the
// IKE SA ends.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"
#include "ike/context.hpp"
#include "ike/ike_sa.hpp"

namespace ikev2d::ike {

// The pool that gives the client addresses of `family` (AF_INET, AF_INET6): a RADIUS
// Framed-Pool of that family, else the group's `pool` or `ipv6_pool`; empty: none.
std::string pool_for(const GatewayContext& ctx, const IkeSa& sa, const config::GroupConfig& group, int family);

// Leases an address of each family the client asked for and the group hands out, unless
// the IKE SA has one already (a pool tries to give the user its previous one). A family
// whose pool is exhausted is left out when the other one was leased (a dual-stack client
// still gets IPv4 when the IPv6 pool is full). False, with the reason in `failure`,
// when the client gets no address at all.
bool lease_addresses(GatewayContext& ctx, IkeSa& sa, const config::GroupConfig& group, bool want_ip4, bool want_ip6,
                     std::string& failure);

// The client's side of its traffic selectors: its leased addresses (IPv4 first), or its
// outer address when it has none (a site behind a router, asking for no address).
std::vector<IpAddress> inner_addresses(const IkeSa& sa);

// Returns the IKE SA's addresses to their pools.
void release_address(GatewayContext& ctx, IkeSa& sa);

}  // namespace ikev2d::ike
