// MS-MPPE-Send-Key / MS-MPPE-Recv-Key (RFC 2548 2.4.2-2.4.3): the keys a RADIUS server
// returns after EAP, hidden with the shared secret and the request's authenticator.
#pragma once

#include <optional>
#include <string_view>

#include "util/bytes.hpp"

namespace ikev2d::aaa {

// `value` is the attribute's value: Salt(2) | encrypted String. Returns the key (the
// String's Key-Length bytes), or nullopt if the value is malformed: salt without its high
// bit, a String not a multiple of 16, or a Key-Length beyond the decrypted data.
std::optional<SecureBytes> decrypt_mppe_key(ByteView value, std::string_view secret, ByteView request_authenticator);

}  // namespace ikev2d::aaa
