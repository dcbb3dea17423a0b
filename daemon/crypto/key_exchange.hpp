// Diffie-Hellman key exchange of the KE payload: one ephemeral key pair per object.
// MODP (RFC 2409, RFC 3526), ECP (RFC 5903), Curve25519/Curve448 (RFC 8031).
#pragma once

#include <cstddef>
#include <memory>

#include "crypto/crypto_error.hpp"
#include "util/bytes.hpp"
#include "util/iana.hpp"

namespace ikev2d::crypto {

class KeyExchange {
public:
    static bool supported(iana::DhGroup g);
    // A fresh random private key; nullptr if the group is not supported.
    static std::unique_ptr<KeyExchange> create(iana::DhGroup g);
    // A given private key, for known-answer tests: MODP/ECP a big-endian integer, X25519/X448
    // the RFC 7748 scalar bytes. nullptr if unsupported; CryptoError if the key is out of range.
    static std::unique_ptr<KeyExchange> create_with_private(iana::DhGroup g, ByteView priv);
    // Expected length of the KE payload's key exchange data; 0 if unsupported.
    static std::size_t public_size(iana::DhGroup g);

    virtual ~KeyExchange();
    KeyExchange(const KeyExchange&) = delete;
    KeyExchange& operator=(const KeyExchange&) = delete;

    virtual iana::DhGroup group() const = 0;
    // As carried in the KE payload: MODP padded to the prime's length, ECP x | y, X25519/X448 u.
    virtual ByteView public_value() const = 0;
    // Throws CryptoError on an invalid peer value: wrong length, MODP not 1 < y < p-1, ECP
    // not on the curve, X25519/X448 all-zero result (a low-order point).
    virtual SecureBytes shared_secret(ByteView peer_public) = 0;

protected:
    KeyExchange() = default;
};

}  // namespace ikev2d::crypto
