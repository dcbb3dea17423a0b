// The crypto bound of a gateway's handshakes on this machine, with the libraries ikev2d
// uses (nettle for X25519 and ECDH P-256, GnuTLS for RSA-2048 and ECDSA P-256 signatures,
// as daemon/crypto does): operations per CPU-second, and the handshakes per CPU-second
// they allow a responder (key generation and shared secret for each IKE SA, plus one
// signature with a certificate):
//   x25519_sa  = 1 / (X25519 key generation + X25519 shared secret)   (IKE_SA_INIT, PSK)
//   p256_sa    = 1 / (P-256 key generation + P-256 shared secret)
//   rsa_sa     = 1 / (x25519 pair + RSA-2048 PKCS#1 v1.5 SHA-256 signature)  (cert-eap RSA)
//   ecdsa_sa   = 1 / (x25519 pair + ECDSA P-256 SHA-256 signature)  (cert-eap ECDSA)
// The cert-eap bounds include the DH: a cert-eap handshake does both. The signature
// alone (rsa2048_sign, ecdsa_p256_sign) is a higher bound no handshake can reach;
// lib/summary.awk shows the measured rates against both.
//
//   crypto_bound [--seconds S]    (per measurement, default 1)
// Prints one line: CRYPTO_BOUND x25519_mul_g=.. x25519_mul=.. p256_mul_g=.. p256_mul=..
//   rsa2048_sign=.. ecdsa_p256_sign=.. x25519_sa=.. p256_sa=.. rsa_sa=.. ecdsa_sa=..
#include <gmp.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <nettle/curve25519.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/yarrow.h>
#include <sys/random.h>

#include <ctime>
#include <cstdio>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// CPU seconds of this thread: the bound is per CPU-second, and other processes sharing
// the core must not lower it.
double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Operations per CPU-second of `op`, run for about `seconds` of CPU (after a warm-up).
double ops_per_second(double seconds, const std::function<void()>& op) {
    for (int i = 0; i < 10; ++i) op();
    long n = 0;
    const double start = thread_cpu_seconds();
    double elapsed = 0;
    do {
        for (int i = 0; i < 16; ++i) op();
        n += 16;
        elapsed = thread_cpu_seconds() - start;
    } while (elapsed < seconds);
    return static_cast<double>(n) / elapsed;
}

void random_fill(void*, std::size_t length, std::uint8_t* dst) {
    while (length > 0) {
        ssize_t n = getrandom(dst, length, 0);
        if (n <= 0) throw std::runtime_error("getrandom failed");
        dst += n;
        length -= static_cast<std::size_t>(n);
    }
}

// A GnuTLS private key generated here, freed on scope exit.
class GnutlsKey {
public:
    GnutlsKey(gnutls_pk_algorithm_t algo, unsigned bits) {
        if (gnutls_privkey_init(&key_) < 0 || gnutls_privkey_generate(key_, algo, bits, 0) < 0)
            throw std::runtime_error("gnutls_privkey_generate failed");
    }
    ~GnutlsKey() { gnutls_privkey_deinit(key_); }
    GnutlsKey(const GnutlsKey&) = delete;
    GnutlsKey& operator=(const GnutlsKey&) = delete;
    // One signature over `data` (freed at once).
    void sign(gnutls_sign_algorithm_t algo, const std::vector<unsigned char>& data) const {
        gnutls_datum_t d{const_cast<unsigned char*>(data.data()), static_cast<unsigned>(data.size())}, sig{};
        if (gnutls_privkey_sign_data2(key_, algo, 0, &d, &sig) < 0) throw std::runtime_error("signing failed");
        gnutls_free(sig.data);
    }

private:
    gnutls_privkey_t key_ = nullptr;
};

// ECDH on secp256r1 with nettle: a fixed peer point, fresh scalars.
struct P256 {
    const ecc_curve* curve = nettle_get_secp_256r1();
    ecc_scalar scalar;
    ecc_point pub, peer, shared;
    P256() {
        ecc_scalar_init(&scalar, curve);
        ecc_point_init(&pub, curve);
        ecc_point_init(&peer, curve);
        ecc_point_init(&shared, curve);
        ecc_scalar_random(&scalar, nullptr, random_fill);
        ecc_point_mul_g(&peer, &scalar);
    }
    ~P256() {
        ecc_scalar_clear(&scalar);
        ecc_point_clear(&pub);
        ecc_point_clear(&peer);
        ecc_point_clear(&shared);
    }
    P256(const P256&) = delete;
    P256& operator=(const P256&) = delete;
};

}  // namespace

int main(int argc, char** argv) {
    double seconds = 1;
    if (argc == 3 && std::strcmp(argv[1], "--seconds") == 0) seconds = std::stod(argv[2]);
    else if (argc != 1) {
        std::fprintf(stderr, "usage: crypto_bound [--seconds S]\n");
        return 2;
    }
    gnutls_global_init();
    std::uint8_t secret[CURVE25519_SIZE], pub[CURVE25519_SIZE], peer[CURVE25519_SIZE], shared[CURVE25519_SIZE];
    random_fill(nullptr, sizeof secret, secret);
    curve25519_mul_g(peer, secret);
    const double x_g = ops_per_second(seconds, [&] {
        curve25519_mul_g(pub, secret);
        secret[0] ^= pub[1];  // a different scalar each time, as a fresh key pair has
    });
    const double x_mul = ops_per_second(seconds, [&] {
        curve25519_mul(shared, secret, peer);
        secret[0] ^= shared[1];
    });
    P256 p;
    const double p_g = ops_per_second(seconds, [&] { ecc_point_mul_g(&p.pub, &p.scalar); });
    const double p_mul = ops_per_second(seconds, [&] { ecc_point_mul(&p.shared, &p.scalar, &p.peer); });
    // Signed octets of an IKE_AUTH are a few hundred bytes.
    const std::vector<unsigned char> octets(400, 0x42);
    const GnutlsKey rsa(GNUTLS_PK_RSA, 2048), ecdsa(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1));
    const double rsa_sign = ops_per_second(seconds, [&] { rsa.sign(GNUTLS_SIGN_RSA_SHA256, octets); });
    const double ecdsa_sign = ops_per_second(seconds, [&] { ecdsa.sign(GNUTLS_SIGN_ECDSA_SHA256, octets); });
    const double x_pair = 1 / x_g + 1 / x_mul;
    std::printf("CRYPTO_BOUND x25519_mul_g=%.0f x25519_mul=%.0f p256_mul_g=%.0f p256_mul=%.0f rsa2048_sign=%.0f "
                "ecdsa_p256_sign=%.0f x25519_sa=%.0f p256_sa=%.0f rsa_sa=%.0f ecdsa_sa=%.0f\n",
                x_g, x_mul, p_g, p_mul, rsa_sign, ecdsa_sign, 1 / x_pair, 1 / (1 / p_g + 1 / p_mul),
                1 / (x_pair + 1 / rsa_sign), 1 / (x_pair + 1 / ecdsa_sign));
    gnutls_global_deinit();
    return 0;
}
