// An address pool as configured (the seed's `ip local pool webvpn1 10.2.2.1-10.2.2.10`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/ip_address.hpp"

namespace ikev2d::config {

struct PoolConfig {
    std::string name;
    IpAddress first, last;  // inclusive, same family, first <= last
};

// "10.2.2.1-10.2.2.10" (inclusive range) or "10.2.2.0/24". For an IPv4 prefix of /30 or
// shorter the network and broadcast addresses are left out (clients cannot use them);
// for an IPv6 prefix the all-zero subnet-router anycast address is left out.
// nullopt when the text is not a valid range of one family with first <= last.
std::optional<PoolConfig> parse_pool_range(std::string name, std::string_view text);

// True when the two pools share at least one address.
bool pools_overlap(const PoolConfig& a, const PoolConfig& b) noexcept;

}  // namespace ikev2d::config
