#include "ike/child_install_job.hpp"

#include <cerrno>
#include <string>

#include "ike/child_install.hpp"
#include "util/log.hpp"

namespace ikev2d::ike {
namespace {

// The larval SA alloc_spi left for our inbound SPI.
void remove_larval_sa(kernel::KernelIpsec& kernel, const ChildInstallJob& job) {
    try {
        kernel.del_sa(job.local, job.spi_in);
    } catch (const std::exception& e) {
        LOG_INFO(Platform, "(%u): removing SA 0x%08x: %s", job.ike_sa_id, job.spi_in, e.what());
    }
}

void wipe_keys(kernel::InstallSet& set) {
    for (auto& sa : set.sas) {
        sa.encr_key = SecureBytes();
        sa.integ_key = SecureBytes();
    }
}

}  // namespace

void ChildInstallJob::run(kernel::KernelIpsec& kernel) noexcept {
    try {
        spi_in = kernel.alloc_spi(peer, local, reqid);
    } catch (...) {
        error = std::current_exception();
        wipe_keys(set);
        return;
    }
    set.sas.at(0).spi = spi_in;
    // One kernel call for the whole set (one netlink round trip with XfrmKernel). When it
    // fails, the kernel has undone what the set added; the larval SA of our inbound SPI
    // is left too unless the inbound SA was installed (and so removed again).
    try {
        kernel.install(set);
        installed = true;
    } catch (const kernel::InstallError& e) {
        if (e.item == kernel::InstallError::Item::Sa && e.index == 0) remove_larval_sa(kernel, *this);
        // A policy that already existed is someone else's: the selectors are in use.
        if (e.item == kernel::InstallError::Item::Policy && e.err == EEXIST)
            error = std::make_exception_ptr(SelectorsInUse(e.what()));
        else
            error = std::current_exception();
    } catch (...) {
        remove_larval_sa(kernel, *this);
        error = std::current_exception();
    }
    wipe_keys(set);
    if (!installed) return;
    // The client's assigned addresses are routed along the path to its outer address (not
    // along "the default route": the gateway may have none, or several uplinks).
    for (const IpAddress& client : client_routes) {
        try {
            kernel.add_client_route(client, peer, local);
            routed.push_back(client);
        } catch (const kernel::KernelError& e) {
            if (e.err == EEXIST) {  // routed already (a foreign route): leave it be
                LOG_INFO(Platform, "(%u): %s has a route already: %s", ike_sa_id, client.to_string().c_str(), e.what());
                continue;
            }
            undo(kernel);
            error = std::make_exception_ptr(NoRouteToClient("no route toward client " + peer.to_string() +
                                                            " for its address " + client.to_string() + ": " + e.what()));
            return;
        } catch (...) {
            undo(kernel);
            error = std::current_exception();
            return;
        }
    }
}

void ChildInstallJob::undo(kernel::KernelIpsec& kernel) noexcept {
    for (const IpAddress& client : routed) {
        try {
            kernel.del_client_route(client);
        } catch (const std::exception& e) {
            LOG_INFO(Platform, "(%u): removing route to %s: %s", ike_sa_id, client.to_string().c_str(), e.what());
        }
    }
    routed.clear();
    if (!installed) return;
    installed = false;
    for (auto policy = set.policies.rbegin(); policy != set.policies.rend(); ++policy) {
        try {
            kernel.del_policy(policy->selector, policy->dir);
        } catch (const std::exception& e) {
            LOG_INFO(Platform, "(%u): removing policy: %s", ike_sa_id, e.what());
        }
    }
    for (const auto& sa : set.sas) {
        try {
            kernel.del_sa(sa.dst, sa.spi);
        } catch (const std::exception& e) {
            LOG_INFO(Platform, "(%u): removing SA 0x%08x: %s", ike_sa_id, sa.spi, e.what());
        }
    }
}

}  // namespace ikev2d::ike
