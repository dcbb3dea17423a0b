#include "crypto/aead_cipher.hpp"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include <string>

#include "crypto/algorithms.hpp"
#include "crypto/gnutls_algorithms.hpp"

namespace ikev2d::crypto {

namespace {

constexpr std::size_t kNonceSize = 12;  // salt (4) | IV (8), RFC 5282 / RFC 7634

class AeadHandle {
public:
    AeadHandle(iana::EncrId id, ByteView key, ByteView nonce) {
        const EncrInfo* info = encr_info(id);
        if (!info || !info->aead) throw CryptoError("aead: not an AEAD cipher");
        const auto bits = static_cast<std::uint16_t>(key.size() * 8);
        gnutls_cipher_algorithm_t algo = detail::encr_cipher(id, bits);
        if (algo == GNUTLS_CIPHER_UNKNOWN) throw CryptoError("aead: unsupported key size");
        if (nonce.size() != kNonceSize) throw CryptoError("aead: wrong nonce size");
        tag_size_ = info->icv_size;
        gnutls_datum_t k{const_cast<unsigned char*>(key.data()), static_cast<unsigned>(key.size())};
        int rc = gnutls_aead_cipher_init(&handle_, algo, &k);
        if (rc < 0) throw CryptoError(std::string("aead: gnutls_aead_cipher_init failed: ") + gnutls_strerror(rc));
    }
    ~AeadHandle() { gnutls_aead_cipher_deinit(handle_); }
    AeadHandle(const AeadHandle&) = delete;
    AeadHandle& operator=(const AeadHandle&) = delete;

    gnutls_aead_cipher_hd_t get() const noexcept { return handle_; }
    std::size_t tag_size() const noexcept { return tag_size_; }

private:
    gnutls_aead_cipher_hd_t handle_ = nullptr;
    std::size_t tag_size_ = 0;
};

}  // namespace

Bytes aead_encrypt(iana::EncrId id, ByteView key, ByteView nonce, ByteView associated, ByteView plaintext) {
    AeadHandle aead(id, key, nonce);
    Bytes out(plaintext.size() + aead.tag_size());
    std::size_t out_len = out.size();
    int rc = gnutls_aead_cipher_encrypt(aead.get(), nonce.data(), nonce.size(), associated.data(), associated.size(),
                                        aead.tag_size(), plaintext.data(), plaintext.size(), out.data(), &out_len);
    if (rc < 0) throw CryptoError(std::string("aead: encrypt failed: ") + gnutls_strerror(rc));
    if (out_len != out.size()) throw CryptoError("aead: unexpected ciphertext length");
    return out;
}

std::optional<SecureBytes> aead_decrypt(iana::EncrId id, ByteView key, ByteView nonce, ByteView associated,
                                        ByteView sealed) {
    AeadHandle aead(id, key, nonce);
    if (sealed.size() < aead.tag_size()) return std::nullopt;
    // GnuTLS wants room for at least the ciphertext length; keep one spare byte so an
    // empty plaintext still has a valid buffer pointer.
    SecureBytes out(sealed.size() - aead.tag_size() + 1);
    std::size_t out_len = out.size();
    int rc = gnutls_aead_cipher_decrypt(aead.get(), nonce.data(), nonce.size(), associated.data(), associated.size(),
                                        aead.tag_size(), sealed.data(), sealed.size(), out.data(), &out_len);
    if (rc == GNUTLS_E_DECRYPTION_FAILED) return std::nullopt;  // tag mismatch: peer data, not a bug
    if (rc < 0) throw CryptoError(std::string("aead: decrypt failed: ") + gnutls_strerror(rc));
    out.resize(out_len);
    return out;
}

}  // namespace ikev2d::crypto
