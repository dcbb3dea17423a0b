#include "crypto/prf.hpp"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include <string>

#include "crypto/gnutls_algorithms.hpp"

namespace ikev2d::crypto {

std::unique_ptr<Prf> Prf::create(iana::PrfId id) {
    gnutls_mac_algorithm_t mac = detail::prf_mac(id);
    if (mac == GNUTLS_MAC_UNKNOWN) return nullptr;
    return std::unique_ptr<Prf>(new Prf(id, mac, gnutls_hmac_get_len(mac)));
}

SecureBytes Prf::compute(ByteView key, ByteView data) const {
    SecureBytes out(output_size_);
    int rc = gnutls_hmac_fast(static_cast<gnutls_mac_algorithm_t>(mac_), key.data(), key.size(), data.data(),
                              data.size(), out.data());
    if (rc < 0) throw CryptoError(std::string("prf: gnutls_hmac_fast failed: ") + gnutls_strerror(rc));
    return out;
}

SecureBytes Prf::plus(ByteView key, ByteView seed, std::size_t length) const {
    const std::size_t blocks = (length + output_size_ - 1) / output_size_;
    if (blocks > 255) throw CryptoError("prf+: more than 255 blocks requested");

    SecureBytes out;
    SecureBytes input;  // Tn-1 | S | n, key material too
    SecureBytes previous;
    for (std::size_t n = 1; n <= blocks; ++n) {
        input.resize(0);
        input.append(previous.view());
        input.append(seed);
        const std::uint8_t counter = static_cast<std::uint8_t>(n);
        input.append(ByteView(&counter, 1));
        previous = compute(key, input.view());
        out.append(previous.view());
    }
    out.resize(length);
    return out;
}

}  // namespace ikev2d::crypto
