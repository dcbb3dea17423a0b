// How much of the single event loop one peer address may use (issue: pre-authentication
// work that blocks must not let one client stall the others). Every datagram's handling
// time is charged to its source address; a source that used up its budget has its
// datagrams dropped, unread, until the budget refills. A token bucket per address: it
// refills at `rate_ms_per_s` of handler time per second up to `burst_ms`. A source that
// behaves (a few logins a second, even many users behind one NAT) never comes near it;
// one that floods expensive requests (large MODP groups, password hashes) gets at most
// `rate_ms_per_s` of every second once its burst is spent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <utility>

#include "util/ip_address.hpp"

namespace ikev2d::ike {

struct WorkBudgetLimits {
    std::uint32_t rate_ms_per_s = 100;  // 0 = no budget
    std::uint32_t burst_ms = 1000;
    std::size_t max_sources = 8192;  // sources tracked at once; full buckets are forgotten first
};

class SourceWorkBudget {
public:
    using Limits = WorkBudgetLimits;
    explicit SourceWorkBudget(Limits limits = {}) : limits_(limits) {}

    void set_limits(Limits limits) { limits_ = limits; }
    // False when `source` has spent its budget: drop the datagram without handling it.
    bool admit(const IpAddress& source, std::uint64_t now_ms);
    // Charges the wall time one datagram of `source` took (at most one burst).
    void charge(const IpAddress& source, std::uint64_t spent_us, std::uint64_t now_ms);
    std::size_t tracked() const { return buckets_.size(); }
    // Buckets looked at to make room for new sources, since construction (for tests).
    std::uint64_t buckets_visited() const { return visited_; }

private:
    struct Bucket {
        std::int64_t tokens_us = 0;
        std::uint64_t updated_ms = 0;
        std::uint64_t full_at_ms = 0;  // when refills make it full again (its key in by_full_at_)
    };
    void refill(Bucket& b, std::uint64_t now_ms) const;
    void forget_nearest_full();
    std::int64_t burst_us() const { return static_cast<std::int64_t>(limits_.burst_ms) * 1000; }

    Limits limits_;
    std::map<IpAddress, Bucket> buckets_;  // only sources that spent part of their burst
    // The same sources by the time their bucket is full again: at the limit, the first
    // one is forgotten (full already, or the nearest to it; those in debt stay longest),
    // in O(log n) instead of a scan of every bucket per new source.
    std::set<std::pair<std::uint64_t, IpAddress>> by_full_at_;
    std::uint64_t visited_ = 0;
};

}  // namespace ikev2d::ike
