// Protection of the body of an SK / SKF payload (RFC 7296 3.14, RFC 5282, RFC 7634,
// RFC 7383), independent of the wire format.
//
//   body = IV | ciphertext | ICV, ciphertext = E(plaintext | padding | pad length)
//
// `associated` is every message byte that precedes the body: IKE header .. SK/SKF
// generic payload header (and SKF's 4 fragment-number bytes).
//   AEAD: AAD = associated, nonce = salt | IV, ICV = the AEAD tag.
//   CBC:  ICV = integ(associated | IV | ciphertext), truncated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "crypto/crypto_error.hpp"
#include "util/bytes.hpp"
#include "util/iana.hpp"

namespace ikev2d::crypto {

class SkCrypter {
public:
    // nullptr if unsupported or an invalid combination: AEAD requires IntegId::NONE, CBC
    // requires a supported integrity transform. key_bits 0 = the fixed size (ChaCha20, 3DES).
    static std::unique_ptr<SkCrypter> create(iana::EncrId encr, std::uint16_t key_bits, iana::IntegId integ);
    virtual ~SkCrypter();

    virtual bool is_aead() const = 0;
    // Bytes of SK_e, including the 4-byte salt for GCM/ChaCha20.
    virtual std::size_t encr_key_size() const = 0;
    // Bytes of SK_a; 0 for AEAD.
    virtual std::size_t integ_key_size() const = 0;
    virtual std::size_t iv_size() const = 0;
    virtual std::size_t icv_size() const = 0;
    virtual std::size_t block_size() const = 0;

    // IV + padded ciphertext (including the pad-length byte) + ICV.
    std::size_t sealed_size(std::size_t plaintext_len) const;
    // The largest plaintext whose sealed body fits in `body_len` bytes (for fragmentation); 0 if none.
    std::size_t max_plaintext(std::size_t body_len) const;

    // Returns IV | ciphertext | ICV with a fresh random IV. Throws CryptoError on wrong key sizes.
    virtual Bytes seal(ByteView encr_key, ByteView integ_key, ByteView associated, ByteView plaintext) const = 0;
    // nullopt: body too short or misaligned, ICV mismatch, bad padding. Throws CryptoError on wrong key sizes.
    virtual std::optional<SecureBytes> open(ByteView encr_key, ByteView integ_key, ByteView associated,
                                            ByteView body) const = 0;
};

}  // namespace ikev2d::crypto
