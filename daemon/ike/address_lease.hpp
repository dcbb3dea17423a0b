// The client's inner address (CFG_REQUEST INTERNAL_IP4_ADDRESS): leased from its group's
// pool once per IKE SA, kept across rekeys, returned when the IKE SA ends.
#pragma once

#include "config/config.hpp"
#include "ike/context.hpp"
#include "ike/ike_sa.hpp"

namespace ikev2d::ike {

// The IKE SA's address, leased now from group.pool if it has none yet (the pool tries to
// give the user its previous one); false when the pool is missing or exhausted.
bool lease_address(GatewayContext& ctx, IkeSa& sa, const config::GroupConfig& group);

// Returns the IKE SA's address to its pool, if it holds one.
void release_address(GatewayContext& ctx, IkeSa& sa);

}  // namespace ikev2d::ike
