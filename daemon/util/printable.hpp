// Text a peer chose (IDs, EAP identities, version strings) on its way into logs, status
// output and D-Bus: printable ASCII only, so that it cannot forge log lines or smuggle
// terminal escapes. One rule for every place that shows such text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "util/bytes.hpp"

namespace ikev2d {

// Bytes outside 0x20..0x7e become '?'; past max_chars the text is cut and "..." appended.
std::string printable(ByteView raw, std::size_t max_chars = std::string::npos);
inline std::string printable(std::string_view raw, std::size_t max_chars = std::string::npos) {
    return printable(as_bytes(raw), max_chars);
}

// True if every byte is printable ASCII (what printable() would leave unchanged).
bool is_printable(ByteView raw) noexcept;

}  // namespace ikev2d
