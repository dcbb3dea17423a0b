// Stateless cookies against IKE_SA_INIT floods (RFC 7296 2.6):
// Cookie = <VersionIDofSecret> | Hash(Ni | IPi | SPIi | <secret>).
// The secret changes every few minutes; cookies made with the previous one still pass.
#pragma once

#include <cstdint>

#include "util/bytes.hpp"
#include "util/ip_address.hpp"

namespace ikev2d::ike {

class CookieJar {
public:
    CookieJar();
    Bytes make(std::uint64_t spi_i, ByteView nonce_i, const IpAddress& initiator) const;
    bool check(ByteView cookie, std::uint64_t spi_i, ByteView nonce_i, const IpAddress& initiator) const;
    // Called by the gateway's timer; rotates when `now_ms` passed the rotation time.
    void maybe_rotate(std::uint64_t now_ms);

private:
    Bytes compute(const SecureBytes& secret, std::uint8_t version, std::uint64_t spi_i, ByteView nonce_i,
                  const IpAddress& initiator) const;
    SecureBytes current_, previous_;
    std::uint8_t version_ = 0;
    std::uint64_t rotate_at_ms_ = 0;
};

}  // namespace ikev2d::ike
