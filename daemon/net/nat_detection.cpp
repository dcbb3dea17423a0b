#include "net/nat_detection.hpp"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include <stdexcept>
#include <string>

namespace ikev2d::net {
namespace {

void put_be(Bytes& out, std::uint64_t value, int bytes) {
    for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}

}  // namespace

Bytes nat_detection_hash(std::uint64_t spi_i, std::uint64_t spi_r, const Endpoint& endpoint) {
    Bytes input;
    input.reserve(8 + 8 + 16 + 2);
    put_be(input, spi_i, 8);
    put_be(input, spi_r, 8);
    append(input, endpoint.addr.view());
    put_be(input, endpoint.port, 2);

    Bytes digest(20);
    const int rc = gnutls_hash_fast(GNUTLS_DIG_SHA1, input.data(), input.size(), digest.data());
    // SHA-1 is always built into GnuTLS; a failure here means a broken library (or FIPS
    // mode forbidding SHA-1, which RFC 7296 still requires for this notify).
    if (rc < 0) throw std::runtime_error(std::string("gnutls_hash_fast(SHA1) for NAT detection: ") + gnutls_strerror(rc));
    return digest;
}

}  // namespace ikev2d::net
