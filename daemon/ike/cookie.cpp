#include "ike/cookie.hpp"

#include "crypto/prf.hpp"
#include "crypto/random.hpp"

namespace ikev2d::ike {
namespace {
constexpr std::uint64_t kRotateMs = 5 * 60 * 1000;
constexpr std::size_t kSecretSize = 32;
}  // namespace

CookieJar::CookieJar() : current_(kSecretSize), previous_(kSecretSize) {
    crypto::random_bytes(current_.span());
    crypto::random_bytes(previous_.span());
}

Bytes CookieJar::compute(const SecureBytes& secret, std::uint8_t version, std::uint64_t spi_i, ByteView nonce_i,
                         const IpAddress& initiator) const {
    auto prf = crypto::Prf::create(iana::PrfId::HMAC_SHA2_256);
    Bytes data(nonce_i.begin(), nonce_i.end());
    append(data, initiator.view());
    for (int i = 7; i >= 0; --i) data.push_back(static_cast<std::uint8_t>(spi_i >> (8 * i)));
    SecureBytes mac = prf->compute(secret.view(), data);
    Bytes cookie{version};
    append(cookie, mac.first(16));
    return cookie;
}

Bytes CookieJar::make(std::uint64_t spi_i, ByteView nonce_i, const IpAddress& initiator) const {
    return compute(current_, version_, spi_i, nonce_i, initiator);
}

bool CookieJar::check(ByteView cookie, std::uint64_t spi_i, ByteView nonce_i, const IpAddress& initiator) const {
    if (cookie.size() != 17) return false;
    if (cookie[0] == version_) return ct_equal(cookie, compute(current_, version_, spi_i, nonce_i, initiator));
    std::uint8_t prev = static_cast<std::uint8_t>(version_ - 1);
    if (cookie[0] == prev) return ct_equal(cookie, compute(previous_, prev, spi_i, nonce_i, initiator));
    return false;
}

void CookieJar::maybe_rotate(std::uint64_t now_ms) {
    if (now_ms < rotate_at_ms_) return;
    previous_ = std::move(current_);
    current_ = SecureBytes(kSecretSize);
    crypto::random_bytes(current_.span());
    ++version_;
    rotate_at_ms_ = now_ms + kRotateMs;
}

}  // namespace ikev2d::ike
