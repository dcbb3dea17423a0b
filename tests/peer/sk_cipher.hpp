// The Encrypted payload's body (RFC 7296 3.14): AES-CBC-256 with HMAC-SHA2-256-128, or
// AES-GCM with a 16-octet ICV and a 256-bit key (RFC 5282), over nettle.
#pragma once

#include <optional>

#include "bytes.hpp"

namespace peer {

enum class SkCipher { AesCbc256HmacSha256, AesGcm16_256 };

std::size_t sk_encr_key_size(SkCipher c);   // GCM: 32-byte key + 4-byte salt
std::size_t sk_integ_key_size(SkCipher c);  // 0 for GCM
std::size_t sk_iv_size(SkCipher c);
std::size_t sk_icv_size(SkCipher c);
std::size_t sk_sealed_size(SkCipher c, std::size_t plaintext_size);

// IV | ciphertext | ICV for `plaintext` (padding and Pad Length added here). `preceding`
// is every byte of the message before the IV (IKE header and SK/SKF payload header):
// the integrity check covers it (CBC) or it is GCM's associated data.
Bytes sk_seal(SkCipher c, ByteView encr_key, ByteView integ_key, ByteView preceding, ByteView plaintext);
// The plaintext without padding, or nullopt when the ICV or padding is wrong.
std::optional<Bytes> sk_open(SkCipher c, ByteView encr_key, ByteView integ_key, ByteView preceding, ByteView body);

}  // namespace peer
