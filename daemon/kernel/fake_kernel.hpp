// An in-memory KernelIpsec for unit tests of the protocol code: records SAs, policies
// and routes, lets tests inspect them, set counters, inject events and make the next
// call of an operation fail. It enforces what the real kernel would (duplicate SA or
// policy, deleting something absent, reserved SPIs) so that such bugs show in tests.
// Its operations are serialized by a mutex, so that a test may share it between the
// loop and a real kernel-lane thread; install() can be held to play a slow kernel.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "kernel/kernel_ipsec.hpp"

namespace ikev2d::kernel {

class FakeKernel final : public KernelIpsec {
public:
    using SaKey = std::pair<IpAddress, std::uint32_t>;  // (dst, spi)
    using PolicyKey = std::pair<Selector, PolicyConfig::Dir>;
    using RouteKey = std::pair<IpAddress, std::uint8_t>;

    enum class Op { AllocSpi, AddSa, DelSa, QuerySa, AddPolicy, DelPolicy, AddRoute, DelRoute, AddClientRoute, DelClientRoute, FlushOwn, Install, MoveSas };

    FakeKernel();
    ~FakeKernel() override;

    std::uint32_t alloc_spi(const IpAddress& src, const IpAddress& dst, std::uint32_t reqid) override;
    void add_sa(const SaConfig&) override;
    void del_sa(const IpAddress& dst, std::uint32_t spi) override;
    SaCounters query_sa(const IpAddress& dst, std::uint32_t spi) override;
    void add_policy(const PolicyConfig&) override;
    void del_policy(const Selector&, PolicyConfig::Dir) override;
    // Counted as Op::Install, then the SAs and policies one by one (each counted and
    // failing as its own op, so fail_next(Op::AddPolicy, ...) hits the set), undone on failure.
    void install(const InstallSet& set) override;
    // Checks everything first (SAs and policies present, no SA in the way): a refused
    // move changes nothing. Counters travel with their SAs.
    void move_sas(const MoveSet& set) override;
    void flush_own() override;
    void add_pool_route(const IpAddress& prefix, std::uint8_t len) override;
    void del_pool_route(const IpAddress& prefix, std::uint8_t len) override;
    void add_client_route(const IpAddress& client, const IpAddress& peer, const IpAddress& local) override;
    void del_client_route(const IpAddress& client) override;
    int event_fd() const override { return event_fd_; }  // an eventfd, readable while events are queued
    void process_events(std::function<void(const KernelEvent&)>) override;

    // --- for tests ---
    const std::map<SaKey, SaConfig>& sas() const noexcept { return sas_; }
    const SaConfig* find_sa(const IpAddress& dst, std::uint32_t spi) const;
    const std::map<PolicyKey, PolicyConfig>& policies() const noexcept { return policies_; }
    const PolicyConfig* find_policy(const Selector& sel, PolicyConfig::Dir dir) const;
    const std::set<RouteKey>& routes() const noexcept { return routes_; }
    // Client routes: client address -> the peer address it was routed toward.
    const std::map<IpAddress, IpAddress>& client_routes() const noexcept { return client_routes_; }
    const std::set<SaKey>& larval_spis() const noexcept { return larval_; }
    // Counters query_sa returns for that SA (default: all zero).
    void set_counters(const IpAddress& dst, std::uint32_t spi, const SaCounters& counters);
    // Queues an event for process_events() and makes event_fd() readable.
    void inject_event(const KernelEvent& event);
    // The next call of op throws KernelError(err) and changes nothing.
    void fail_next(Op op, int err);
    // The next call of op throws `exception` (anything, not only a KernelError), to test
    // that an unexpected failure stays contained.
    void throw_next(Op op, std::exception_ptr exception);
    std::size_t flush_count() const noexcept { return flush_count_; }
    std::size_t call_count(Op op) const;
    // Until release_installs(), install() waits before it does anything (a kernel slow to
    // ack), at most max_hold: code that waits for it on the test's own thread then fails
    // the test instead of hanging it.
    void hold_installs(std::chrono::milliseconds max_hold = std::chrono::milliseconds(3000));
    void release_installs();
    // install() calls waiting in the hold now; wait_for_held_install() waits (at most
    // timeout) until one is.
    std::size_t installs_held() const;
    bool wait_for_held_install(std::chrono::milliseconds timeout) const;

private:
    void enter(Op op, const std::string& what);  // counts the call, throws an injected failure

    std::map<SaKey, SaConfig> sas_;
    std::map<SaKey, SaCounters> counters_;
    std::set<SaKey> larval_;
    std::map<PolicyKey, PolicyConfig> policies_;
    std::set<RouteKey> routes_;
    std::map<IpAddress, IpAddress> client_routes_;
    std::deque<KernelEvent> events_;
    std::map<Op, int> failures_;
    std::map<Op, std::exception_ptr> thrown_;
    std::map<Op, std::size_t> calls_;
    std::uint32_t next_spi_ = 0xc0000001;
    std::size_t flush_count_ = 0;
    int event_fd_ = -1;
    mutable std::recursive_mutex mutex_;  // the state above; install() calls the other ops
    mutable std::mutex hold_mutex_;
    mutable std::condition_variable hold_changed_;
    bool holding_ = false;
    std::chrono::milliseconds max_hold_{0};
    std::size_t held_ = 0;
};

}  // namespace ikev2d::kernel
