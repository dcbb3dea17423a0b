#include "eap/random.hpp"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include <stdexcept>
#include <string>

namespace ikev2d::eap {

Bytes random_bytes(std::size_t size) {
    Bytes out(size);
    if (size == 0) return out;
    const int rc = gnutls_rnd(GNUTLS_RND_RANDOM, out.data(), out.size());
    if (rc < 0) throw std::runtime_error(std::string("gnutls_rnd failed: ") + gnutls_strerror(rc));
    return out;
}

std::uint8_t random_byte() { return random_bytes(1)[0]; }

}  // namespace ikev2d::eap
