#include "crypto/algorithms.hpp"

#include <algorithm>
#include <array>

#include "crypto/gnutls_algorithms.hpp"

namespace ikev2d::crypto {

using iana::EncrId;
using iana::IntegId;
using iana::PrfId;

namespace {

const std::array<EncrInfo, 4>& encr_table() {
    static const std::array<EncrInfo, 4> table{{
        {EncrId::AES_CBC, "AES-CBC", false, 16, 16, 0, 0, {128, 192, 256}, true},
        // RFC 5282: 8-byte explicit IV, 16-byte ICV, 4-byte salt after the key.
        {EncrId::AES_GCM_16, "AES-GCM-16", true, 1, 8, 16, 4, {128, 192, 256}, true},
        // RFC 7634: 256-bit key only, no Key Length attribute.
        {EncrId::CHACHA20_POLY1305, "CHACHA20-POLY1305", true, 1, 8, 16, 4, {256}, false},
        {EncrId::TRIPLE_DES, "3DES-CBC", false, 8, 8, 0, 0, {192}, false},
    }};
    return table;
}

}  // namespace

const EncrInfo* encr_info(EncrId id) {
    for (const auto& info : encr_table())
        if (info.id == id) return &info;
    return nullptr;
}

bool encr_key_bits_valid(EncrId id, std::uint16_t key_bits) {
    const EncrInfo* info = encr_info(id);
    if (!info) return false;
    if (key_bits == 0) return !info->key_length_attribute;  // fixed-size ciphers need no attribute
    return std::find(info->key_bits.begin(), info->key_bits.end(), key_bits) != info->key_bits.end();
}

std::size_t encr_keymat_size(EncrId id, std::uint16_t key_bits) {
    if (!encr_key_bits_valid(id, key_bits)) return 0;
    const EncrInfo* info = encr_info(id);
    std::uint16_t bits = key_bits != 0 ? key_bits : info->key_bits.front();
    return bits / 8 + info->salt_size;
}

std::size_t esp_encr_keymat_size(EncrId id, std::uint16_t key_bits) { return encr_keymat_size(id, key_bits); }

std::size_t prf_output_size(PrfId id) {
    gnutls_mac_algorithm_t mac = detail::prf_mac(id);
    return mac == GNUTLS_MAC_UNKNOWN ? 0 : gnutls_hmac_get_len(mac);
}

std::size_t prf_key_size(PrfId id) { return prf_output_size(id); }

std::size_t integ_key_size(IntegId id) {
    gnutls_mac_algorithm_t mac = detail::integ_mac(id);
    return mac == GNUTLS_MAC_UNKNOWN ? 0 : gnutls_hmac_get_len(mac);  // RFC 4868 2.1.1: key = output size
}

std::size_t integ_icv_size(IntegId id) {
    switch (id) {
    case IntegId::HMAC_SHA1_96: return 12;
    case IntegId::HMAC_SHA2_256_128: return 16;
    case IntegId::HMAC_SHA2_384_192: return 24;
    case IntegId::HMAC_SHA2_512_256: return 32;
    default: return 0;
    }
}

namespace detail {

gnutls_mac_algorithm_t prf_mac(PrfId id) {
    switch (id) {
    case PrfId::HMAC_SHA1: return GNUTLS_MAC_SHA1;
    case PrfId::HMAC_SHA2_256: return GNUTLS_MAC_SHA256;
    case PrfId::HMAC_SHA2_384: return GNUTLS_MAC_SHA384;
    case PrfId::HMAC_SHA2_512: return GNUTLS_MAC_SHA512;
    default: return GNUTLS_MAC_UNKNOWN;
    }
}

gnutls_mac_algorithm_t integ_mac(IntegId id) {
    switch (id) {
    case IntegId::HMAC_SHA1_96: return GNUTLS_MAC_SHA1;
    case IntegId::HMAC_SHA2_256_128: return GNUTLS_MAC_SHA256;
    case IntegId::HMAC_SHA2_384_192: return GNUTLS_MAC_SHA384;
    case IntegId::HMAC_SHA2_512_256: return GNUTLS_MAC_SHA512;
    default: return GNUTLS_MAC_UNKNOWN;
    }
}

gnutls_cipher_algorithm_t encr_cipher(EncrId id, std::uint16_t key_bits) {
    if (!encr_key_bits_valid(id, key_bits)) return GNUTLS_CIPHER_UNKNOWN;
    switch (id) {
    case EncrId::AES_CBC:
        return key_bits == 128 ? GNUTLS_CIPHER_AES_128_CBC
             : key_bits == 192 ? GNUTLS_CIPHER_AES_192_CBC
                               : GNUTLS_CIPHER_AES_256_CBC;
    case EncrId::AES_GCM_16:
        return key_bits == 128 ? GNUTLS_CIPHER_AES_128_GCM
             : key_bits == 192 ? GNUTLS_CIPHER_AES_192_GCM
                               : GNUTLS_CIPHER_AES_256_GCM;
    case EncrId::CHACHA20_POLY1305: return GNUTLS_CIPHER_CHACHA20_POLY1305;
    case EncrId::TRIPLE_DES: return GNUTLS_CIPHER_3DES_CBC;
    default: return GNUTLS_CIPHER_UNKNOWN;
    }
}

}  // namespace detail

}  // namespace ikev2d::crypto
