// Helpers for assembling IKEv2 bytes by hand in tests, independently of the builder
// under test: every length is computed here from the hex given.
#pragma once

#include <string>

#include "util/bytes.hpp"

namespace ikev2d::wire::test {

inline std::string hex16(std::size_t v) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (int shift = 12; shift >= 0; shift -= 4) s += digits[(v >> shift) & 0xf];
    return s;
}
inline std::string hex8(unsigned v) { return hex16(v).substr(2); }
inline std::string repeat(const std::string& hex_byte, std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += hex_byte;
    return s;
}
inline std::size_t hex_len(const std::string& hex) { return from_hex(hex).size(); }

// Generic payload: next(1) | flags(1) | length(2) | body. `length` overrides the real one.
inline std::string payload(unsigned next, const std::string& body, bool critical = false, long length = -1) {
    const std::size_t len = length >= 0 ? static_cast<std::size_t>(length) : 4 + hex_len(body);
    return hex8(next) + (critical ? "80" : "00") + hex16(len) + body;
}
// Transform substructure (RFC 7296 3.3.2).
inline std::string transform(unsigned last, unsigned type, unsigned id, const std::string& attrs = "",
                             long length = -1) {
    const std::size_t len = length >= 0 ? static_cast<std::size_t>(length) : 8 + hex_len(attrs);
    return hex8(last) + "00" + hex16(len) + hex8(type) + "00" + hex16(id) + attrs;
}
// Proposal substructure (RFC 7296 3.3.1).
inline std::string proposal(unsigned last, unsigned number, unsigned protocol, const std::string& spi,
                            unsigned transform_count, const std::string& transforms, long length = -1) {
    const std::size_t len = length >= 0 ? static_cast<std::size_t>(length) : 8 + hex_len(spi) + hex_len(transforms);
    return hex8(last) + "00" + hex16(len) + hex8(number) + hex8(protocol) + hex8(static_cast<unsigned>(hex_len(spi))) +
           hex8(transform_count) + spi + transforms;
}
// IKE header (RFC 7296 3.1) in front of `payloads`; length_delta skews the length field.
inline Bytes packet(unsigned first, const std::string& payloads, long length_delta = 0, unsigned version = 0x20) {
    const std::size_t len = 28 + hex_len(payloads) + static_cast<std::size_t>(length_delta);
    std::string hex = "0102030405060708" "0000000000000000" + hex8(first) + hex8(version) + "22" "08" "00000000";
    hex += hex16(len >> 16) + hex16(len & 0xffff);
    return from_hex(hex + payloads);
}

}  // namespace ikev2d::wire::test
