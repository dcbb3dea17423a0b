// Child SA keying material (RFC 7296 2.17) and its installation in the kernel: two ESP
// SAs and, for a new Child SA, in/out/fwd policies for each local network and the route
// toward the client's address.
//
// The kernel lane: the install waits for the kernel's acks, so it runs off the event loop
// (design notes, "the loop never waits") as a deferred exchange on ctx.kernel_lane, one
// install at a time with ctx.lane_kernel (a KernelIpsec with sockets of its own: the loop's
// are never used by two threads). The answer is made on the loop in the completion; when
// the IKE SA went away meanwhile, what the job installed is removed again (also on the
// lane). Without a lane (ctx.kernel_lane == nullptr) the install runs inline on the loop.
// Removal (remove_child_sa) stays on the loop: see child_install.cpp.
#pragma once

#include <exception>
#include <functional>
#include <stdexcept>

#include "ike/context.hpp"
#include "ike/exchange.hpp"
#include "ike/ike_sa.hpp"
#include "ike/proposals.hpp"
#include "ike/traffic_selectors.hpp"

namespace ikev2d::ike {

// The record of a new Child SA (not yet installed).
ChildSa make_child(GatewayContext& ctx, const IkeSa& sa, const EspChoice& esp, std::uint32_t reqid,
                   std::vector<TsRange> local_ts, std::vector<TsRange> remote_ts, std::uint32_t spi_in);

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

// What became of an install, handed to the caller's continuation on the loop.
struct InstalledChild {
    ChildSa child;             // installed, when error is null
    std::exception_ptr error;  // nothing of the child is in the kernel then
    // The child, or throws what the install failed with: SelectorsInUse, NoRouteToClient,
    // kernel::KernelError or std::runtime_error (no reqid free).
    ChildSa take();
};
// Makes the exchange's answer once the install is done; on the loop, with the IKE SA.
using AfterInstall = std::function<ExchangeResult(GatewayContext&, IkeSa&, InstalledChild)>;

// A new Child SA (IKE_AUTH's first one, or CREATE_CHILD_SA's on an IKE SA without one): a
// fresh reqid, our inbound SPI, SAs plus policies, and the route toward the client's
// assigned address (when the child is for it). KEYMAT = prf+(SK_d, [g^ir |] Ni | Nr) is
// computed now; nonce_i/nonce_r: the IKE SA's for IKE_AUTH, the exchange's for
// CREATE_CHILD_SA (RFC 7296 2.17). Returns a deferred answer (or `then`'s answer at once
// without a kernel lane). On failure exactly what the install added is removed again and
// the reqid is released.
ExchangeResult install_child_sa(GatewayContext& ctx, IkeSa& sa, const EspChoice& esp, const NarrowedSelectors& ts,
                                ByteView nonce_i, ByteView nonce_r, ByteView dh_shared, AfterInstall then);

// The successor of Child SA `old` (RFC 7296 2.9.2): two new ESP SAs with old's reqid and
// selectors; the policies (and route) already installed for that reqid carry them too (the
// kernel sends with the newest SA of a reqid), so none are added and the new child records
// old's as shared.
ExchangeResult install_rekeyed_child(GatewayContext& ctx, IkeSa& sa, const ChildSa& old, const EspChoice& esp,
                                     ByteView nonce_i, ByteView nonce_r, ByteView dh_shared, AfterInstall then);

// Best effort: logs what the kernel refuses. Removes only what the child's install
// recorded (ChildSa::kernel_sas, kernel_policies, kernel_routes); policies and route shared
// with another installed child of the same reqid (a rekeyed one) stay, and so does the reqid.
void remove_child_sa(GatewayContext& ctx, const IkeSa& sa, ChildSa& child);

}  // namespace ikev2d::ike
