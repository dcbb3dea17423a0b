// The NT password hash for EAP-MSCHAPv2 (RFC 2759 section 8.3 NtPasswordHash):
// MD4 over the password in UTF-16LE. Used by the config loader and by `ikectl` to let an
// administrator store the hash instead of the password.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ikev2d::config {

using NtHash = std::array<std::uint8_t, 16>;

// password is UTF-8; throws std::invalid_argument when it is not valid UTF-8.
NtHash nt_hash(std::string_view password);
// Lower-case hex of nt_hash(password), 32 characters.
std::string nt_hash_hex(std::string_view password);

}  // namespace ikev2d::config
