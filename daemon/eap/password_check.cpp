#include "eap/password_check.hpp"

#include <crypt.h>
#include <nettle/sha2.h>

#include <cstring>
#include <memory>
#include <string>

#include "util/bytes.hpp"

namespace ikev2d::eap {
namespace {

// struct crypt_data is ~32 KiB: on the heap, wiped on release because it holds the
// password and intermediate hash state.
struct CryptDataWiper {
    void operator()(crypt_data* p) const noexcept {
        secure_wipe(p, sizeof *p);
        delete p;
    }
};

PasswordCheck check_crypt(const std::string& hash, std::string_view offered) {
    // crypt_rn needs NUL-terminated input; a password with an embedded NUL cannot match.
    if (offered.find('\0') != std::string_view::npos) return PasswordCheck::Mismatch;
    SecureBytes phrase(offered.size() + 1);
    std::memcpy(phrase.data(), offered.data(), offered.size());
    std::unique_ptr<crypt_data, CryptDataWiper> data(new crypt_data{});
    const char* out = crypt_rn(reinterpret_cast<const char*>(phrase.data()), hash.c_str(), data.get(),
                               static_cast<int>(sizeof(crypt_data)));
    // crypt_rn returns NULL (or a "*" failure token) for an unsupported or malformed hash.
    if (out == nullptr || out[0] == '*') return PasswordCheck::NoUsableCredential;
    return ct_equal(as_bytes(out), as_bytes(hash)) ? PasswordCheck::Match : PasswordCheck::Mismatch;
}

// Compares digests, so that the time taken reveals neither contents nor lengths.
bool cleartext_equal(std::string_view stored, std::string_view offered) {
    auto digest = [](std::string_view s) {
        sha256_ctx ctx;
        sha256_init(&ctx);
        sha256_update(&ctx, s.size(), reinterpret_cast<const std::uint8_t*>(s.data()));
        SecureBytes out(SHA256_DIGEST_SIZE);
        sha256_digest(&ctx, out.size(), out.data());
        secure_wipe(&ctx, sizeof ctx);
        return out;
    };
    return ct_equal(digest(stored).view(), digest(offered).view());
}

}  // namespace

bool password_check_is_slow(const UserCredentials& user) {
    if (user.checked_by_radius) return true;
    return !user.cleartext_password && user.crypt_hash && !user.crypt_hash->empty();
}

PasswordCheck check_password(const UserCredentials& user, std::string_view offered) {
    if (user.checked_by_radius) return PasswordCheck::NoUsableCredential;  // the caller asks the server
    if (user.cleartext_password)
        return cleartext_equal(*user.cleartext_password, offered) ? PasswordCheck::Match : PasswordCheck::Mismatch;
    if (user.crypt_hash && !user.crypt_hash->empty()) return check_crypt(*user.crypt_hash, offered);
    return PasswordCheck::NoUsableCredential;
}

}  // namespace ikev2d::eap
