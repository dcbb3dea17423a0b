// The kernel half of installing a Child SA, run off the event loop on the kernel lane
// (child_install.hpp): our inbound SPI, the SAs and policies in one InstallSet, the route
// toward the client's address, and the rollback of all of it when a step fails. It holds
// copies of what it needs and touches no loop state: the loop reads its outputs in the
// job's completion.
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <vector>

#include "kernel/kernel_ipsec.hpp"
#include "util/ip_address.hpp"

namespace ikev2d::ike {

struct ChildInstallJob {
    // --- inputs, filled on the loop ---
    std::uint32_t ike_sa_id = 0;  // for the log
    IpAddress peer, local;        // the IKE SA's outer addresses (alloc_spi: src, dst)
    std::uint32_t reqid = 0;
    // sas[0] is the inbound SA: run() gives it the SPI it allocates. Keys are wiped once
    // the kernel has them.
    kernel::InstallSet set;
    // A route for each of these client addresses toward `peer` from `local`
    // (ChildSa::kernel_routes): its IPv4 and/or IPv6 virtual address.
    std::vector<IpAddress> client_routes;

    // --- outputs, read on the loop after run() ---
    std::uint32_t spi_in = 0;
    bool installed = false;  // the SAs and policies are in the kernel
    std::vector<IpAddress> routed;  // the routes of client_routes it added
    // Why it failed (SelectorsInUse, NoRouteToClient, kernel::KernelError, ...): then
    // nothing of it is left in the kernel.
    std::exception_ptr error;

    // On the kernel lane, with the lane's KernelIpsec. Never throws.
    void run(kernel::KernelIpsec& kernel) noexcept;
    // Removes what run() installed (the IKE SA went away meanwhile); best effort, logged.
    void undo(kernel::KernelIpsec& kernel) noexcept;
};

}  // namespace ikev2d::ike
