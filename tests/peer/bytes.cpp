#include "bytes.hpp"

#include <sys/random.h>

#include <stdexcept>

namespace peer {

Bytes from_hex(std::string_view hex) {
    auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        throw std::invalid_argument("bad hex digit");
    };
    if (hex.size() % 2) throw std::invalid_argument("odd hex length");
    Bytes out;
    for (std::size_t i = 0; i < hex.size(); i += 2)
        out.push_back(static_cast<std::uint8_t>(digit(hex[i]) << 4 | digit(hex[i + 1])));
    return out;
}

std::string to_hex(ByteView data) {
    static const char* const digits = "0123456789abcdef";
    std::string s;
    for (std::uint8_t b : data) {
        s += digits[b >> 4];
        s += digits[b & 15];
    }
    return s;
}

Bytes random_bytes(std::size_t n) {
    Bytes out(n);
    std::size_t done = 0;
    while (done < n) {
        ssize_t got = getrandom(out.data() + done, n - done, 0);
        if (got < 0) throw std::runtime_error("getrandom failed");
        done += static_cast<std::size_t>(got);
    }
    return out;
}

void wipe(Bytes& b) {
    volatile std::uint8_t* p = b.data();
    for (std::size_t i = 0; i < b.size(); ++i) p[i] = 0;
    b.clear();
}

}  // namespace peer
