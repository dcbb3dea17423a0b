// Byte strings for the independent test initiator (tests/peer). Deliberately shares
// nothing with the daemon (no daemon/util, daemon/wire, daemon/crypto): a bug there must
// not be mirrored here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace peer {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline void put8(Bytes& b, std::uint8_t v) { b.push_back(v); }
inline void put16(Bytes& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}
inline void put32(Bytes& b, std::uint32_t v) {
    put16(b, static_cast<std::uint16_t>(v >> 16));
    put16(b, static_cast<std::uint16_t>(v));
}
inline void put64(Bytes& b, std::uint64_t v) {
    put32(b, static_cast<std::uint32_t>(v >> 32));
    put32(b, static_cast<std::uint32_t>(v));
}
inline void append(Bytes& b, ByteView v) { b.insert(b.end(), v.begin(), v.end()); }
inline std::uint16_t get16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }
inline std::uint32_t get32(const std::uint8_t* p) {
    return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
           static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}
inline std::uint64_t get64(const std::uint8_t* p) { return static_cast<std::uint64_t>(get32(p)) << 32 | get32(p + 4); }
inline Bytes concat(std::initializer_list<ByteView> parts) {
    Bytes out;
    for (ByteView p : parts) append(out, p);
    return out;
}
inline Bytes as_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes from_hex(std::string_view hex);  // throws std::invalid_argument on a bad digit
std::string to_hex(ByteView data);
Bytes random_bytes(std::size_t n);     // getrandom(2)
// Overwrites key material before it is freed.
void wipe(Bytes& b);

}  // namespace peer
