#include "crypto/private_key.hpp"

#include <gnutls/x509.h>
#include <sys/stat.h>

#include <string_view>

#include "util/log.hpp"

namespace ikev2d::crypto {

using detail::borrow;
using detail::gnutls_check;
using detail::GnutlsDatum;

namespace {

struct X509KeyDeleter {
    void operator()(gnutls_x509_privkey_t k) const noexcept { gnutls_x509_privkey_deinit(k); }
};
using X509Key = std::unique_ptr<gnutls_x509_privkey_int, X509KeyDeleter>;

KeyType type_of(gnutls_privkey_t key) {
    unsigned bits = 0;
    const int pk = gnutls_privkey_get_pk_algorithm(key, &bits);
    switch (pk) {
        case GNUTLS_PK_RSA: return KeyType::RSA;
        case GNUTLS_PK_EDDSA_ED25519: return KeyType::ED25519;
        case GNUTLS_PK_ECDSA: {
            gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
            GnutlsDatum x, y, k(true);
            gnutls_check(gnutls_privkey_export_ecc_raw(key, &curve, x.out(), y.out(), k.out()), "reading EC key");
            if (curve == GNUTLS_ECC_CURVE_SECP256R1) return KeyType::ECDSA_P256;
            if (curve == GNUTLS_ECC_CURVE_SECP384R1) return KeyType::ECDSA_P384;
            if (curve == GNUTLS_ECC_CURVE_SECP521R1) return KeyType::ECDSA_P521;
            const char* name = gnutls_ecc_curve_get_name(curve);
            throw CryptoError(std::string("unsupported EC curve ") + (name ? name : "?"));
        }
        default:
            gnutls_check(pk, "reading the key algorithm");
            throw CryptoError(std::string("unsupported key algorithm ") +
                              gnutls_pk_get_name(static_cast<gnutls_pk_algorithm_t>(pk)));
    }
}

std::shared_ptr<gnutls_privkey_st> new_privkey() {
    gnutls_privkey_t key = nullptr;
    gnutls_check(gnutls_privkey_init(&key), "gnutls_privkey_init");
    return {key, [](gnutls_privkey_t k) { gnutls_privkey_deinit(k); }};
}

}  // namespace

PrivateKey::PrivateKey(std::shared_ptr<gnutls_privkey_st> key, KeyType type) : key_(std::move(key)), type_(type) {
    if (type_ == KeyType::RSA) rsa_signer_ = RsaPkcs1Signer::from_gnutls(key_.get());
}

PrivateKey PrivateKey::wrap(gnutls_privkey_t raw) {
    std::shared_ptr<gnutls_privkey_st> key(raw, [](gnutls_privkey_t k) { gnutls_privkey_deinit(k); });
    const KeyType type = type_of(raw);
    return PrivateKey(std::move(key), type);
}

PrivateKey PrivateKey::from_pem_or_der(ByteView data) {
    if (data.empty()) throw CryptoError("empty key");
    const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
    if (text.find("ENCRYPTED PRIVATE KEY") != std::string_view::npos ||
        text.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos)
        throw CryptoError("encrypted private keys are not supported: store the key unencrypted with mode 0600");
    const bool pem = text.find("-----BEGIN") != std::string_view::npos;

    gnutls_x509_privkey_t x509 = nullptr;
    gnutls_check(gnutls_x509_privkey_init(&x509), "gnutls_x509_privkey_init");
    X509Key x509_guard(x509);
    gnutls_datum_t d = borrow(data);
    // import2 tries PKCS#8, then the key-specific forms (PKCS#1, SEC1); GNUTLS_PKCS_PLAIN
    // makes an encrypted PKCS#8 fail instead of asking for a password.
    gnutls_check(gnutls_x509_privkey_import2(x509, &d, pem ? GNUTLS_X509_FMT_PEM : GNUTLS_X509_FMT_DER, nullptr,
                                             GNUTLS_PKCS_PLAIN),
                 pem ? "parsing PEM private key" : "parsing DER private key");
    auto key = new_privkey();
    gnutls_check(gnutls_privkey_import_x509(key.get(), x509, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE),
                 "importing private key");
    x509_guard.release();  // now owned by `key`
    const KeyType type = type_of(key.get());
    return PrivateKey(std::move(key), type);
}

PrivateKey PrivateKey::load_file(const std::string& path) {
    const SecureBytes data = detail::read_file(path);
    // Like ssh: a key others can read is worth a warning (not an error: containers and
    // test setups often run with odd modes).
    struct stat st {};
    if (stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
        LOG_ERR(Platform, "private key %s is readable by group or others (mode %03o); use chmod 600", path.c_str(),
                static_cast<unsigned>(st.st_mode & 0777));
    try {
        return from_pem_or_der(data.view());
    } catch (const CryptoError& e) {
        throw CryptoError(path + ": " + e.what());
    }
}

PrivateKey PrivateKey::generate(KeyType t, unsigned rsa_bits) {
    gnutls_pk_algorithm_t pk = GNUTLS_PK_ECDSA;
    unsigned bits = 0;
    switch (t) {
        case KeyType::RSA:
            if (rsa_bits < 2048) throw CryptoError("RSA keys below 2048 bits are refused");
            pk = GNUTLS_PK_RSA;
            bits = rsa_bits;
            break;
        case KeyType::ECDSA_P256: bits = GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1); break;
        case KeyType::ECDSA_P384: bits = GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP384R1); break;
        case KeyType::ECDSA_P521: bits = GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP521R1); break;
        case KeyType::ED25519:
            pk = GNUTLS_PK_EDDSA_ED25519;
            bits = GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_ED25519);
            break;
    }
    auto key = new_privkey();
    gnutls_check(gnutls_privkey_generate2(key.get(), pk, bits, 0, nullptr, 0),
                 "generating " + key_type_name(t) + " key");
    return PrivateKey(std::move(key), t);
}

unsigned PrivateKey::bits() const {
    unsigned bits = 0;
    gnutls_check(gnutls_privkey_get_pk_algorithm(native(), &bits), "reading the key size");
    return bits;
}

Bytes PrivateKey::public_key_der() const {
    gnutls_pubkey_t pub = nullptr;
    gnutls_check(gnutls_pubkey_init(&pub), "gnutls_pubkey_init");
    std::unique_ptr<gnutls_pubkey_st, void (*)(gnutls_pubkey_t)> guard(pub, gnutls_pubkey_deinit);
    gnutls_check(gnutls_pubkey_import_privkey(pub, native(), 0, 0), "deriving the public key");
    GnutlsDatum der;
    gnutls_check(gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, der.out()), "exporting the public key");
    return der.bytes();
}

std::string PrivateKey::to_pem() const {
    gnutls_x509_privkey_t x509 = nullptr;
    gnutls_check(gnutls_privkey_export_x509(native(), &x509), "exporting private key");
    X509Key guard(x509);
    GnutlsDatum pem(true);
    gnutls_check(gnutls_x509_privkey_export2_pkcs8(x509, GNUTLS_X509_FMT_PEM, nullptr, GNUTLS_PKCS_PLAIN, pem.out()),
                 "encoding private key as PKCS#8");
    return pem.str();
}

}  // namespace ikev2d::crypto
