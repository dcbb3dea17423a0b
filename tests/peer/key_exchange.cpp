#include "key_exchange.hpp"

#include <gmp.h>
#include <nettle/curve25519.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>

#include <algorithm>

#include "iana.hpp"

namespace peer {
namespace {

class X25519 final : public KeyExchange {
public:
    explicit X25519(Bytes secret) : secret_(std::move(secret)), public_(CURVE25519_SIZE) {
        curve25519_mul_g(public_.data(), secret_.data());
    }
    ~X25519() override { wipe(secret_); }
    std::uint16_t group() const override { return iana::kDhCurve25519; }
    Bytes public_value() const override { return public_; }
    std::optional<Bytes> shared_secret(ByteView peer_public) const override {
        if (peer_public.size() != CURVE25519_SIZE) return std::nullopt;
        Bytes out(CURVE25519_SIZE);
        curve25519_mul(out.data(), secret_.data(), peer_public.data());
        if (std::all_of(out.begin(), out.end(), [](std::uint8_t b) { return b == 0; })) return std::nullopt;
        return out;
    }

private:
    Bytes secret_, public_;
};

void nettle_random(void*, std::size_t length, std::uint8_t* dst) {
    Bytes r = random_bytes(length);
    std::copy(r.begin(), r.end(), dst);
}

// Big-endian fixed-width export of a gmp integer.
Bytes export_fixed(const mpz_t v, std::size_t width) {
    Bytes out(width, 0);
    std::size_t count = 0;
    Bytes tmp((mpz_sizeinbase(v, 2) + 7) / 8 + 1);
    mpz_export(tmp.data(), &count, 1, 1, 1, 0, v);
    if (count > width) return {};
    std::copy(tmp.begin(), tmp.begin() + static_cast<std::ptrdiff_t>(count), out.end() - static_cast<std::ptrdiff_t>(count));
    return out;
}

class Ecp256 final : public KeyExchange {
public:
    Ecp256() {
        const ecc_curve* curve = nettle_get_secp_256r1();
        ecc_scalar_init(&secret_, curve);
        ecc_scalar_random(&secret_, nullptr, nettle_random);
        ecc_point pub;
        ecc_point_init(&pub, curve);
        ecc_point_mul_g(&pub, &secret_);
        mpz_t x, y;
        mpz_inits(x, y, nullptr);
        ecc_point_get(&pub, x, y);
        public_ = export_fixed(x, 32);
        append(public_, export_fixed(y, 32));
        mpz_clears(x, y, nullptr);
        ecc_point_clear(&pub);
    }
    ~Ecp256() override { ecc_scalar_clear(&secret_); }
    std::uint16_t group() const override { return iana::kDhEcp256; }
    Bytes public_value() const override { return public_; }
    std::optional<Bytes> shared_secret(ByteView peer_public) const override {
        if (peer_public.size() != 64) return std::nullopt;
        const ecc_curve* curve = nettle_get_secp_256r1();
        mpz_t x, y;
        mpz_inits(x, y, nullptr);
        mpz_import(x, 32, 1, 1, 1, 0, peer_public.data());
        mpz_import(y, 32, 1, 1, 1, 0, peer_public.data() + 32);
        ecc_point q, r;
        ecc_point_init(&q, curve);
        ecc_point_init(&r, curve);
        std::optional<Bytes> out;
        if (ecc_point_set(&q, x, y)) {  // 0 when the point is not on the curve
            ecc_point_mul(&r, &secret_, &q);
            ecc_point_get(&r, x, nullptr);
            out = export_fixed(x, 32);
        }
        ecc_point_clear(&q);
        ecc_point_clear(&r);
        mpz_clears(x, y, nullptr);
        return out;
    }

private:
    ecc_scalar secret_;
    Bytes public_;
};

}  // namespace

std::unique_ptr<KeyExchange> KeyExchange::create(std::uint16_t group) {
    switch (group) {
        case iana::kDhCurve25519: return std::make_unique<X25519>(random_bytes(CURVE25519_SIZE));
        case iana::kDhEcp256: return std::make_unique<Ecp256>();
        default: return nullptr;
    }
}

std::unique_ptr<KeyExchange> KeyExchange::x25519_from_secret(ByteView secret) {
    if (secret.size() != CURVE25519_SIZE) return nullptr;
    return std::make_unique<X25519>(Bytes(secret.begin(), secret.end()));
}

std::size_t KeyExchange::public_size(std::uint16_t group) {
    switch (group) {
        case iana::kDhCurve25519: return 32;
        case iana::kDhEcp256: return 64;
        default: return 0;
    }
}

}  // namespace peer
