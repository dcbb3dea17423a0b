// IANA transform ids (RFC 7296 registries) -> Linux crypto API names as XFRM expects
// them (the names `ip xfrm state` prints; see also strongSwan's kernel_netlink table).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "util/iana.hpp"

namespace ikev2d::kernel {

struct KernelCipher {
    std::string_view name;        // e.g. "cbc(aes)", "rfc4106(gcm(aes))"
    bool aead = false;            // goes in XFRMA_ALG_AEAD (no separate integrity)
    std::uint16_t icv_bits = 0;   // AEAD tag length
    std::size_t salt_bytes = 0;   // trailing salt/nonce inside the key (RFC 4106/4309/3686/7634)
    // AES takes 128/192/256 (the Key Length attribute); the others have one key size,
    // and IKEv2 sends no Key Length for them (RFC 7634 2, RFC 7296 3.3.5), so 0 = that size.
    bool aes_key_length = false;
    std::uint16_t fixed_key_bits = 0;
};

struct KernelIntegrity {
    std::string_view name;         // e.g. "hmac(sha256)"
    std::uint16_t trunc_bits = 0;  // ICV length on the wire
    std::uint16_t key_bits = 0;    // RFC 4868 / RFC 2404 key size
};

// nullopt for an id the kernel path does not support (e.g. DES, which is not offered).
std::optional<KernelCipher> kernel_cipher(iana::EncrId id) noexcept;
// nullopt for NONE and unsupported ids.
std::optional<KernelIntegrity> kernel_integrity(iana::IntegId id) noexcept;

}  // namespace ikev2d::kernel
