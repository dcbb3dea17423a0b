// Integrity transforms of IKE SK payloads: truncated HMACs (RFC 2404, RFC 4868).
#pragma once

#include <cstddef>
#include <memory>

#include "crypto/crypto_error.hpp"
#include "util/bytes.hpp"
#include "util/iana.hpp"

namespace ikev2d::crypto {

class Integrity {
public:
    // nullptr if the transform is not supported (including IntegId::NONE).
    static std::unique_ptr<Integrity> create(iana::IntegId id);

    iana::IntegId id() const noexcept { return id_; }
    std::size_t key_size() const noexcept { return key_size_; }
    std::size_t icv_size() const noexcept { return icv_size_; }

    // The truncated ICV. Throws CryptoError if the key has the wrong size.
    Bytes compute(ByteView key, ByteView data) const;
    // Constant-time comparison; false for a wrong-sized ICV or key.
    bool verify(ByteView key, ByteView data, ByteView icv) const;

private:
    Integrity(iana::IntegId id, int mac, std::size_t key_size, std::size_t icv_size)
        : id_(id), mac_(mac), key_size_(key_size), icv_size_(icv_size) {}

    iana::IntegId id_;
    int mac_;  // gnutls_mac_algorithm_t
    std::size_t key_size_;
    std::size_t icv_size_;
};

}  // namespace ikev2d::crypto
