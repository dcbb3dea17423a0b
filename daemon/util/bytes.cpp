#include "util/bytes.hpp"

#include <algorithm>
#include <stdexcept>
#include <string.h>

namespace ikev2d {

void secure_wipe(void* data, std::size_t size) noexcept {
    if (data != nullptr && size != 0) explicit_bzero(data, size);
}

bool ct_equal(ByteView a, ByteView b) noexcept {
    if (a.size() != b.size()) return false;
    volatile std::uint8_t diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff = diff | static_cast<std::uint8_t>(a[i] ^ b[i]);
    return diff == 0;
}

std::string to_hex(ByteView data) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(data.size() * 2);
    for (std::uint8_t b : data) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0x0f]);
    }
    return out;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

Bytes from_hex(std::string_view hex) {
    Bytes out;
    out.reserve(hex.size() / 2);
    int high = -1;
    for (char c : hex) {
        if (c == ' ' || c == ':' || c == '\n' || c == '\t') continue;
        int v = hex_value(c);
        if (v < 0) throw std::invalid_argument("from_hex: invalid character in hex string");
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(high << 4 | v));
            high = -1;
        }
    }
    if (high >= 0) throw std::invalid_argument("from_hex: odd number of hex digits");
    return out;
}

void SecureBytes::resize(std::size_t size) {
    std::vector<std::uint8_t> fresh(size, 0);
    std::copy_n(data_.begin(), std::min(size, data_.size()), fresh.begin());
    wipe();
    data_ = std::move(fresh);
}

void SecureBytes::append(ByteView more) {
    std::vector<std::uint8_t> fresh;
    fresh.reserve(data_.size() + more.size());
    fresh.insert(fresh.end(), data_.begin(), data_.end());
    fresh.insert(fresh.end(), more.begin(), more.end());
    wipe();
    data_ = std::move(fresh);
}

}  // namespace ikev2d
