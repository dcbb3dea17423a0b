#include "kernel/fake_kernel.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace ikev2d::kernel {

namespace {
std::string spi_text(std::uint32_t spi) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", spi);
    return text;
}
}  // namespace

FakeKernel::FakeKernel() {
    event_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (event_fd_ < 0) throw KernelError(errno, "FakeKernel eventfd");
}

FakeKernel::~FakeKernel() { close(event_fd_); }

void FakeKernel::enter(Op op, const std::string& what) {
    ++calls_[op];
    if (auto thrown = thrown_.find(op); thrown != thrown_.end()) {
        std::exception_ptr exception = thrown->second;
        thrown_.erase(thrown);
        std::rethrow_exception(exception);
    }
    if (auto failure = failures_.find(op); failure != failures_.end()) {
        const int err = failure->second;
        failures_.erase(failure);
        throw KernelError(err, "FakeKernel " + what, "injected");
    }
}

std::uint32_t FakeKernel::alloc_spi(const IpAddress& src, const IpAddress& dst, std::uint32_t reqid) {
    std::lock_guard lock(mutex_);
    enter(Op::AllocSpi, "alloc_spi dst " + dst.to_string());
    if (src.family != dst.family) throw KernelError(EINVAL, "FakeKernel alloc_spi", "address families differ");
    (void)reqid;
    const std::uint32_t spi = next_spi_++;
    larval_.emplace(dst, spi);
    return spi;
}

void FakeKernel::add_sa(const SaConfig& sa) {
    std::lock_guard lock(mutex_);
    const std::string what = "add_sa spi " + spi_text(sa.spi);
    enter(Op::AddSa, what);
    if (sa.spi < 256) throw KernelError(EINVAL, "FakeKernel " + what, "reserved SPI");
    if (sa.src.family != sa.dst.family) throw KernelError(EINVAL, "FakeKernel " + what, "address families differ");
    const SaKey key{sa.dst, sa.spi};
    if (sas_.count(key)) throw KernelError(EEXIST, "FakeKernel " + what);
    sas_.emplace(key, sa.clone());
    larval_.erase(key);
}

void FakeKernel::del_sa(const IpAddress& dst, std::uint32_t spi) {
    std::lock_guard lock(mutex_);
    enter(Op::DelSa, "del_sa spi " + spi_text(spi));
    const SaKey key{dst, spi};
    const bool was_larval = larval_.erase(key) > 0;
    if (sas_.erase(key) == 0 && !was_larval) throw KernelError(ESRCH, "FakeKernel del_sa spi " + spi_text(spi));
    counters_.erase(key);
}

SaCounters FakeKernel::query_sa(const IpAddress& dst, std::uint32_t spi) {
    std::lock_guard lock(mutex_);
    enter(Op::QuerySa, "query_sa spi " + spi_text(spi));
    const SaKey key{dst, spi};
    if (!sas_.count(key) && !larval_.count(key)) throw KernelError(ESRCH, "FakeKernel query_sa spi " + spi_text(spi));
    auto found = counters_.find(key);
    return found == counters_.end() ? SaCounters{} : found->second;
}

void FakeKernel::add_policy(const PolicyConfig& policy) {
    std::lock_guard lock(mutex_);
    const std::string what = std::string("add_policy ") + to_string(policy.dir) + " " + policy.selector.to_string();
    enter(Op::AddPolicy, what);
    if (policy.selector.src.family != policy.selector.dst.family)
        throw KernelError(EINVAL, "FakeKernel " + what, "selector mixes families");
    const PolicyKey key{policy.selector, policy.dir};
    if (policies_.count(key)) throw KernelError(EEXIST, "FakeKernel " + what);
    policies_.emplace(key, policy);
}

void FakeKernel::del_policy(const Selector& selector, PolicyConfig::Dir dir) {
    std::lock_guard lock(mutex_);
    const std::string what = std::string("del_policy ") + to_string(dir) + " " + selector.to_string();
    enter(Op::DelPolicy, what);
    if (policies_.erase({selector, dir}) == 0) throw KernelError(ENOENT, "FakeKernel " + what);
}

void FakeKernel::install(const InstallSet& set) {
    {
        std::unique_lock hold(hold_mutex_);
        if (holding_) {
            ++held_;
            hold_changed_.notify_all();
            hold_changed_.wait_for(hold, max_hold_, [this] { return !holding_; });
            --held_;
            hold_changed_.notify_all();
        }
    }
    std::lock_guard lock(mutex_);
    enter(Op::Install, "install of " + std::to_string(set.sas.size()) + " SAs and " + std::to_string(set.policies.size()) +
                           " policies");
    KernelIpsec::install(set);
}

void FakeKernel::move_sas(const MoveSet& set) {
    const std::string what = "move_sas to " + set.local.to_string() + " <-> " + set.remote.to_string();
    enter(Op::MoveSas, what);
    if (set.local.family != set.remote.family) throw KernelError(EINVAL, "FakeKernel " + what, "address families differ");
    struct Move {
        SaKey from, to;
        bool inbound;
    };
    std::vector<Move> moves;
    for (std::uint32_t spi : set.inbound_spis) moves.push_back({{set.old_local, spi}, {set.local, spi}, true});
    for (std::uint32_t spi : set.outbound_spis) moves.push_back({{set.old_remote, spi}, {set.remote, spi}, false});
    std::set<SaKey> leaving;
    for (const Move& m : moves) {
        if (!sas_.count(m.from)) throw KernelError(ESRCH, "FakeKernel " + what + ": spi " + spi_text(m.from.second));
        leaving.insert(m.from);
    }
    for (const Move& m : moves)
        if (sas_.count(m.to) && !leaving.count(m.to))
            throw KernelError(EEXIST, "FakeKernel " + what + ": spi " + spi_text(m.to.second));
    for (const auto& [selector, dir] : set.policies)
        if (!policies_.count({selector, dir}))
            throw KernelError(ENOENT, "FakeKernel " + what + ": policy " + to_string(dir) + " " + selector.to_string());

    std::vector<std::pair<Move, SaConfig>> moved;
    for (const Move& m : moves) {
        auto node = sas_.extract(m.from);
        moved.emplace_back(m, std::move(node.mapped()));
    }
    for (auto& [m, sa] : moved) {
        sa.src = m.inbound ? set.remote : set.local;
        sa.dst = m.inbound ? set.local : set.remote;
        sa.natt_ports.reset();
        if (set.natt_ports)
            sa.natt_ports = m.inbound ? std::make_pair(set.natt_ports->second, set.natt_ports->first) : *set.natt_ports;
        if (auto c = counters_.extract(m.from)) {
            c.key() = m.to;
            counters_.insert(std::move(c));
        }
        sas_.emplace(m.to, std::move(sa));
    }
    for (const auto& [selector, dir] : set.policies) {
        PolicyConfig& p = policies_.at({selector, dir});
        const bool out = dir == PolicyConfig::Dir::Out;
        p.tmpl_src = out ? set.local : set.remote;
        p.tmpl_dst = out ? set.remote : set.local;
    }
}

void FakeKernel::flush_own() {
    std::lock_guard lock(mutex_);
    enter(Op::FlushOwn, "flush_own");
    sas_.clear();
    counters_.clear();
    larval_.clear();
    policies_.clear();
    routes_.clear();
    client_routes_.clear();
    ++flush_count_;
}

void FakeKernel::add_pool_route(const IpAddress& prefix, std::uint8_t len) {
    std::lock_guard lock(mutex_);
    const std::string what = "add_pool_route " + prefix.to_string() + "/" + std::to_string(len);
    enter(Op::AddRoute, what);
    if (len > prefix.size() * 8) throw KernelError(EINVAL, "FakeKernel " + what);
    if (!routes_.emplace(prefix, len).second) throw KernelError(EEXIST, "FakeKernel " + what);
}

void FakeKernel::del_pool_route(const IpAddress& prefix, std::uint8_t len) {
    std::lock_guard lock(mutex_);
    const std::string what = "del_pool_route " + prefix.to_string() + "/" + std::to_string(len);
    enter(Op::DelRoute, what);
    if (routes_.erase({prefix, len}) == 0) throw KernelError(ESRCH, "FakeKernel " + what);
}

void FakeKernel::add_client_route(const IpAddress& client, const IpAddress& peer, const IpAddress& local) {
    std::lock_guard lock(mutex_);
    const std::string what = "add_client_route " + client.to_string() + " toward " + peer.to_string() + " from " + local.to_string();
    enter(Op::AddClientRoute, what);
    if (!client_routes_.emplace(client, peer).second) throw KernelError(EEXIST, "FakeKernel " + what);
}

void FakeKernel::del_client_route(const IpAddress& client) {
    std::lock_guard lock(mutex_);
    const std::string what = "del_client_route " + client.to_string();
    enter(Op::DelClientRoute, what);
    if (client_routes_.erase(client) == 0) throw KernelError(ESRCH, "FakeKernel " + what);
}

void FakeKernel::process_events(std::function<void(const KernelEvent&)> handler) {
    std::lock_guard lock(mutex_);
    std::uint64_t pending = 0;
    (void)!read(event_fd_, &pending, sizeof pending);  // clears readability; EAGAIN when nothing queued
    while (!events_.empty()) {
        const KernelEvent event = events_.front();
        events_.pop_front();
        if (handler) handler(event);
    }
}

const SaConfig* FakeKernel::find_sa(const IpAddress& dst, std::uint32_t spi) const {
    std::lock_guard lock(mutex_);
    auto found = sas_.find({dst, spi});
    return found == sas_.end() ? nullptr : &found->second;
}

const PolicyConfig* FakeKernel::find_policy(const Selector& sel, PolicyConfig::Dir dir) const {
    std::lock_guard lock(mutex_);
    auto found = policies_.find({sel, dir});
    return found == policies_.end() ? nullptr : &found->second;
}

void FakeKernel::set_counters(const IpAddress& dst, std::uint32_t spi, const SaCounters& counters) {
    std::lock_guard lock(mutex_);
    counters_[{dst, spi}] = counters;
}

void FakeKernel::inject_event(const KernelEvent& event) {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
    const std::uint64_t one = 1;
    if (write(event_fd_, &one, sizeof one) != sizeof one) throw KernelError(errno, "FakeKernel eventfd write");
}

void FakeKernel::fail_next(Op op, int err) {
    std::lock_guard lock(mutex_);
    failures_[op] = err;
}

void FakeKernel::throw_next(Op op, std::exception_ptr exception) {
    std::lock_guard lock(mutex_);
    thrown_[op] = std::move(exception);
}

std::size_t FakeKernel::call_count(Op op) const {
    std::lock_guard lock(mutex_);
    auto found = calls_.find(op);
    return found == calls_.end() ? 0 : found->second;
}

void FakeKernel::hold_installs(std::chrono::milliseconds max_hold) {
    std::lock_guard hold(hold_mutex_);
    holding_ = true;
    max_hold_ = max_hold;
}

void FakeKernel::release_installs() {
    {
        std::lock_guard hold(hold_mutex_);
        holding_ = false;
    }
    hold_changed_.notify_all();
}

std::size_t FakeKernel::installs_held() const {
    std::lock_guard hold(hold_mutex_);
    return held_;
}

bool FakeKernel::wait_for_held_install(std::chrono::milliseconds timeout) const {
    std::unique_lock hold(hold_mutex_);
    return hold_changed_.wait_for(hold, timeout, [this] { return held_ > 0; });
}

}  // namespace ikev2d::kernel
