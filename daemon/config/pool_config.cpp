#include "config/pool_config.hpp"

#include "config/address_math.hpp"

namespace ikev2d::config {

std::optional<PoolConfig> parse_pool_range(std::string name, std::string_view text) {
    PoolConfig pool;
    pool.name = std::move(name);
    if (auto dash = text.find('-'); dash != std::string_view::npos) {
        auto first = IpAddress::parse(text.substr(0, dash));
        auto last = IpAddress::parse(text.substr(dash + 1));
        if (!first || !last || first->family != last->family || *last < *first) return std::nullopt;
        pool.first = *first;
        pool.last = *last;
        return pool;
    }
    // A prefix. IpPrefix::parse would accept a bare address as a host prefix, which as a
    // pool is more likely a typo than a one-address pool; require the "/len".
    if (text.find('/') == std::string_view::npos) return std::nullopt;
    auto prefix = IpPrefix::parse(text);
    if (!prefix) return std::nullopt;
    auto first = detail::to_integer(prefix->addr);
    auto last = detail::to_integer(prefix->last());
    const int family = prefix->addr.family;
    if (family == AF_INET && prefix->length <= 30) {
        ++first;  // network address
        --last;   // broadcast address
    } else if (family == AF_INET6 && prefix->length <= 126) {
        ++first;  // subnet-router anycast address (RFC 4291 2.6.1)
    }
    pool.first = detail::from_integer(family, first);
    pool.last = detail::from_integer(family, last);
    return pool;
}

bool pools_overlap(const PoolConfig& a, const PoolConfig& b) noexcept {
    if (a.first.family != b.first.family) return false;
    return !(a.last < b.first || b.last < a.first);
}

}  // namespace ikev2d::config
