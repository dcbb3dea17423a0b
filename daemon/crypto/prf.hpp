// The IKE pseudo-random function (HMAC-SHA1 / SHA2-256/384/512) and prf+ (RFC 7296 2.13).
#pragma once

#include <cstddef>
#include <memory>

#include "crypto/crypto_error.hpp"
#include "util/bytes.hpp"
#include "util/iana.hpp"

namespace ikev2d::crypto {

class Prf {
public:
    // nullptr if the PRF is not supported.
    static std::unique_ptr<Prf> create(iana::PrfId id);

    iana::PrfId id() const noexcept { return id_; }
    std::size_t output_size() const noexcept { return output_size_; }
    // Preferred key size (RFC 7296 2.13: the output size for HMAC PRFs).
    std::size_t key_size() const noexcept { return output_size_; }

    SecureBytes compute(ByteView key, ByteView data) const;
    // prf+(K, S) = T1 | T2 | ... with Tn = prf(K, Tn-1 | S | n), truncated to `length`.
    // Throws CryptoError beyond 255 blocks (the counter is one octet).
    SecureBytes plus(ByteView key, ByteView seed, std::size_t length) const;

private:
    Prf(iana::PrfId id, std::size_t output_size) : id_(id), output_size_(output_size) {}

    iana::PrfId id_;
    std::size_t output_size_;
};

}  // namespace ikev2d::crypto
