#include "asa/asa_address.hpp"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cstdio>

namespace ikev2d::asa {
namespace {

// The ASA's limit for `ipv6 local pool` (number_of_addresses 1-16384).
constexpr std::uint64_t kMaxIpv6PoolAddresses = 16384;

using V6 = std::array<std::uint8_t, 16>;

std::string to_text(const V6& a) {
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, a.data(), buf, sizeof buf);
    return buf;
}

// a + n; false when it wraps past ffff:...:ffff.
bool add(V6& a, std::uint64_t n) {
    for (int i = 15; i >= 0 && n != 0; --i) {
        const std::uint64_t sum = a[static_cast<std::size_t>(i)] + (n & 0xff);
        a[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(sum);
        n = (n >> 8) + (sum >> 8);
    }
    return n == 0;
}

}  // namespace

std::optional<int> mask_length(const std::string& mask) {
    unsigned a, b, c, d;
    char tail;
    if (std::sscanf(mask.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 || b > 255 || c > 255 || d > 255)
        return std::nullopt;
    const std::uint32_t m = (a << 24) | (b << 16) | (c << 8) | d;
    const int len = __builtin_popcount(m);
    if (len != 32 && (m << len) != 0) return std::nullopt;
    return len;
}

std::optional<std::string> ipv6_prefix(const std::string& text) {
    const auto slash = text.find('/');
    V6 address{};
    if (inet_pton(AF_INET6, text.substr(0, slash).c_str(), address.data()) != 1) return std::nullopt;
    if (slash == std::string::npos) return text + "/128";
    int length = -1;
    const char* first = text.data() + slash + 1;
    const char* last = text.data() + text.size();
    if (auto [end, ec] = std::from_chars(first, last, length); first == last || ec != std::errc() || end != last ||
                                                               length < 0 || length > 128)
        return std::nullopt;
    return text;
}

Ipv6PoolRange ipv6_pool_range(const std::string& address_slash_length, const std::string& count_text) {
    Ipv6PoolRange out;
    const auto slash = address_slash_length.find('/');
    V6 first{};
    if (slash == std::string::npos || inet_pton(AF_INET6, address_slash_length.substr(0, slash).c_str(), first.data()) != 1) {
        out.error = "not an IPv6 address/prefix-length";
        return out;
    }
    const std::string len_text = address_slash_length.substr(slash + 1);
    int length = -1;
    if (auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), length);
        ec != std::errc() || end != len_text.data() + len_text.size() || length < 0 || length > 128) {
        out.error = "not an IPv6 address/prefix-length";
        return out;
    }
    std::uint64_t count = 0;
    if (auto [end, ec] = std::from_chars(count_text.data(), count_text.data() + count_text.size(), count);
        count_text.empty() || ec != std::errc() || end != count_text.data() + count_text.size() || count < 1 ||
        count > kMaxIpv6PoolAddresses) {
        out.error = "no number of addresses 1-16384 after the prefix";
        return out;
    }
    // The prefix's last address: first with every host bit set.
    V6 prefix_last = first;
    for (int bit = length; bit < 128; ++bit)
        prefix_last[static_cast<std::size_t>(bit / 8)] |= static_cast<std::uint8_t>(0x80 >> (bit % 8));
    V6 last = first;
    if (!add(last, count - 1) || last > prefix_last) {
        last = prefix_last;
        out.clipped = true;
    }
    out.range = to_text(first) + "-" + to_text(last);
    return out;
}

}  // namespace ikev2d::asa
