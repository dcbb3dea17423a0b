#include "kernel/xfrm_kernel.hpp"

#include <netinet/in.h>
#include <linux/xfrm.h>

#include <cerrno>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "kernel/ownership.hpp"
#include "kernel/xfrm_messages.hpp"
#include "util/log.hpp"

namespace ikev2d::kernel {

namespace {

std::string sa_text(const char* op, const IpAddress& dst, std::uint32_t spi) {
    char spi_hex[16];
    std::snprintf(spi_hex, sizeof spi_hex, "0x%08x", spi);
    return std::string(op) + " spi " + spi_hex + " dst " + dst.to_string();
}

std::string policy_text(const char* op, const Selector& selector, PolicyConfig::Dir dir) {
    return std::string(op) + " " + to_string(dir) + " " + selector.to_string();
}

bool maybe_applied(const NlOutcome& outcome) {
    return outcome.state == NlOutcome::State::Acked || outcome.state == NlOutcome::State::Unknown;
}

}  // namespace

XfrmKernel::XfrmKernel(Events events) : xfrm_(NETLINK_XFRM), route_socket_(NETLINK_ROUTE), routes_(route_socket_) {
    if (events == Events::Listen) events_.emplace(NETLINK_XFRM, std::initializer_list<unsigned>{XFRMNLGRP_EXPIRE});
}

XfrmKernel::XfrmKernel(TestSockets sockets)
    : xfrm_(sockets.xfrm), route_socket_(sockets.route), routes_(route_socket_) {
    events_.emplace(sockets.events);
}

std::unique_ptr<KernelIpsec> make_xfrm_kernel() { return std::make_unique<XfrmKernel>(); }

std::unique_ptr<KernelIpsec> make_xfrm_installer() { return std::make_unique<XfrmKernel>(XfrmKernel::Events::None); }

std::uint32_t XfrmKernel::alloc_spi(const IpAddress& src, const IpAddress& dst, std::uint32_t reqid) {
    auto msg = xfrm::alloc_spi(src, dst, reqid);
    std::optional<std::uint32_t> spi;
    xfrm_.request(msg, "XFRM_MSG_ALLOCSPI dst " + dst.to_string(), [&](const nlmsghdr* nlh) {
        if (auto sa = xfrm::parse_sa(nlh)) spi = sa->spi;
    });
    if (!spi) throw KernelError(EBADMSG, "XFRM_MSG_ALLOCSPI dst " + dst.to_string(), "no SA in the answer");
    larval_.emplace(dst, *spi);
    LOG_TRACE(Platform, "kernel: allocated SPI 0x%08x for %s", *spi, dst.to_string().c_str());
    return *spi;
}

void XfrmKernel::add_sa(const SaConfig& sa) {
    const auto larval = larval_.find({sa.dst, sa.spi});
    const bool update = larval != larval_.end();
    auto msg = xfrm::new_sa(sa, update);
    try {
        xfrm_.request(msg, sa_text(xfrm::message_name(msg.type()), sa.dst, sa.spi));
    } catch (const KernelError& e) {
        // Debian 12's kernel (6.1) answers UPDSA of a larval ALLOCSPI state with ESRCH
        // when the new selector differs from the larval one (seen in the test VM, with
        // `ip xfrm state update` too) and drops the larval state; add the SA afresh.
        if (!update || e.err != ESRCH) throw;
        try {
            auto del = xfrm::del_sa(sa.dst, sa.spi);
            xfrm_.request(del, sa_text("XFRM_MSG_DELSA", sa.dst, sa.spi));
        } catch (const KernelError&) {
        }
        auto fresh = xfrm::new_sa(sa, false);
        xfrm_.request(fresh, sa_text(xfrm::message_name(fresh.type()), sa.dst, sa.spi));
    }
    if (update) larval_.erase(larval);
    LOG_INFO(Platform, "kernel: %s SA spi 0x%08x %s -> %s reqid %u", sa.inbound ? "inbound" : "outbound", sa.spi,
             sa.src.to_string().c_str(), sa.dst.to_string().c_str(), sa.reqid);
}

void XfrmKernel::del_sa(const IpAddress& dst, std::uint32_t spi) {
    auto msg = xfrm::del_sa(dst, spi);
    larval_.erase({dst, spi});
    xfrm_.request(msg, sa_text("XFRM_MSG_DELSA", dst, spi));
}

SaCounters XfrmKernel::query_sa(const IpAddress& dst, std::uint32_t spi) {
    auto msg = xfrm::get_sa(dst, spi);
    std::optional<SaCounters> counters;
    xfrm_.request(msg, sa_text("XFRM_MSG_GETSA", dst, spi), [&](const nlmsghdr* nlh) {
        if (auto sa = xfrm::parse_sa(nlh)) counters = sa->counters;
    });
    if (!counters) throw KernelError(EBADMSG, sa_text("XFRM_MSG_GETSA", dst, spi), "no SA in the answer");
    return *counters;
}

void XfrmKernel::add_policy(const PolicyConfig& policy) {
    auto msg = xfrm::new_policy(policy);
    xfrm_.request(msg, std::string("XFRM_MSG_NEWPOLICY ") + to_string(policy.dir) + " " + policy.selector.to_string());
}

void XfrmKernel::install(const InstallSet& set) {
    // A larval SA (our SPI from ALLOCSPI) is completed by DELSA + NEWSA in this same
    // datagram, not by UPDSA: Debian 12's kernel (6.1) has been seen to refuse UPDSA of
    // a larval state whose selector differs (ESRCH, see add_sa), which would cost a
    // failed request and another round trip. The kernel handles one datagram's messages
    // under its XFRM configuration mutex, so no other ALLOCSPI can take the SPI in between.
    NlBatch batch;
    std::vector<std::size_t> sa_request(set.sas.size());  // index of each SA's NEWSA in batch
    for (std::size_t i = 0; i < set.sas.size(); ++i) {
        const SaConfig& sa = set.sas[i];
        try {  // what the kernel would refuse is refused before anything is sent
            NlMessage add = xfrm::new_sa(sa, false);
            if (larval_.erase({sa.dst, sa.spi}) > 0)  // its outcome does not matter: ESRCH once it expired
                batch.add(xfrm::del_sa(sa.dst, sa.spi), sa_text("XFRM_MSG_DELSA (larval)", sa.dst, sa.spi));
            sa_request[i] = batch.add(std::move(add), sa_text("XFRM_MSG_NEWSA", sa.dst, sa.spi));
        } catch (const KernelError& e) {
            throw InstallError(e, InstallError::Item::Sa, i);
        }
    }
    const std::size_t first_policy = batch.size();
    for (std::size_t i = 0; i < set.policies.size(); ++i) {
        const PolicyConfig& policy = set.policies[i];
        try {
            batch.add(xfrm::new_policy(policy), policy_text("XFRM_MSG_NEWPOLICY", policy.selector, policy.dir));
        } catch (const KernelError& e) {
            throw InstallError(e, InstallError::Item::Policy, i);
        }
    }
    xfrm_.request_batch(batch);

    std::vector<NlOutcome> sa_outcomes, policy_outcomes;
    for (std::size_t i = 0; i < set.sas.size(); ++i) sa_outcomes.push_back(batch.outcome(sa_request[i]));
    for (std::size_t i = 0; i < set.policies.size(); ++i) policy_outcomes.push_back(batch.outcome(first_policy + i));
    std::optional<InstallError> failure;
    for (std::size_t i = 0; i < set.sas.size() && !failure; ++i) {
        const NlOutcome& o = sa_outcomes[i];
        if (o.state != NlOutcome::State::Acked)
            failure.emplace(KernelError(o.err, batch.operation(sa_request[i]), o.detail), InstallError::Item::Sa, i);
    }
    for (std::size_t i = 0; i < set.policies.size() && !failure; ++i) {
        const NlOutcome& o = policy_outcomes[i];
        if (o.state != NlOutcome::State::Acked)
            failure.emplace(KernelError(o.err, batch.operation(first_policy + i), o.detail), InstallError::Item::Policy, i);
    }
    if (failure) {
        undo_install(set, sa_outcomes, policy_outcomes);
        throw *failure;
    }
    for (const SaConfig& sa : set.sas)
        LOG_INFO(Platform, "kernel: %s SA spi 0x%08x %s -> %s reqid %u", sa.inbound ? "inbound" : "outbound", sa.spi,
                 sa.src.to_string().c_str(), sa.dst.to_string().c_str(), sa.reqid);
}

void XfrmKernel::undo_install(const InstallSet& set, const std::vector<NlOutcome>& sa_outcomes,
                              const std::vector<NlOutcome>& policy_outcomes) {
    NlBatch undo;
    for (std::size_t i = set.policies.size(); i-- > 0;) {
        if (!maybe_applied(policy_outcomes[i])) continue;
        const PolicyConfig& policy = set.policies[i];
        undo.add(xfrm::del_policy(policy.selector, policy.dir),
                 policy_text("XFRM_MSG_DELPOLICY", policy.selector, policy.dir));
    }
    for (std::size_t i = set.sas.size(); i-- > 0;) {
        if (!maybe_applied(sa_outcomes[i])) continue;
        const SaConfig& sa = set.sas[i];
        undo.add(xfrm::del_sa(sa.dst, sa.spi), sa_text("XFRM_MSG_DELSA", sa.dst, sa.spi));
    }
    if (undo.empty()) return;
    xfrm_.request_batch(undo);
    for (std::size_t i = 0; i < undo.size(); ++i) {
        const NlOutcome& o = undo.outcome(i);
        // ESRCH/ENOENT: a request whose outcome was unknown had not been applied after all.
        if (o.state != NlOutcome::State::Acked && o.err != ESRCH && o.err != ENOENT)
            LOG_ERR(Platform, "kernel: undoing a failed install: %s",
                    KernelError(o.err, undo.operation(i), o.detail).what());
    }
}

void XfrmKernel::del_policy(const Selector& selector, PolicyConfig::Dir dir) {
    auto msg = xfrm::del_policy(selector, dir);
    xfrm_.request(msg, std::string("XFRM_MSG_DELPOLICY ") + to_string(dir) + " " + selector.to_string());
}

void XfrmKernel::flush_own() {
    // Order matters when the daemon stops with traffic flowing: routes first (LAN hosts
    // stop reaching the pools), then SAs (packets still matching a policy are dropped,
    // not sent in clear), then the policies.
    routes_.flush_own();

    // Collect first, delete after: the socket cannot take requests in the middle of a dump.
    std::vector<xfrm::SaInfo> states;
    auto sa_dump = xfrm::dump(XFRM_MSG_GETSA);
    xfrm_.dump(sa_dump, "XFRM_MSG_GETSA dump", [&](const nlmsghdr* nlh) {
        auto sa = xfrm::parse_sa(nlh);
        if (sa && sa->proto == IPPROTO_ESP && is_own_reqid(sa->kernel_reqid)) states.push_back(std::move(*sa));
    });
    for (const auto& sa : states) {
        auto msg = xfrm::del_sa(sa.dst, sa.spi);
        try {
            xfrm_.request(msg, sa_text("XFRM_MSG_DELSA", sa.dst, sa.spi));
        } catch (const KernelError& e) {
            if (e.err != ESRCH) throw;  // expired meanwhile
        }
    }
    larval_.clear();

    std::vector<xfrm::PolicyInfo> policies;
    auto policy_dump = xfrm::dump(XFRM_MSG_GETPOLICY);
    xfrm_.dump(policy_dump, "XFRM_MSG_GETPOLICY dump", [&](const nlmsghdr* nlh) {
        auto policy = xfrm::parse_policy(nlh);
        if (!policy) return;
        for (std::uint32_t reqid : policy->tmpl_kernel_reqids) {
            if (is_own_reqid(reqid)) {
                policies.push_back(std::move(*policy));
                return;
            }
        }
    });
    for (const auto& policy : policies) {
        auto msg = xfrm::del_policy_by_index(policy.index, policy.kernel_dir);
        try {
            xfrm_.request(msg, "XFRM_MSG_DELPOLICY index " + std::to_string(policy.index));
        } catch (const KernelError& e) {
            if (e.err != ENOENT) throw;  // removed meanwhile (expired): nothing to do
        }
    }
    LOG_INFO(Platform, "kernel: flushed %zu SAs and %zu policies of ours", states.size(), policies.size());
}

void XfrmKernel::add_pool_route(const IpAddress& prefix, std::uint8_t len) { routes_.add_pool_route(prefix, len); }

void XfrmKernel::del_pool_route(const IpAddress& prefix, std::uint8_t len) { routes_.del_pool_route(prefix, len); }

void XfrmKernel::add_client_route(const IpAddress& client, const IpAddress& peer, const IpAddress& local) {
    routes_.add_client_route(client, peer, local);
}

void XfrmKernel::del_client_route(const IpAddress& client) { routes_.del_client_route(client); }

int XfrmKernel::event_fd() const { return events_ ? events_->fd() : -1; }

void XfrmKernel::process_events(std::function<void(const KernelEvent&)> handler) {
    if (!events_) return;
    const bool complete = events_->drain([&](const nlmsghdr* nlh) {
        auto event = xfrm::parse_expire(nlh);
        if (!event || !is_own_reqid(event->reqid)) return;  // another daemon's SA
        event->reqid = to_protocol_reqid(event->reqid);
        LOG_EXCH(Platform, "kernel: %s expire of SA spi 0x%08x dst %s",
                 event->kind == KernelEvent::Kind::HardExpire ? "hard" : "soft", event->spi, event->dst.to_string().c_str());
        if (handler) handler(*event);
    });
    if (!complete) LOG_ERR(Platform, "kernel: XFRM event socket overrun, expire events were lost");
}

}  // namespace ikev2d::kernel
