// Addresses as integers, for pool ranges (internal to daemon/config).
#pragma once

#include "util/ip_address.hpp"

namespace ikev2d::config::detail {

using U128 = unsigned __int128;

inline U128 to_integer(const IpAddress& a) noexcept {
    U128 v = 0;
    for (std::size_t i = 0; i < a.size(); ++i) v = (v << 8) | a.bytes[i];
    return v;
}

inline IpAddress from_integer(int family, U128 v) noexcept {
    IpAddress a = IpAddress::any(family);
    for (std::size_t i = a.size(); i-- > 0;) {
        a.bytes[i] = static_cast<std::uint8_t>(v & 0xff);
        v >>= 8;
    }
    return a;
}

}  // namespace ikev2d::config::detail
