#include "control/peer_text.hpp"

#include <cstdint>

namespace ikev2d::control {
namespace {

// Length of the valid UTF-8 sequence at the start of s and its code point, or 0
// (RFC 3629 section 4: shortest form only, no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence(std::string_view s, char32_t& cp) {
    const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(s[i]); };
    const std::uint8_t b0 = byte(0);
    std::size_t len = 0;
    char32_t min = 0;
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2, cp = b0 & 0x1F, min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3, cp = b0 & 0x0F, min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (s.size() < len) return 0;
    for (std::size_t i = 1; i < len; ++i) {
        if ((byte(i) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

bool is_control_or_noncharacter(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

void append_escaped(std::string& out, std::string_view bytes) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (char c : bytes) {
        const auto b = static_cast<std::uint8_t>(c);
        out += "\\x";
        out += kHex[b >> 4];
        out += kHex[b & 0x0F];
    }
}

}  // namespace

std::string dbus_safe_text(std::string_view peer_text) {
    std::string out;
    out.reserve(peer_text.size());
    while (!peer_text.empty()) {
        char32_t cp = 0;
        std::size_t len = utf8_sequence(peer_text, cp);
        if (len == 0) {
            append_escaped(out, peer_text.substr(0, 1));
            len = 1;
        } else if (is_control_or_noncharacter(cp)) {
            append_escaped(out, peer_text.substr(0, len));
        } else {
            out.append(peer_text.substr(0, len));
        }
        peer_text.remove_prefix(len);
    }
    return out;
}

}  // namespace ikev2d::control
