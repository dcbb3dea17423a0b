#include "util/ip_address.hpp"

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>
#include <stdexcept>

namespace ikev2d {

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    std::string s(text);
    IpAddress a;
    if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
        a.family = AF_INET;
        return a;
    }
    if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
        a.family = AF_INET6;
        return a;
    }
    return std::nullopt;
}

IpAddress IpAddress::from_string(std::string_view text) {
    auto a = parse(text);
    if (!a) throw std::invalid_argument("not an IP address: '" + std::string(text) + "'");
    return *a;
}

IpAddress IpAddress::from_bytes(ByteView raw) {
    IpAddress a;
    if (raw.size() == 4) {
        a.family = AF_INET;
    } else if (raw.size() == 16) {
        a.family = AF_INET6;
    } else {
        throw std::invalid_argument("IP address must be 4 or 16 bytes, got " + std::to_string(raw.size()));
    }
    std::memcpy(a.bytes.data(), raw.data(), raw.size());
    return a;
}

IpAddress IpAddress::v4(std::uint32_t host_order) {
    IpAddress a;
    a.family = AF_INET;
    a.bytes[0] = static_cast<std::uint8_t>(host_order >> 24);
    a.bytes[1] = static_cast<std::uint8_t>(host_order >> 16);
    a.bytes[2] = static_cast<std::uint8_t>(host_order >> 8);
    a.bytes[3] = static_cast<std::uint8_t>(host_order);
    return a;
}

IpAddress IpAddress::any(int family) {
    IpAddress a;
    a.family = family;
    return a;
}

std::uint32_t IpAddress::v4_host_order() const noexcept {
    return static_cast<std::uint32_t>(bytes[0]) << 24 | static_cast<std::uint32_t>(bytes[1]) << 16 |
           static_cast<std::uint32_t>(bytes[2]) << 8 | bytes[3];
}

bool IpAddress::is_any() const noexcept {
    for (std::size_t i = 0; i < size(); ++i)
        if (bytes[i] != 0) return false;
    return true;
}

namespace {
// Dotted quad without inet_ntop's sprintf: log lines at the default level print
// addresses on every handshake.
void append_v4(std::string& out, const std::uint8_t* b) {
    for (int i = 0; i < 4; ++i) {
        if (i > 0) out.push_back('.');
        const unsigned v = b[i];
        if (v >= 100) out.push_back(static_cast<char>('0' + v / 100));
        if (v >= 10) out.push_back(static_cast<char>('0' + v / 10 % 10));
        out.push_back(static_cast<char>('0' + v % 10));
    }
}
}  // namespace

std::string IpAddress::to_string() const {
    if (family == AF_INET) {
        std::string out;
        out.reserve(15);
        append_v4(out, bytes.data());
        return out;
    }
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(family, bytes.data(), buf, sizeof buf);
    return buf;
}

socklen_t Endpoint::to_sockaddr(sockaddr_storage& out) const noexcept {
    std::memset(&out, 0, sizeof out);
    if (addr.family == AF_INET6) {
        auto* sin6 = reinterpret_cast<sockaddr_in6*>(&out);
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        std::memcpy(&sin6->sin6_addr, addr.bytes.data(), 16);
        return sizeof(sockaddr_in6);
    }
    auto* sin = reinterpret_cast<sockaddr_in*>(&out);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    std::memcpy(&sin->sin_addr, addr.bytes.data(), 4);
    return sizeof(sockaddr_in);
}

std::optional<Endpoint> Endpoint::from_sockaddr(const sockaddr* sa, socklen_t len) noexcept {
    Endpoint e;
    if (sa->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
        sockaddr_in sin;
        std::memcpy(&sin, sa, sizeof sin);
        e.addr.family = AF_INET;
        std::memcpy(e.addr.bytes.data(), &sin.sin_addr, 4);
        e.port = ntohs(sin.sin_port);
        return e;
    }
    if (sa->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
        sockaddr_in6 sin6;
        std::memcpy(&sin6, sa, sizeof sin6);
        e.addr.family = AF_INET6;
        std::memcpy(e.addr.bytes.data(), &sin6.sin6_addr, 16);
        e.port = ntohs(sin6.sin6_port);
        return e;
    }
    return std::nullopt;
}

std::string Endpoint::to_string() const {
    if (addr.family == AF_INET6) return "[" + addr.to_string() + "]:" + std::to_string(port);
    std::string out;
    out.reserve(21);
    if (addr.family == AF_INET) append_v4(out, addr.bytes.data());
    else out = addr.to_string();
    out.push_back(':');
    out += std::to_string(port);
    return out;
}

std::optional<IpPrefix> IpPrefix::parse(std::string_view text) {
    IpPrefix p;
    auto slash = text.find('/');
    auto a = IpAddress::parse(text.substr(0, slash));
    if (!a) return std::nullopt;
    p.addr = *a;
    unsigned max = static_cast<unsigned>(a->size() * 8);
    if (slash == std::string_view::npos) {
        p.length = static_cast<std::uint8_t>(max);
        return p;
    }
    auto len_text = text.substr(slash + 1);
    if (len_text.empty() || len_text.size() > 3) return std::nullopt;
    unsigned len = 0;
    for (char c : len_text) {
        if (c < '0' || c > '9') return std::nullopt;
        len = len * 10 + static_cast<unsigned>(c - '0');
    }
    if (len > max) return std::nullopt;
    p.length = static_cast<std::uint8_t>(len);
    // Normalise: clear host bits so that 10.2.2.7/24 means 10.2.2.0/24.
    for (unsigned bit = len; bit < max; ++bit) p.addr.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
    return p;
}

bool IpPrefix::contains(const IpAddress& a) const noexcept {
    if (a.family != addr.family) return false;
    for (unsigned bit = 0; bit < length; ++bit) {
        std::uint8_t m = static_cast<std::uint8_t>(0x80u >> (bit % 8));
        if ((a.bytes[bit / 8] & m) != (addr.bytes[bit / 8] & m)) return false;
    }
    return true;
}

IpPrefix IpPrefix::covering(const IpAddress& first, const IpAddress& last) noexcept {
    IpPrefix p;
    p.addr = first;
    const unsigned max = static_cast<unsigned>(first.size() * 8);
    unsigned len = 0;
    while (len < max) {
        const auto m = static_cast<std::uint8_t>(0x80u >> (len % 8));
        if ((first.bytes[len / 8] & m) != (last.bytes[len / 8] & m)) break;
        ++len;
    }
    p.length = static_cast<std::uint8_t>(len);
    for (unsigned bit = len; bit < max; ++bit) p.addr.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
    return p;
}

IpAddress IpPrefix::netmask() const noexcept {
    IpAddress m = IpAddress::any(addr.family);
    for (unsigned bit = 0; bit < length; ++bit) m.bytes[bit / 8] |= static_cast<std::uint8_t>(0x80u >> (bit % 8));
    return m;
}

IpAddress IpPrefix::last() const noexcept {
    IpAddress l = addr;
    unsigned max = static_cast<unsigned>(addr.size() * 8);
    for (unsigned bit = length; bit < max; ++bit) l.bytes[bit / 8] |= static_cast<std::uint8_t>(0x80u >> (bit % 8));
    return l;
}

std::string IpPrefix::to_string() const { return addr.to_string() + "/" + std::to_string(length); }

}  // namespace ikev2d
