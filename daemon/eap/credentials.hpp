// What the EAP methods need to know about a user. The daemon fills it from its
// configuration; each method uses whichever form of the secret it can verify.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ikev2d::eap {

struct UserCredentials {
    std::string username;
    std::optional<std::string> cleartext_password;    // needed by EAP-MD5 (and usable by all)
    std::optional<std::array<std::uint8_t, 16>> nt_hash;  // MD4(UTF-16LE(password)): enough for MSCHAPv2
    std::optional<std::string> crypt_hash;             // crypt(3) hash ("$6$..." / "$y$..."): enough for GTC
    // No secret here: a password the peer sends in the clear (AnyConnect, GTC) goes to the
    // RADIUS server as PAP (authentication = "radius"); the check is always deferred.
    bool checked_by_radius = false;
};

using CredentialLookup = std::function<std::optional<UserCredentials>(std::string_view username)>;

}  // namespace ikev2d::eap
