// Finite-field Diffie-Hellman over the MODP groups (generator 2) with GMP.
#include <string>

#include "crypto/key_exchange_impl.hpp"
#include "crypto/modp_groups.hpp"
#include "crypto/random.hpp"
#include "crypto/secure_mpz.hpp"

namespace ikev2d::crypto::detail {

namespace {

class ModpKeyExchange final : public KeyExchange {
public:
    ModpKeyExchange(const ModpGroup& group, ByteView priv) : group_(group), public_(group.bits / 8) {
        if (mpz_set_str(prime_.get(), group.prime_hex, 16) != 0) throw CryptoError("modp: bad built-in prime");
        mpz_sub_ui(prime_minus_one_.get(), prime_.get(), 1);
        if (priv.empty())
            generate_private();
        else
            private_.set_bytes(priv);
        // 1 < x < p-1: x = 1 or p-1 would reveal the key through the public value.
        if (mpz_cmp_ui(private_.get(), 1) <= 0 || mpz_cmp(private_.get(), prime_minus_one_.get()) >= 0)
            throw CryptoError("modp: private value out of range");

        SecureMpz generator, y;
        mpz_set_ui(generator.get(), 2);
        mpz_powm_sec(y.get(), generator.get(), private_.get(), prime_.get());
        if (!y.get_bytes(public_)) throw CryptoError("modp: public value too long");
    }

    iana::DhGroup group() const override { return group_.id; }
    ByteView public_value() const override { return public_; }

    SecureBytes shared_secret(ByteView peer_public) override {
        if (peer_public.size() != public_.size())
            throw CryptoError("modp: peer public value has length " + std::to_string(peer_public.size()) +
                              ", expected " + std::to_string(public_.size()));
        SecureMpz y;
        y.set_bytes(peer_public);
        // RFC 6989 2.1: reject 0, 1 and p-1 (and anything >= p); they force a known secret.
        if (mpz_cmp_ui(y.get(), 1) <= 0 || mpz_cmp(y.get(), prime_minus_one_.get()) >= 0)
            throw CryptoError("modp: peer public value out of range");
        SecureMpz z;
        mpz_powm_sec(z.get(), y.get(), private_.get(), prime_.get());
        SecureBytes secret(public_.size());  // RFC 7296 2.14: padded to the prime's length
        if (!z.get_bytes(secret.span())) throw CryptoError("modp: shared secret too long");
        return secret;
    }

private:
    void generate_private() {
        SecureBytes raw(group_.exponent_bits / 8);
        do {
            random_key_bytes(raw.span());
            private_.set_bytes(raw.view());
        } while (mpz_cmp_ui(private_.get(), 1) <= 0);
    }

    const ModpGroup& group_;
    SecureMpz prime_, prime_minus_one_, private_;
    Bytes public_;
};

}  // namespace

std::unique_ptr<KeyExchange> make_modp_key_exchange(iana::DhGroup g, ByteView priv) {
    const ModpGroup* group = find_modp_group(g);
    if (!group) return nullptr;
    return std::make_unique<ModpKeyExchange>(*group, priv);
}

}  // namespace ikev2d::crypto::detail
