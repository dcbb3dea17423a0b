// IKEv2 key derivation (RFC 7296 2.14, 2.17, 2.18).
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/prf.hpp"
#include "util/bytes.hpp"

namespace ikev2d::crypto {

struct IkeSaKeys {
    SecureBytes sk_d, sk_ai, sk_ar, sk_ei, sk_er, sk_pi, sk_pr;
};

// SKEYSEED = prf(Ni | Nr, g^ir)
SecureBytes ike_skeyseed(const Prf& prf, ByteView ni, ByteView nr, ByteView shared_secret);

// {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr).
// SK_d/SK_pi/SK_pr have the PRF's key size; integ_key_len is 0 for AEAD ciphers, and
// encr_key_len includes the salt of GCM/ChaCha20.
IkeSaKeys ike_derive_keys(const Prf& prf, ByteView skeyseed, ByteView ni, ByteView nr, std::uint64_t spi_i,
                          std::uint64_t spi_r, std::size_t integ_key_len, std::size_t encr_key_len);

// KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr); pass an empty shared secret without PFS.
SecureBytes child_keymat(const Prf& prf, ByteView sk_d, ByteView shared_secret_or_empty, ByteView ni, ByteView nr,
                         std::size_t length);

// SKEYSEED of a rekeyed IKE SA = prf(SK_d (old), g^ir (new) | Ni | Nr), with the old SA's PRF.
SecureBytes rekey_skeyseed(const Prf& old_prf, ByteView old_sk_d, ByteView shared, ByteView ni, ByteView nr);

}  // namespace ikev2d::crypto
