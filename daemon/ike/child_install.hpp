// Child SA keying material (RFC 7296 2.17) and its installation in the kernel:
// two ESP SAs and, for each local network, in/out/fwd policies.
#pragma once

#include "ike/context.hpp"
#include "ike/ike_sa.hpp"
#include "ike/proposals.hpp"
#include "ike/traffic_selectors.hpp"

namespace ikev2d::ike {

// The record of a new Child SA (not yet installed).
ChildSa make_child(GatewayContext& ctx, const IkeSa& sa, const EspChoice& esp, std::uint32_t reqid,
                   std::vector<TsRange> local_ts, TsRange remote_ts, std::uint32_t spi_in);

// KEYMAT = prf+(SK_d, [g^ir |] Ni | Nr), then the inbound and outbound ESP SAs (no
// policies). Throws kernel::KernelError; then nothing of it is left in the kernel.
void install_child_sas(GatewayContext& ctx, const IkeSa& sa, ChildSa& child, ByteView nonce_i, ByteView nonce_r,
                       ByteView dh_shared);

// The first Child SA of an IKE SA: SAs plus policies. Throws like install_child_sas.
ChildSa install_child_sa(GatewayContext& ctx, const IkeSa& sa, const EspChoice& esp, const NarrowedSelectors& ts,
                         std::uint32_t spi_in, ByteView dh_shared);

// Best effort: logs what the kernel refuses. Policies shared with another installed
// child of the same reqid (a rekeyed one) stay.
void remove_child_sa(GatewayContext& ctx, const IkeSa& sa, ChildSa& child);

}  // namespace ikev2d::ike
