// Randomness from GnuTLS's DRBG. Keys use the KEY level, everything else RANDOM/NONCE.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/crypto_error.hpp"
#include "util/bytes.hpp"

namespace ikev2d::crypto {

// Unpredictable bytes (IVs, SPIs, cookies secrets). Throws CryptoError if the DRBG fails.
void random_bytes(std::span<std::uint8_t> out);
Bytes random_bytes(std::size_t n);
// Bytes that become long-term or session key material (private DH values).
void random_key_bytes(std::span<std::uint8_t> out);
// Nonces that must be unique and unpredictable but are sent in the clear (Ni/Nr).
Bytes random_nonce(std::size_t n);
// A non-zero IKE SPI.
std::uint64_t random_spi();

}  // namespace ikev2d::crypto
