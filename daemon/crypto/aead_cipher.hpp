// Raw AEAD encryption (AES-GCM with a 16-byte tag, ChaCha20-Poly1305) over GnuTLS.
// Used by SkCrypter; exposed for known-answer tests.
#pragma once

#include <optional>

#include "crypto/crypto_error.hpp"
#include "util/bytes.hpp"
#include "util/iana.hpp"

namespace ikev2d::crypto {

// `key` is the cipher key alone (no salt); `nonce` the full 12-byte nonce.
// Returns ciphertext | tag. Throws CryptoError on unsupported algorithm or sizes.
Bytes aead_encrypt(iana::EncrId id, ByteView key, ByteView nonce, ByteView associated, ByteView plaintext);
// `sealed` is ciphertext | tag; nullopt if the tag does not verify (or is truncated).
std::optional<SecureBytes> aead_decrypt(iana::EncrId id, ByteView key, ByteView nonce, ByteView associated,
                                        ByteView sealed);

}  // namespace ikev2d::crypto
