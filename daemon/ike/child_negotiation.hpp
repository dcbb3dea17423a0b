// Negotiating a Child SA from a client's SA/TSi/TSr (and CP) payloads: proposal,
// address lease, selector narrowing, SPI allocation and kernel installation. Used by
// IKE_AUTH (first child) and CREATE_CHILD_SA.
#pragma once

#include <vector>

#include "config/config.hpp"
#include "ike/context.hpp"
#include "ike/ike_sa.hpp"

namespace ikev2d::ike {

// Returns the payloads for the response: CP (if requested), SA, TSi, TSr on success;
// an error notify (NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE, INTERNAL_ADDRESS_FAILURE, ...)
// otherwise. On success the new ChildSa is appended to sa.children.
std::vector<wire::Payload> negotiate_first_child(GatewayContext& ctx, IkeSa& sa, const config::GroupConfig& group,
                                                 const std::vector<wire::Payload>& request);

// Releases the IKE SA's lease and removes all its Child SAs from the kernel.
void release_sa_resources(GatewayContext& ctx, IkeSa& sa);

}  // namespace ikev2d::ike
