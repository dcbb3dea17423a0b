// Vendor ID payloads we recognise and send (shared/protocol/anyconnect-ikev2.md).
#pragma once

#include "util/bytes.hpp"

namespace ikev2d::ike::vendor {

inline constexpr std::string_view kCiscoDeleteReason = "CISCO-DELETE-REASON";
inline constexpr std::string_view kCiscoCopyright = "CISCO(COPYRIGHT)&Copyright (c) 2009 Cisco Systems, Inc.";
inline constexpr std::string_view kCiscoAnyConnectEap = "CISCO-ANYCONNECT-EAP";
inline constexpr std::string_view kCiscoGreMode = "CISCO-GRE-MODE";
// MD5("FRAGMENTATION"): Cisco's proprietary fragmentation
inline constexpr std::uint8_t kCiscoFragmentation[16] = {0x40, 0x48, 0xb7, 0xd5, 0x6e, 0xbc, 0xe8, 0x85,
                                                         0x25, 0xe7, 0xde, 0x7f, 0x00, 0xd6, 0xc2, 0xd3};

inline bool equals(ByteView vid, std::string_view text) {
    return vid.size() == text.size() && std::equal(vid.begin(), vid.end(), text.begin(),
                                                   [](std::uint8_t a, char b) { return a == static_cast<std::uint8_t>(b); });
}
inline bool is_cisco_fragmentation(ByteView vid) {
    return vid.size() == sizeof kCiscoFragmentation && std::equal(vid.begin(), vid.end(), kCiscoFragmentation);
}

}  // namespace ikev2d::ike::vendor
