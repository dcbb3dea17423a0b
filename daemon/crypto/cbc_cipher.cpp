#include "crypto/cbc_cipher.hpp"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include <string>

#include "crypto/algorithms.hpp"
#include "crypto/gnutls_algorithms.hpp"

namespace ikev2d::crypto {

namespace {

// Owns a gnutls_cipher_hd_t (which holds the expanded key) for one operation.
class CipherHandle {
public:
    CipherHandle(iana::EncrId id, ByteView key, ByteView iv, std::size_t data_len) {
        const EncrInfo* info = encr_info(id);
        if (!info || info->aead) throw CryptoError("cbc: not a CBC cipher");
        const auto bits = static_cast<std::uint16_t>(key.size() * 8);
        gnutls_cipher_algorithm_t algo = detail::encr_cipher(id, bits);
        if (algo == GNUTLS_CIPHER_UNKNOWN) throw CryptoError("cbc: unsupported key size");
        if (iv.size() != info->iv_size) throw CryptoError("cbc: wrong IV size");
        if (data_len % info->block_size != 0) throw CryptoError("cbc: data is not a whole number of blocks");
        gnutls_datum_t k{const_cast<unsigned char*>(key.data()), static_cast<unsigned>(key.size())};
        gnutls_datum_t v{const_cast<unsigned char*>(iv.data()), static_cast<unsigned>(iv.size())};
        int rc = gnutls_cipher_init(&handle_, algo, &k, &v);
        if (rc < 0) throw CryptoError(std::string("cbc: gnutls_cipher_init failed: ") + gnutls_strerror(rc));
    }
    ~CipherHandle() { gnutls_cipher_deinit(handle_); }
    CipherHandle(const CipherHandle&) = delete;
    CipherHandle& operator=(const CipherHandle&) = delete;

    gnutls_cipher_hd_t get() const noexcept { return handle_; }

private:
    gnutls_cipher_hd_t handle_ = nullptr;
};

void check(int rc, const char* what) {
    if (rc < 0) throw CryptoError(std::string("cbc: ") + what + " failed: " + gnutls_strerror(rc));
}

}  // namespace

Bytes cbc_encrypt(iana::EncrId id, ByteView key, ByteView iv, ByteView plaintext) {
    CipherHandle cipher(id, key, iv, plaintext.size());
    Bytes out(plaintext.size());
    if (!out.empty())
        check(gnutls_cipher_encrypt2(cipher.get(), plaintext.data(), plaintext.size(), out.data(), out.size()),
              "encrypt");
    return out;
}

SecureBytes cbc_decrypt(iana::EncrId id, ByteView key, ByteView iv, ByteView ciphertext) {
    CipherHandle cipher(id, key, iv, ciphertext.size());
    SecureBytes out(ciphertext.size());
    if (!out.empty())
        check(gnutls_cipher_decrypt2(cipher.get(), ciphertext.data(), ciphertext.size(), out.data(), out.size()),
              "decrypt");
    return out;
}

}  // namespace ikev2d::crypto
