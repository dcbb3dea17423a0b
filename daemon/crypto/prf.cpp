#include "crypto/prf.hpp"

#include <nettle/hmac.h>

#include "crypto/gnutls_algorithms.hpp"

namespace ikev2d::crypto {

namespace {

// HMAC keyed once (nettle): after each digest the context is ready for the next message
// under the same key, so prf+ pays for the key schedule once rather than per block, and
// no per-call context setup of gnutls_hmac_fast. The keyed states are wiped on exit.
class KeyedHmac {
public:
    KeyedHmac(iana::PrfId id, ByteView key) : id_(id) {
        switch (id_) {
            case iana::PrfId::HMAC_SHA1: hmac_sha1_set_key(&ctx_.sha1, key.size(), key.data()); break;
            case iana::PrfId::HMAC_SHA2_256: hmac_sha256_set_key(&ctx_.sha256, key.size(), key.data()); break;
            case iana::PrfId::HMAC_SHA2_384: hmac_sha384_set_key(&ctx_.sha512, key.size(), key.data()); break;
            case iana::PrfId::HMAC_SHA2_512: hmac_sha512_set_key(&ctx_.sha512, key.size(), key.data()); break;
            default: throw CryptoError("prf: unsupported PRF " + iana::name(id_));
        }
    }
    ~KeyedHmac() { secure_wipe(&ctx_, sizeof ctx_); }
    KeyedHmac(const KeyedHmac&) = delete;
    KeyedHmac& operator=(const KeyedHmac&) = delete;

    void update(ByteView data) {
        switch (id_) {
            case iana::PrfId::HMAC_SHA1: hmac_sha1_update(&ctx_.sha1, data.size(), data.data()); break;
            case iana::PrfId::HMAC_SHA2_256: hmac_sha256_update(&ctx_.sha256, data.size(), data.data()); break;
            default: hmac_sha512_update(&ctx_.sha512, data.size(), data.data()); break;  // SHA-384 shares it
        }
    }
    // The MAC of everything updated since the last digest; `out` holds the full output.
    void digest(std::span<std::uint8_t> out) {
        switch (id_) {
            case iana::PrfId::HMAC_SHA1: hmac_sha1_digest(&ctx_.sha1, out.size(), out.data()); break;
            case iana::PrfId::HMAC_SHA2_256: hmac_sha256_digest(&ctx_.sha256, out.size(), out.data()); break;
            case iana::PrfId::HMAC_SHA2_384: hmac_sha384_digest(&ctx_.sha512, out.size(), out.data()); break;
            default: hmac_sha512_digest(&ctx_.sha512, out.size(), out.data()); break;
        }
    }

private:
    iana::PrfId id_;
    union {
        hmac_sha1_ctx sha1;
        hmac_sha256_ctx sha256;
        hmac_sha512_ctx sha512;
    } ctx_;
};

}  // namespace

std::unique_ptr<Prf> Prf::create(iana::PrfId id) {
    gnutls_mac_algorithm_t mac = detail::prf_mac(id);
    if (mac == GNUTLS_MAC_UNKNOWN) return nullptr;
    return std::unique_ptr<Prf>(new Prf(id, gnutls_hmac_get_len(mac)));
}

SecureBytes Prf::compute(ByteView key, ByteView data) const {
    SecureBytes out(output_size_);
    KeyedHmac mac(id_, key);
    mac.update(data);
    mac.digest(out.span());
    return out;
}

SecureBytes Prf::plus(ByteView key, ByteView seed, std::size_t length) const {
    const std::size_t blocks = (length + output_size_ - 1) / output_size_;
    if (blocks > 255) throw CryptoError("prf+: more than 255 blocks requested");

    SecureBytes out(blocks * output_size_);
    KeyedHmac mac(id_, key);
    for (std::size_t n = 1; n <= blocks; ++n) {
        // Tn = prf(K, Tn-1 | S | n); Tn-1 is the block just written.
        if (n > 1) mac.update(out.view().subspan((n - 2) * output_size_, output_size_));
        mac.update(seed);
        const std::uint8_t counter = static_cast<std::uint8_t>(n);
        mac.update(ByteView(&counter, 1));
        mac.digest(out.span().subspan((n - 1) * output_size_, output_size_));
    }
    out.resize(length);
    return out;
}

}  // namespace ikev2d::crypto
