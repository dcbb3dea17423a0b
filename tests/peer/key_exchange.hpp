// Diffie-Hellman for the test initiator: X25519 (RFC 7748/8031, group 31) and ECP-256
// (RFC 5903, group 19) over nettle.
#pragma once

#include <memory>
#include <optional>

#include "bytes.hpp"

namespace peer {

class KeyExchange {
public:
    virtual ~KeyExchange() = default;
    virtual std::uint16_t group() const = 0;
    virtual Bytes public_value() const = 0;
    // nullopt when the peer's value is invalid (wrong length, not on the curve, an
    // all-zero X25519 result).
    virtual std::optional<Bytes> shared_secret(ByteView peer_public) const = 0;
    // nullptr for a group this initiator does not implement.
    static std::unique_ptr<KeyExchange> create(std::uint16_t group);
    // X25519 with a given private key (for known-answer tests).
    static std::unique_ptr<KeyExchange> x25519_from_secret(ByteView secret);
    static std::size_t public_size(std::uint16_t group);  // 0 when unknown
};

}  // namespace peer
