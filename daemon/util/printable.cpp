#include "util/printable.hpp"

#include <algorithm>

namespace ikev2d {
namespace {
constexpr bool printable_byte(std::uint8_t c) noexcept { return c >= 0x20 && c < 0x7f; }
}  // namespace

std::string printable(ByteView raw, std::size_t max_chars) {
    const std::size_t n = std::min(raw.size(), max_chars);
    std::string out;
    out.reserve(n + 3);
    for (std::size_t i = 0; i < n; ++i) out.push_back(printable_byte(raw[i]) ? static_cast<char>(raw[i]) : '?');
    if (n < raw.size()) out += "...";
    return out;
}

bool is_printable(ByteView raw) noexcept { return std::all_of(raw.begin(), raw.end(), printable_byte); }

}  // namespace ikev2d
