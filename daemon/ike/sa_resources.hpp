// What an IKE SA holds outside itself, released when it ends: its Child SAs' kernel
// state (exactly what their installs recorded) and its address lease.
#pragma once

#include "ike/context.hpp"
#include "ike/ike_sa.hpp"

namespace ikev2d::ike {

// Releases the IKE SA's lease and removes all its Child SAs from the kernel.
void release_sa_resources(GatewayContext& ctx, IkeSa& sa);

}  // namespace ikev2d::ike
