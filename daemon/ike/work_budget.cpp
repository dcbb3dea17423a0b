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
        if (buckets_.size() >= limits_.max_sources) forget_full_buckets(now_ms);
        if (buckets_.size() >= limits_.max_sources) buckets_.erase(buckets_.begin());  // many spenders: forget one
        it = buckets_.emplace(source, Bucket{burst_us(), now_ms}).first;
    } else {
        refill(it->second, now_ms);
    }
    // One datagram costs at most a burst: a single slow one (the kernel's first ESP SA
    // loads its crypto modules for seconds) is no sign of abuse; only a stream of them is.
    it->second.tokens_us -= std::min<std::int64_t>(static_cast<std::int64_t>(std::min<std::uint64_t>(spent_us, 1ull << 40)), burst_us());
}

void SourceWorkBudget::forget_full_buckets(std::uint64_t now_ms) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
        refill(it->second, now_ms);
        it = it->second.tokens_us >= burst_us() ? buckets_.erase(it) : std::next(it);
    }
}

}  // namespace ikev2d::ike
