#include "ike/half_open_admission.hpp"

#include <algorithm>

namespace ikev2d::ike {

IpAddress HalfOpenAdmission::source_key(const IpAddress& address) {
    IpAddress key = address;
    if (!key.is_v4()) std::fill(key.bytes.begin() + 8, key.bytes.end(), std::uint8_t{0});
    return key;
}

std::size_t HalfOpenAdmission::from(const IpAddress& source) const {
    auto it = by_source_.find(source_key(source));
    return it == by_source_.end() ? 0 : it->second.size();
}

HalfOpenAdmission::Decision HalfOpenAdmission::decide(const IpAddress& source, const HalfOpenLimits& limits) const {
    if (from(source) >= limits.per_source) return Decision::RequireCookieAndReplaceOwn;
    if (total_ >= limits.total) return Decision::RequireCookieAndMakeRoom;
    if (total_ >= limits.cookie_threshold) return Decision::RequireCookie;
    return Decision::Admit;
}

void HalfOpenAdmission::add(const IpAddress& source, std::uint64_t created_ms, std::uint64_t spi_r) {
    if (by_source_[source_key(source)].emplace(created_ms, spi_r).second) ++total_;
}

void HalfOpenAdmission::remove(const IpAddress& source, std::uint64_t created_ms, std::uint64_t spi_r) {
    auto it = by_source_.find(source_key(source));
    if (it == by_source_.end()) return;
    if (it->second.erase({created_ms, spi_r}) > 0) --total_;
    if (it->second.empty()) by_source_.erase(it);
}

std::optional<std::uint64_t> HalfOpenAdmission::eviction_candidate() const {
    auto busiest = std::max_element(by_source_.begin(), by_source_.end(),
                                    [](const auto& a, const auto& b) { return a.second.size() < b.second.size(); });
    if (busiest == by_source_.end() || busiest->second.empty()) return std::nullopt;
    return busiest->second.begin()->second;
}

std::optional<std::uint64_t> HalfOpenAdmission::oldest_of(const IpAddress& source) const {
    auto it = by_source_.find(source_key(source));
    if (it == by_source_.end() || it->second.empty()) return std::nullopt;
    return it->second.begin()->second;
}

}  // namespace ikev2d::ike
