// KernelIpsec over XFRM netlink (libmnl). Sockets, opened once for the daemon's life:
// one NETLINK_XFRM for requests, one NETLINK_XFRM joined to XFRMNLGRP_EXPIRE for
// events (event_fd), and one NETLINK_ROUTE for routes. All of them belong to the
// network namespace the constructor ran in. An instance is used by one thread at a time;
// the kernel lane (ike/child_install.hpp) has an instance of its own, without events.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "kernel/kernel_ipsec.hpp"
#include "kernel/netlink_socket.hpp"
#include "kernel/routes.hpp"

namespace ikev2d::kernel {

class XfrmKernel final : public KernelIpsec {
public:
    enum class Events { Listen, None };  // None: no expire socket (event_fd() is -1)
    explicit XfrmKernel(Events events = Events::Listen);  // throws KernelError when netlink is unavailable

    std::uint32_t alloc_spi(const IpAddress& src, const IpAddress& dst, std::uint32_t reqid) override;
    void add_sa(const SaConfig&) override;
    void del_sa(const IpAddress& dst, std::uint32_t spi) override;
    SaCounters query_sa(const IpAddress& dst, std::uint32_t spi) override;
    void add_policy(const PolicyConfig&) override;
    void del_policy(const Selector&, PolicyConfig::Dir) override;
    // One netlink batch for the whole set (kernel_ipsec.hpp), plus one to undo a failed
    // set. A larval SA is completed by DELSA + NEWSA within the batch (see the .cpp).
    void install(const InstallSet& set) override;
    // MOBIKE: GETSA/GETPOLICY, then DELSA + NEWSA per SA and UPDPOLICY in one batch
    // (xfrm_sa_move.hpp says why not XFRM_MSG_MIGRATE), undone in a second one on failure.
    void move_sas(const MoveSet& set) override;
    void flush_own() override;
    void add_pool_route(const IpAddress& prefix, std::uint8_t len) override;
    void del_pool_route(const IpAddress& prefix, std::uint8_t len) override;
    void add_client_route(const IpAddress& client, const IpAddress& peer, const IpAddress& local) override;
    void del_client_route(const IpAddress& client) override;
    int event_fd() const override;
    void process_events(std::function<void(const KernelEvent&)>) override;

    // For tests: requests go to `xfrm` (e.g. a socketpair end playing the kernel).
    struct TestSockets {
        NetlinkSocket::Adopt xfrm, events, route;
    };
    explicit XfrmKernel(TestSockets sockets);

private:
    // Removes what a failed install set left (acked, or maybe applied): best effort.
    void undo_install(const InstallSet& set, const std::vector<NlOutcome>& sa_outcomes,
                      const std::vector<NlOutcome>& policy_outcomes);

    NetlinkSocket xfrm_;
    std::optional<NetlinkSocket> events_;
    NetlinkSocket route_socket_;
    Routes routes_;
    // Larval SAs from alloc_spi that add_sa must complete with UPDSA instead of NEWSA.
    std::set<std::pair<IpAddress, std::uint32_t>> larval_;
};

}  // namespace ikev2d::kernel
