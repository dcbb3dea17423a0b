// IPv4/IPv6 addresses and UDP endpoints, shared by net/, kernel/, ike/ and control/.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <sys/socket.h>

#include "util/bytes.hpp"

namespace ikev2d {

struct IpAddress {
    int family = AF_INET;                  // AF_INET or AF_INET6
    std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4

    static std::optional<IpAddress> parse(std::string_view text);
    // Throws std::invalid_argument naming the text.
    static IpAddress from_string(std::string_view text);
    static IpAddress from_bytes(ByteView raw);  // 4 or 16 bytes; throws std::invalid_argument otherwise
    static IpAddress v4(std::uint32_t host_order);
    static IpAddress any(int family);

    std::size_t size() const noexcept { return family == AF_INET6 ? 16 : 4; }
    ByteView view() const noexcept { return {bytes.data(), size()}; }
    bool is_v4() const noexcept { return family == AF_INET; }
    std::uint32_t v4_host_order() const noexcept;  // IPv4 only
    bool is_any() const noexcept;
    std::string to_string() const;

    friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
};

struct Endpoint {
    IpAddress addr;
    std::uint16_t port = 0;

    // sockaddr_in / sockaddr_in6 conversions
    socklen_t to_sockaddr(sockaddr_storage& out) const noexcept;
    static std::optional<Endpoint> from_sockaddr(const sockaddr* sa, socklen_t len) noexcept;
    std::string to_string() const;  // "10.0.0.1:500", "[2001:db8::1]:500"

    friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
};

// An address prefix such as 10.2.2.0/24 (for pools, split networks, selectors).
struct IpPrefix {
    IpAddress addr;
    std::uint8_t length = 0;
    static std::optional<IpPrefix> parse(std::string_view text);  // "a.b.c.d/n" or a bare address (= host prefix)
    // The smallest prefix holding first..last (both of one family): exact when the range is one.
    static IpPrefix covering(const IpAddress& first, const IpAddress& last) noexcept;
    bool contains(const IpAddress& a) const noexcept;
    IpAddress netmask() const noexcept;  // IPv4: the dotted mask as an address
    IpAddress last() const noexcept;     // highest address in the prefix
    std::string to_string() const;
    friend auto operator<=>(const IpPrefix&, const IpPrefix&) = default;
};

}  // namespace ikev2d
