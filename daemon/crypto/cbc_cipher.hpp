// Raw CBC encryption/decryption (AES-CBC, 3DES-CBC) over GnuTLS, no padding: the
// caller supplies whole blocks. Used by SkCrypter; exposed for known-answer tests.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/crypto_error.hpp"
#include "util/bytes.hpp"
#include "util/iana.hpp"

namespace ikev2d::crypto {

// Throw CryptoError on unsupported algorithm, wrong key/IV size or a partial block.
Bytes cbc_encrypt(iana::EncrId id, ByteView key, ByteView iv, ByteView plaintext);
SecureBytes cbc_decrypt(iana::EncrId id, ByteView key, ByteView iv, ByteView ciphertext);

}  // namespace ikev2d::crypto
