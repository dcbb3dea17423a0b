// prf, prf+ and the IKE SA key derivation of RFC 7296 2.13-2.14, over nettle's HMAC
// directly (not the daemon's crypto layer).
#pragma once

#include "bytes.hpp"

namespace peer {

enum class PrfAlg { HmacSha1, HmacSha256 };

std::size_t prf_size(PrfAlg alg);
Bytes prf(PrfAlg alg, ByteView key, ByteView data);
// prf+ (K, S) = T1 | T2 | ..., Tn = prf(K, Tn-1 | S | n); the first `length` bytes.
Bytes prf_plus(PrfAlg alg, ByteView key, ByteView seed, std::size_t length);

// SKEYSEED = prf(Ni | Nr, g^ir).
Bytes skeyseed(PrfAlg alg, ByteView ni, ByteView nr, ByteView shared_secret);

struct IkeKeys {
    Bytes d, ai, ar, ei, er, pi, pr;
    IkeKeys() = default;
    IkeKeys(const IkeKeys&) = default;
    IkeKeys(IkeKeys&&) = default;
    IkeKeys& operator=(const IkeKeys&) = default;
    IkeKeys& operator=(IkeKeys&&) = default;
    ~IkeKeys();  // wipes the keys
};
// {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr).
IkeKeys derive_ike_keys(PrfAlg alg, ByteView skeyseed, ByteView ni, ByteView nr, std::uint64_t spi_i,
                        std::uint64_t spi_r, std::size_t integ_key_len, std::size_t encr_key_len);

}  // namespace peer
