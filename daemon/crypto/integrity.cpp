#include "crypto/integrity.hpp"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include <string>

#include "crypto/algorithms.hpp"
#include "crypto/gnutls_algorithms.hpp"

namespace ikev2d::crypto {

std::unique_ptr<Integrity> Integrity::create(iana::IntegId id) {
    gnutls_mac_algorithm_t mac = detail::integ_mac(id);
    if (mac == GNUTLS_MAC_UNKNOWN) return nullptr;
    return std::unique_ptr<Integrity>(new Integrity(id, mac, integ_key_size(id), integ_icv_size(id)));
}

Bytes Integrity::compute(ByteView key, ByteView data) const {
    // RFC 4868 2.1.1 fixes the key size; a mismatch is a key-derivation bug, not peer input.
    if (key.size() != key_size_) throw CryptoError("integrity: wrong key size");
    const auto mac = static_cast<gnutls_mac_algorithm_t>(mac_);
    Bytes full(gnutls_hmac_get_len(mac));
    int rc = gnutls_hmac_fast(mac, key.data(), key.size(), data.data(), data.size(), full.data());
    if (rc < 0) throw CryptoError(std::string("integrity: gnutls_hmac_fast failed: ") + gnutls_strerror(rc));
    full.resize(icv_size_);
    return full;
}

bool Integrity::verify(ByteView key, ByteView data, ByteView icv) const {
    if (icv.size() != icv_size_ || key.size() != key_size_) return false;
    return ct_equal(compute(key, data), icv);
}

}  // namespace ikev2d::crypto
