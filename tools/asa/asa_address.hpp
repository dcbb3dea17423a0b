// Address arithmetic for ASA commands: dotted masks (`access-list ... 255.0.0.0`) and the
// ranges of `ipv6 local pool NAME ADDRESS/LEN COUNT`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ikev2d::asa {

// Dotted mask -> prefix length; nullopt when not contiguous.
std::optional<int> mask_length(const std::string& mask);

// "2001:db8::/48" (as given) or a bare IPv6 address (its /128); nullopt when not IPv6.
std::optional<std::string> ipv6_prefix(const std::string& text);

// `ipv6 local pool`: COUNT addresses from ADDRESS on (the ASA's meaning), kept inside the
// prefix ADDRESS/LEN. range is "first-last", or empty with error saying why.
struct Ipv6PoolRange {
    std::string range;
    std::string error;
    bool clipped = false;  // the count reached past the prefix: the range ends at its last address
};
Ipv6PoolRange ipv6_pool_range(const std::string& address_slash_length, const std::string& count);

}  // namespace ikev2d::asa
