// Child SA keying material (RFC 7296 2.17) and its installation in the kernel:
// two ESP SAs and, for each local network, in/out/fwd policies.
#pragma once

#include <stdexcept>

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

// A kernel policy for these selectors exists already: another IKE SA's Child SA (or
// another daemon) holds them; the answer is TS_UNACCEPTABLE.
struct SelectorsInUse : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// No route can be made toward the client's (virtual) address along the path to its
// outer address: a tunnel set up anyway would carry nothing back to the client.
struct NoRouteToClient : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The first Child SA of an IKE SA: a fresh reqid, our inbound SPI, SAs plus policies,
// and the route toward the client's assigned address (when the child is for it).
// Throws SelectorsInUse, NoRouteToClient, kernel::KernelError or std::runtime_error (no
// reqid free); then exactly what this call installed is removed again and the reqid is
// released.
// nonce_i/nonce_r: the IKE SA's for the Child SA of IKE_AUTH, the exchange's for one made
// by CREATE_CHILD_SA (RFC 7296 2.17).
ChildSa install_child_sa(GatewayContext& ctx, const IkeSa& sa, const EspChoice& esp, const NarrowedSelectors& ts,
                         ByteView nonce_i, ByteView nonce_r, ByteView dh_shared);

// Best effort: logs what the kernel refuses. Removes only what the child's install
// recorded (ChildSa::kernel_sas, kernel_policies, kernel_route); policies and route shared
// with another installed child of the same reqid (a rekeyed one) stay, and so does the reqid.
void remove_child_sa(GatewayContext& ctx, const IkeSa& sa, ChildSa& child);

}  // namespace ikev2d::ike
