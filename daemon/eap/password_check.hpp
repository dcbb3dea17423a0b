// Verifying a password the peer sent in the clear (EAP-GTC, EAP-AnyConnect) against
// whatever the configuration holds for the user: a cleartext password or a crypt(3) hash.
#pragma once

#include <string_view>

#include "eap/credentials.hpp"

namespace ikev2d::eap {

enum class PasswordCheck { Match, Mismatch, NoUsableCredential };

// Constant-time comparison of SHA-256 digests for cleartext; crypt_rn (libxcrypt) for hashes, whose output
// is again compared in constant time. Prefers the cleartext password when both exist.
PasswordCheck check_password(const UserCredentials& user, std::string_view offered);

}  // namespace ikev2d::eap
