// Elliptic-curve Diffie-Hellman over the NIST prime curves (RFC 5903) with nettle.
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>

#include <string>

#include "crypto/key_exchange_impl.hpp"
#include "crypto/random.hpp"
#include "crypto/secure_mpz.hpp"

namespace ikev2d::crypto::detail {

namespace {

struct Curve {
    const ecc_curve* curve;
    std::size_t field_size;  // bytes of one coordinate
};

Curve curve_for(iana::DhGroup g) {
    switch (g) {
    case iana::DhGroup::ECP_256: return {nettle_get_secp_256r1(), 32};
    case iana::DhGroup::ECP_384: return {nettle_get_secp_384r1(), 48};
    case iana::DhGroup::ECP_521: return {nettle_get_secp_521r1(), 66};
    default: return {nullptr, 0};
    }
}

class EccScalar {
public:
    explicit EccScalar(const ecc_curve* c) { ecc_scalar_init(&s_, c); }
    ~EccScalar() { ecc_scalar_clear(&s_); }  // frees through the wiping GMP allocator
    EccScalar(const EccScalar&) = delete;
    EccScalar& operator=(const EccScalar&) = delete;
    ecc_scalar* get() noexcept { return &s_; }

private:
    ecc_scalar s_;
};

class EccPoint {
public:
    explicit EccPoint(const ecc_curve* c) { ecc_point_init(&p_, c); }
    ~EccPoint() { ecc_point_clear(&p_); }
    EccPoint(const EccPoint&) = delete;
    EccPoint& operator=(const EccPoint&) = delete;
    ecc_point* get() noexcept { return &p_; }

private:
    ecc_point p_;
};

// nettle's random callback cannot fail, so a DRBG error is remembered and rethrown.
struct RandomContext {
    bool failed = false;
};

void nettle_random(void* ctx, std::size_t length, std::uint8_t* dst) {
    try {
        random_key_bytes({dst, length});
    } catch (const CryptoError&) {
        static_cast<RandomContext*>(ctx)->failed = true;
    }
}

class EcpKeyExchange final : public KeyExchange {
public:
    EcpKeyExchange(iana::DhGroup g, Curve curve, ByteView priv)
        : group_(g), curve_(curve), private_(curve.curve), public_(2 * curve.field_size) {
        detail::install_wiping_gmp_allocator();
        if (priv.empty()) {
            RandomContext ctx;
            ecc_scalar_random(private_.get(), &ctx, nettle_random);
            if (ctx.failed) throw CryptoError("ecp: random generator failed");
        } else {
            SecureMpz k;
            k.set_bytes(priv);
            if (!ecc_scalar_set(private_.get(), k.get())) throw CryptoError("ecp: private value out of range");
        }
        EccPoint pub(curve_.curve);
        ecc_point_mul_g(pub.get(), private_.get());
        SecureMpz x, y;
        ecc_point_get(pub.get(), x.get(), y.get());
        auto out = std::span<std::uint8_t>(public_);
        if (!x.get_bytes(out.first(curve_.field_size)) || !y.get_bytes(out.subspan(curve_.field_size)))
            throw CryptoError("ecp: public coordinate too long");
    }

    iana::DhGroup group() const override { return group_; }
    ByteView public_value() const override { return public_; }

    SecureBytes shared_secret(ByteView peer_public) override {
        if (peer_public.size() != public_.size())
            throw CryptoError("ecp: peer public value has length " + std::to_string(peer_public.size()) +
                              ", expected " + std::to_string(public_.size()));
        SecureMpz x, y;
        x.set_bytes(peer_public.first(curve_.field_size));
        y.set_bytes(peer_public.subspan(curve_.field_size));
        EccPoint peer(curve_.curve);
        // Checks 0 <= x, y < p and the curve equation (RFC 6989 2.3); the point at infinity
        // has no affine encoding, and the curves have cofactor 1, so no small subgroup remains.
        if (!ecc_point_set(peer.get(), x.get(), y.get())) throw CryptoError("ecp: peer point is not on the curve");
        EccPoint product(curve_.curve);
        ecc_point_mul(product.get(), private_.get(), peer.get());
        SecureMpz zx, zy;
        ecc_point_get(product.get(), zx.get(), zy.get());
        SecureBytes secret(curve_.field_size);  // RFC 5903 7: the x coordinate only
        if (!zx.get_bytes(secret.span())) throw CryptoError("ecp: shared secret too long");
        return secret;
    }

private:
    iana::DhGroup group_;
    Curve curve_;
    EccScalar private_;
    Bytes public_;
};

}  // namespace

std::unique_ptr<KeyExchange> make_ecp_key_exchange(iana::DhGroup g, ByteView priv) {
    Curve curve = curve_for(g);
    if (!curve.curve) return nullptr;
    return std::make_unique<EcpKeyExchange>(g, curve, priv);
}

}  // namespace ikev2d::crypto::detail
