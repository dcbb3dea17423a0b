#include "crypto/random.hpp"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include <string>

namespace ikev2d::crypto {

namespace {

void fill(gnutls_rnd_level_t level, std::span<std::uint8_t> out) {
    if (out.empty()) return;
    int rc = gnutls_rnd(level, out.data(), out.size());
    if (rc < 0) throw CryptoError(std::string("gnutls_rnd failed: ") + gnutls_strerror(rc));
}

}  // namespace

void random_bytes(std::span<std::uint8_t> out) { fill(GNUTLS_RND_RANDOM, out); }

Bytes random_bytes(std::size_t n) {
    Bytes out(n);
    fill(GNUTLS_RND_RANDOM, out);
    return out;
}

void random_key_bytes(std::span<std::uint8_t> out) { fill(GNUTLS_RND_KEY, out); }

Bytes random_nonce(std::size_t n) {
    Bytes out(n);
    fill(GNUTLS_RND_NONCE, out);
    return out;
}

std::uint64_t random_spi() {
    std::uint8_t raw[8];
    std::uint64_t spi = 0;
    while (spi == 0) {  // SPI 0 means "not yet known" on the wire (RFC 7296 3.1)
        fill(GNUTLS_RND_RANDOM, raw);
        spi = load_be64(raw);
    }
    return spi;
}

}  // namespace ikev2d::crypto
