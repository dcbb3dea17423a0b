// X25519 / X448 (RFC 7748) as IKEv2 groups 31 and 32 (RFC 8031) with nettle.
#include <nettle/curve25519.h>
#include <nettle/curve448.h>

#include <string>

#include "crypto/key_exchange_impl.hpp"
#include "crypto/random.hpp"

namespace ikev2d::crypto::detail {

namespace {

class MontgomeryKeyExchange final : public KeyExchange {
public:
    MontgomeryKeyExchange(iana::DhGroup g, ByteView priv)
        : group_(g), size_(g == iana::DhGroup::CURVE25519 ? CURVE25519_SIZE : CURVE448_SIZE), private_(size_),
          public_(size_) {
        if (priv.empty())
            random_key_bytes(private_.span());  // RFC 7748 5: any bytes; clamping happens in the multiplication
        else if (priv.size() == size_)
            std::copy(priv.begin(), priv.end(), private_.data());
        else
            throw CryptoError("x25519/x448: private value has the wrong length");
        if (g == iana::DhGroup::CURVE25519)
            curve25519_mul_g(public_.data(), private_.data());
        else
            curve448_mul_g(public_.data(), private_.data());
    }

    iana::DhGroup group() const override { return group_; }
    ByteView public_value() const override { return public_; }

    SecureBytes shared_secret(ByteView peer_public) override {
        if (peer_public.size() != size_)
            throw CryptoError("x25519/x448: peer public value has length " + std::to_string(peer_public.size()) +
                              ", expected " + std::to_string(size_));
        SecureBytes secret(size_);
        if (group_ == iana::DhGroup::CURVE25519)
            curve25519_mul(secret.data(), private_.data(), peer_public.data());
        else
            curve448_mul(secret.data(), private_.data(), peer_public.data());
        // RFC 8031 2.3 / RFC 7748 6: an all-zero result means a low-order peer point.
        std::uint8_t any = 0;
        for (std::size_t i = 0; i < secret.size(); ++i) any |= secret[i];
        if (any == 0) throw CryptoError("x25519/x448: peer public value is a low-order point");
        return secret;
    }

private:
    iana::DhGroup group_;
    std::size_t size_;
    SecureBytes private_;
    Bytes public_;
};

}  // namespace

std::unique_ptr<KeyExchange> make_montgomery_key_exchange(iana::DhGroup g, ByteView priv) {
    if (g != iana::DhGroup::CURVE25519 && g != iana::DhGroup::CURVE448) return nullptr;
    return std::make_unique<MontgomeryKeyExchange>(g, priv);
}

}  // namespace ikev2d::crypto::detail
