// Child SA keying material (RFC 7296 2.17) and its installation in the kernel:
// two ESP SAs and, for each local network, in/out/fwd policies.
#pragma once

#include "ike/context.hpp"
#include "ike/ike_sa.hpp"
#include "ike/proposals.hpp"
#include "ike/traffic_selectors.hpp"

namespace ikev2d::ike {

// Throws kernel::KernelError (the kernel refused) — nothing is left installed then.
ChildSa install_child_sa(GatewayContext& ctx, const IkeSa& sa, const EspChoice& esp, const NarrowedSelectors& ts,
                         std::uint32_t spi_in, ByteView dh_shared);

// Best effort: logs what the kernel refuses.
void remove_child_sa(GatewayContext& ctx, const IkeSa& sa, ChildSa& child);

}  // namespace ikev2d::ike
