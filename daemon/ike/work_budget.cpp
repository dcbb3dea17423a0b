#include "ike/work_budget.hpp"

#include <algorithm>

namespace ikev2d::ike {

void SourceWorkBudget::refill(Bucket& b, std::uint64_t now_ms) const {
    if (now_ms <= b.updated_ms) return;
    // rate_ms_per_s ms per 1000 ms = rate_ms_per_s µs per ms.
    const std::int64_t gained = static_cast<std::int64_t>(now_ms - b.updated_ms) * limits_.rate_ms_per_s;
    b.tokens_us = std::min(burst_us(), b.tokens_us + gained);
    b.updated_ms = now_ms;
}

bool SourceWorkBudget::admit(const IpAddress& source, std::uint64_t now_ms) {
    if (limits_.rate_ms_per_s == 0) return true;
    auto it = buckets_.find(source);
    if (it == buckets_.end()) return true;  // a full bucket is not stored
    refill(it->second, now_ms);
    if (it->second.tokens_us > 0) return true;
    return false;
}

void SourceWorkBudget::charge(const IpAddress& source, std::uint64_t spent_us, std::uint64_t now_ms) {
    if (limits_.rate_ms_per_s == 0) return;
    auto it = buckets_.find(source);
    if (it == buckets_.end()) {
        while (!buckets_.empty() && buckets_.size() >= limits_.max_sources) forget_nearest_full();
        it = buckets_.emplace(source, Bucket{burst_us(), now_ms, now_ms}).first;
    } else {
        refill(it->second, now_ms);
        by_full_at_.erase({it->second.full_at_ms, source});
    }
    Bucket& b = it->second;
    // One datagram costs at most a burst: a single slow one (the kernel's first ESP SA
    // loads its crypto modules for seconds) is no sign of abuse; only a stream of them is.
    b.tokens_us -= std::min<std::int64_t>(static_cast<std::int64_t>(std::min<std::uint64_t>(spent_us, 1ull << 40)), burst_us());
    // Full again after the deficit refills at rate_ms_per_s µs per ms, rounded up. (A
    // change of limits leaves older estimates as they were: they only order forgetting.)
    const std::int64_t deficit_us = std::max<std::int64_t>(0, burst_us() - b.tokens_us);
    const std::int64_t rate = limits_.rate_ms_per_s;
    b.full_at_ms = b.updated_ms + static_cast<std::uint64_t>((deficit_us + rate - 1) / rate);
    by_full_at_.emplace(b.full_at_ms, source);
}

void SourceWorkBudget::forget_nearest_full() {
    ++visited_;
    if (by_full_at_.empty()) {  // cannot happen (both hold the same sources); stay bounded anyway
        buckets_.erase(buckets_.begin());
        return;
    }
    const auto first = by_full_at_.begin();
    buckets_.erase(first->second);
    by_full_at_.erase(first);
}

}  // namespace ikev2d::ike
