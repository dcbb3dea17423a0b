// What the rest of the daemon needs to know about each IKEv2/ESP algorithm: sizes and
// whether it is supported here. Proposal matching and key derivation read these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "util/iana.hpp"

namespace ikev2d::crypto {

struct EncrInfo {
    iana::EncrId id;
    const char* name;
    bool aead;
    std::size_t block_size;  // padding alignment of the SK body (1 for AEAD stream modes)
    std::size_t iv_size;
    std::size_t icv_size;    // AEAD tag; 0 for CBC (the integrity transform supplies it)
    std::size_t salt_size;   // implicit nonce part taken from the key material (RFC 5282, RFC 7634)
    std::vector<std::uint16_t> key_bits;  // accepted key lengths
    bool key_length_attribute;            // whether the transform carries the Key Length attribute
};

// nullptr if the algorithm is unknown or not implemented.
const EncrInfo* encr_info(iana::EncrId id);
// True when `key_bits` is acceptable for `id`; 0 selects the only size of fixed-size ciphers.
bool encr_key_bits_valid(iana::EncrId id, std::uint16_t key_bits);
// Cipher key bytes in the SK_e / ESP keying material, including the salt; 0 if unsupported.
std::size_t encr_keymat_size(iana::EncrId id, std::uint16_t key_bits);
// ESP uses the same layout as SK (key | salt), see RFC 4106 8.1 and RFC 7634 2.
std::size_t esp_encr_keymat_size(iana::EncrId id, std::uint16_t key_bits);

// Preferred key size (= output size for HMAC PRFs, RFC 7296 2.13); 0 if unsupported.
std::size_t prf_key_size(iana::PrfId id);
std::size_t prf_output_size(iana::PrfId id);
// Key and truncated ICV sizes of an integrity transform (RFC 2404, RFC 4868); 0 if unsupported.
std::size_t integ_key_size(iana::IntegId id);
std::size_t integ_icv_size(iana::IntegId id);

}  // namespace ikev2d::crypto
