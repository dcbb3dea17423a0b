#include "crypto/rsa_signer.hpp"

#include <gmp.h>
#include <nettle/bignum.h>
#include <nettle/rsa.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include <algorithm>
#include <mutex>
#include <vector>

#include "crypto/random.hpp"
#include "crypto/secure_mpz.hpp"
#include "crypto/x509.hpp"

namespace ikev2d::crypto {

using detail::SecureMpz;
using iana::HashAlgorithm;

namespace {

// Limbs that may hold secrets: wiped before they are freed.
class Limbs {
public:
    explicit Limbs(std::size_t n) : v_(n, 0) {}
    ~Limbs() { secure_wipe(v_.data(), v_.size() * sizeof(mp_limb_t)); }
    Limbs(const Limbs&) = delete;
    Limbs& operator=(const Limbs&) = delete;
    mp_limb_t* data() noexcept { return v_.data(); }
    const mp_limb_t* data() const noexcept { return v_.data(); }
    std::size_t size() const noexcept { return v_.size(); }

private:
    std::vector<mp_limb_t> v_;
};

// `value` (at most out.size() limbs) into `out`, zero-padded at the top.
void to_limbs(mpz_srcptr value, Limbs& out) {
    const std::size_t n = mpz_size(value);
    if (n > out.size()) throw CryptoError("RSA: value longer than the modulus");
    std::copy_n(mpz_limbs_read(value), n, out.data());
    std::fill(out.data() + n, out.data() + out.size(), 0);
}

// RFC 8017 9.2, note 1: the DER DigestInfo prefix of each hash.
ByteView digest_info_prefix(HashAlgorithm h) {
    static const std::uint8_t sha1[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
    static const std::uint8_t sha256[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                          0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
    static const std::uint8_t sha384[] = {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                          0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30};
    static const std::uint8_t sha512[] = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                          0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40};
    switch (h) {
        case HashAlgorithm::SHA1: return sha1;
        case HashAlgorithm::SHA2_256: return sha256;
        case HashAlgorithm::SHA2_384: return sha384;
        case HashAlgorithm::SHA2_512: return sha512;
        default: throw CryptoError("RSA PKCS#1 v1.5 cannot use hash " + iana::name(h));
    }
}

// DigestInfo = prefix | hash(data).
Bytes digest_info(HashAlgorithm h, ByteView data) {
    const ByteView prefix = digest_info_prefix(h);
    Bytes out(prefix.begin(), prefix.end());
    const std::size_t at = out.size();
    switch (h) {
        case HashAlgorithm::SHA1: {
            sha1_ctx c;
            sha1_init(&c);
            sha1_update(&c, data.size(), data.data());
            out.resize(at + SHA1_DIGEST_SIZE);
            sha1_digest(&c, SHA1_DIGEST_SIZE, out.data() + at);
            break;
        }
        case HashAlgorithm::SHA2_256: {
            sha256_ctx c;
            sha256_init(&c);
            sha256_update(&c, data.size(), data.data());
            out.resize(at + SHA256_DIGEST_SIZE);
            sha256_digest(&c, SHA256_DIGEST_SIZE, out.data() + at);
            break;
        }
        case HashAlgorithm::SHA2_384: {
            sha384_ctx c;
            sha384_init(&c);
            sha384_update(&c, data.size(), data.data());
            out.resize(at + SHA384_DIGEST_SIZE);
            sha384_digest(&c, SHA384_DIGEST_SIZE, out.data() + at);
            break;
        }
        default: {
            sha512_ctx c;
            sha512_init(&c);
            sha512_update(&c, data.size(), data.data());
            out.resize(at + SHA512_DIGEST_SIZE);
            sha512_digest(&c, SHA512_DIGEST_SIZE, out.data() + at);
            break;
        }
    }
    return out;
}

}  // namespace

struct RsaPkcs1Signer::State {
    State() {
        detail::install_wiping_gmp_allocator();
        rsa_public_key_init(&pub);
        rsa_private_key_init(&key);
    }
    ~State() {
        for (mpz_ptr z : {key.d, key.p, key.q, key.a, key.b, key.c})
            if (z->_mp_alloc > 0) secure_wipe(z->_mp_d, static_cast<std::size_t>(z->_mp_alloc) * sizeof(mp_limb_t));
        rsa_private_key_clear(&key);
        rsa_public_key_clear(&pub);
    }
    State(const State&) = delete;
    State& operator=(const State&) = delete;

    rsa_public_key pub;
    rsa_private_key key;
    std::size_t limbs = 0;  // of the modulus
    std::size_t scratch_limbs = 0;

    // The blinding pair: to_blind = r^e, to_unblind = r^-1 (mod n); guarded by `mutex`.
    std::mutex mutex;
    std::unique_ptr<Limbs> to_blind, to_unblind;
    unsigned uses_left = 0;

    // out = a * b mod n (all `limbs` long), in constant time.
    void mul_mod(mp_limb_t* out, const mp_limb_t* a, const mp_limb_t* b, Limbs& scratch) const {
        Limbs product(2 * limbs);
        if (a == b)
            mpn_sec_sqr(product.data(), a, static_cast<mp_size_t>(limbs), scratch.data());
        else
            mpn_sec_mul(product.data(), a, static_cast<mp_size_t>(limbs), b, static_cast<mp_size_t>(limbs),
                        scratch.data());
        mpn_sec_div_r(product.data(), static_cast<mp_size_t>(2 * limbs), mpz_limbs_read(pub.n),
                      static_cast<mp_size_t>(limbs), scratch.data());
        std::copy_n(product.data(), limbs, out);
    }

    // A fresh r: r^e and r^-1 (mod n).
    void draw_blinding(Limbs& scratch) {
        const auto n = static_cast<mp_size_t>(limbs);
        Limbs r(limbs), inverse(limbs), copy(limbs);
        for (;;) {
            random_key_bytes(std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(r.data()), limbs * sizeof(mp_limb_t)));
            mpn_sec_div_r(r.data(), n, mpz_limbs_read(pub.n), n, scratch.data());  // r mod n
            std::copy_n(r.data(), limbs, copy.data());
            if (mpn_sec_invert(inverse.data(), copy.data(), mpz_limbs_read(pub.n), n,
                               2 * limbs * GMP_NUMB_BITS, scratch.data()))
                break;  // r = 0 or sharing a factor with n: draw again
        }
        to_blind = std::make_unique<Limbs>(limbs);
        to_unblind = std::make_unique<Limbs>(limbs);
        mpn_sec_powm(to_blind->data(), r.data(), n, mpz_limbs_read(pub.e), mpz_sizeinbase(pub.e, 2),
                     mpz_limbs_read(pub.n), n, scratch.data());
        std::copy_n(inverse.data(), limbs, to_unblind->data());
        uses_left = kBlindingUses;
    }

    // Copies the current pair into (blind, unblind) and moves the stored pair on.
    void take_blinding(Limbs& blind, Limbs& unblind, Limbs& scratch) {
        std::lock_guard lock(mutex);
        if (uses_left == 0) draw_blinding(scratch);
        std::copy_n(to_blind->data(), limbs, blind.data());
        std::copy_n(to_unblind->data(), limbs, unblind.data());
        // (r^2)^e = (r^e)^2 and (r^2)^-1 = (r^-1)^2: the next signature's pair.
        mul_mod(to_blind->data(), to_blind->data(), to_blind->data(), scratch);
        mul_mod(to_unblind->data(), to_unblind->data(), to_unblind->data(), scratch);
        --uses_left;
    }
};

RsaPkcs1Signer::RsaPkcs1Signer(std::unique_ptr<State> state) : state_(std::move(state)) {}
RsaPkcs1Signer::~RsaPkcs1Signer() = default;

std::shared_ptr<RsaPkcs1Signer> RsaPkcs1Signer::from_gnutls(gnutls_privkey_t key) {
    detail::GnutlsDatum m, e, d(true), p(true), q(true), u(true), e1(true), e2(true);
    if (gnutls_privkey_export_rsa_raw2(key, m.out(), e.out(), d.out(), p.out(), q.out(), u.out(), e1.out(), e2.out(),
                                       0) < 0)
        return nullptr;
    auto s = std::make_unique<State>();
    auto load = [](mpz_ptr z, ByteView big_endian) { mpz_import(z, big_endian.size(), 1, 1, 1, 0, big_endian.data()); };
    load(s->pub.n, m.view());
    load(s->pub.e, e.view());
    load(s->key.d, d.view());
    load(s->key.p, p.view());
    load(s->key.q, q.view());
    // Derived here rather than trusting the export's naming of the CRT values:
    // a = d mod (p-1), b = d mod (q-1), c = q^-1 mod p (nettle's rsa.h).
    {
        SecureMpz p1, q1;
        mpz_sub_ui(p1.get(), s->key.p, 1);
        mpz_sub_ui(q1.get(), s->key.q, 1);
        mpz_mod(s->key.a, s->key.d, p1.get());
        mpz_mod(s->key.b, s->key.d, q1.get());
        if (!mpz_invert(s->key.c, s->key.q, s->key.p)) return nullptr;
    }
    if (!rsa_public_key_prepare(&s->pub) || !rsa_private_key_prepare(&s->key) || s->pub.size != s->key.size ||
        mpz_even_p(s->pub.n))
        return nullptr;
    s->limbs = mpz_size(s->pub.n);
    const auto n = static_cast<mp_size_t>(s->limbs);
    s->scratch_limbs = static_cast<std::size_t>(std::max({
        mpn_sec_mul_itch(n, n),
        mpn_sec_sqr_itch(n),
        mpn_sec_div_r_itch(2 * n, n),
        mpn_sec_invert_itch(n),
        mpn_sec_powm_itch(n, mpz_sizeinbase(s->pub.e, 2), n),
    }));
    return std::shared_ptr<RsaPkcs1Signer>(new RsaPkcs1Signer(std::move(s)));
}

Bytes RsaPkcs1Signer::sign(HashAlgorithm hash, ByteView data) const {
    State& s = *state_;
    const Bytes info = digest_info(hash, data);
    // EM = 0x00 | 0x01 | PS (0xff, at least 8) | 0x00 | DigestInfo (RFC 8017 9.2)
    if (info.size() + 11 > s.key.size) throw CryptoError("RSA modulus too short for the DigestInfo");
    Bytes em(s.key.size, 0xff);
    em[0] = 0x00;
    em[1] = 0x01;
    em[s.key.size - info.size() - 1] = 0x00;
    std::copy(info.begin(), info.end(), em.end() - static_cast<std::ptrdiff_t>(info.size()));

    SecureMpz message, root, check;
    message.set_bytes(em);
    Limbs scratch(s.scratch_limbs), blind(s.limbs), unblind(s.limbs), padded(s.limbs), blinded(s.limbs);
    s.take_blinding(blind, unblind, scratch);

    to_limbs(message.get(), padded);
    s.mul_mod(blinded.data(), padded.data(), blind.data(), scratch);  // c = m * r^e
    mpz_t c;
    mpz_roinit_n(c, blinded.data(), static_cast<mp_size_t>(s.limbs));
    rsa_compute_root(&s.key, root.get(), c);  // x = c^d = m^d * r (side-channel silent CRT)
    // x^e must give c back: a fault in either CRT half would otherwise reveal p or q.
    mpz_powm(check.get(), root.get(), s.pub.e, s.pub.n);
    if (mpz_cmp(check.get(), c) != 0) throw CryptoError("RSA signature failed its own check");
    to_limbs(root.get(), padded);
    s.mul_mod(blinded.data(), padded.data(), unblind.data(), scratch);  // s = x * r^-1
    mpz_t signature;
    mpz_roinit_n(signature, blinded.data(), static_cast<mp_size_t>(s.limbs));
    Bytes out(s.key.size);
    nettle_mpz_get_str_256(out.size(), out.data(), signature);
    return out;
}

}  // namespace ikev2d::crypto
