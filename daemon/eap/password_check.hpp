// Verifying a password the peer sent in the clear (EAP-GTC, EAP-AnyConnect) against
// whatever the configuration holds for the user: a cleartext password or a crypt(3) hash.
#pragma once

#include <string_view>

#include "eap/credentials.hpp"
#include "util/bytes.hpp"

namespace ikev2d::eap {

enum class PasswordCheck { Match, Mismatch, NoUsableCredential };

// Constant-time comparison of SHA-256 digests for cleartext; crypt_rn (libxcrypt) for hashes, whose output
// is again compared in constant time. Prefers the cleartext password when both exist.
PasswordCheck check_password(const UserCredentials& user, std::string_view offered);

// True when checking a password for this user means crypt(3) (slow on purpose: a hash
// with many rounds takes many milliseconds) or a RADIUS round trip: run off the event loop.
bool password_check_is_slow(const UserCredentials& user);

// A password check a method hands out instead of doing it (EapMethod::set_defer_password_checks):
// the caller runs run() where it likes, then gives `result` back (EapServer::resume).
struct PasswordCheckRequest {
    UserCredentials user;
    SecureBytes offered;  // wiped when the request goes
    PasswordCheck result = PasswordCheck::Mismatch;
    void run() {
        result = check_password(user, std::string_view(reinterpret_cast<const char*>(offered.data()), offered.size()));
    }
};

}  // namespace ikev2d::eap
