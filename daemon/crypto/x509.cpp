#include "crypto/x509.hpp"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/x509-ext.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "util/ip_address.hpp"

namespace ikev2d::crypto {

namespace detail {

void gnutls_check(int rc, std::string_view what) {
    if (rc < 0) throw CryptoError(std::string(what) + ": " + gnutls_strerror(rc));
}

GnutlsDatum::~GnutlsDatum() {
    if (d_.data == nullptr) return;
    if (secret_) secure_wipe(d_.data, d_.size);
    gnutls_free(d_.data);
}

SecureBytes read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CryptoError(path + ": cannot open: " + std::strerror(errno));
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    if (size < 0) throw CryptoError(path + ": cannot determine the size");
    // Configuration files, not bulk data: anything past a few MB is a mistake.
    if (size > (16 << 20)) throw CryptoError(path + ": too large for a certificate or key file");
    in.seekg(0, std::ios::beg);
    SecureBytes data(static_cast<std::size_t>(size));
    if (size > 0 && !in.read(reinterpret_cast<char*>(data.data()), size)) throw CryptoError(path + ": read error");
    return data;
}

}  // namespace detail

using detail::borrow;
using detail::gnutls_check;
using detail::GnutlsDatum;

std::string key_type_name(KeyType t) {
    switch (t) {
        case KeyType::RSA: return "RSA";
        case KeyType::ECDSA_P256: return "ECDSA-P256";
        case KeyType::ECDSA_P384: return "ECDSA-P384";
        case KeyType::ECDSA_P521: return "ECDSA-P521";
        case KeyType::ED25519: return "Ed25519";
    }
    return "unknown";
}

namespace {

std::shared_ptr<gnutls_x509_crt_int> new_crt() {
    gnutls_x509_crt_t crt = nullptr;
    gnutls_check(gnutls_x509_crt_init(&crt), "gnutls_x509_crt_init");
    return {crt, [](gnutls_x509_crt_t c) { gnutls_x509_crt_deinit(c); }};
}

Bytes export_der(gnutls_x509_crt_t crt) {
    GnutlsDatum der;
    gnutls_check(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, der.out()), "exporting certificate");
    return der.bytes();
}

std::string dn_text(int rc, GnutlsDatum& dn, const char* what) {
    // An empty DN is legal (identity in the SAN only); GnuTLS reports it as an error.
    if (rc == GNUTLS_E_ASN1_ELEMENT_NOT_FOUND || rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) return {};
    gnutls_check(rc, what);
    return dn.str();
}

// Walks the subjectAltName extension, calling fn(type, value) for each name.
template <class Fn>
void for_each_san(gnutls_x509_crt_t crt, Fn&& fn) {
    GnutlsDatum ext;
    unsigned critical = 0;
    int rc = gnutls_x509_crt_get_extension_by_oid2(crt, "2.5.29.17", 0, ext.out(), &critical);
    if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) return;
    gnutls_check(rc, "reading subjectAltName");
    gnutls_subject_alt_names_t sans = nullptr;
    gnutls_check(gnutls_subject_alt_names_init(&sans), "gnutls_subject_alt_names_init");
    std::unique_ptr<gnutls_subject_alt_names_st, void (*)(gnutls_subject_alt_names_t)> guard(
        sans, gnutls_subject_alt_names_deinit);
    gnutls_datum_t raw = borrow(ext.view());
    gnutls_check(gnutls_x509_ext_import_subject_alt_names(&raw, sans, 0), "parsing subjectAltName");
    for (unsigned i = 0;; ++i) {
        unsigned type = 0;
        gnutls_datum_t value{};  // points into `sans`, not owned
        rc = gnutls_subject_alt_names_get(sans, i, &type, &value, nullptr);
        if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) break;
        gnutls_check(rc, "reading subjectAltName entry");
        fn(static_cast<gnutls_x509_subject_alt_name_t>(type), ByteView(value.data, value.size));
    }
}

std::vector<std::string> sans_of_type(gnutls_x509_crt_t crt, gnutls_x509_subject_alt_name_t wanted) {
    std::vector<std::string> out;
    for_each_san(crt, [&](gnutls_x509_subject_alt_name_t type, ByteView value) {
        if (type != wanted) return;
        if (type == GNUTLS_SAN_IPADDRESS) {
            // Name constraints use 8/32-byte address+mask forms; a SAN address is 4 or 16.
            if (value.size() == 4 || value.size() == 16) out.push_back(IpAddress::from_bytes(value).to_string());
        } else {
            out.emplace_back(reinterpret_cast<const char*>(value.data()), value.size());
        }
    });
    return out;
}

}  // namespace

Certificate Certificate::from_der(ByteView der) {
    if (der.empty()) throw CryptoError("certificate: empty DER");
    auto crt = new_crt();
    gnutls_datum_t d = borrow(der);
    gnutls_check(gnutls_x509_crt_import(crt.get(), &d, GNUTLS_X509_FMT_DER), "parsing DER certificate");
    return Certificate(std::move(crt), Bytes(der.begin(), der.end()));
}

Certificate Certificate::from_pem(std::string_view pem) {
    auto crt = new_crt();
    gnutls_datum_t d = borrow(as_bytes(pem));
    gnutls_check(gnutls_x509_crt_import(crt.get(), &d, GNUTLS_X509_FMT_PEM), "parsing PEM certificate");
    Bytes der = export_der(crt.get());
    return Certificate(std::move(crt), std::move(der));
}

std::vector<Certificate> Certificate::load_file(const std::string& path) {
    const SecureBytes data = detail::read_file(path);
    const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
    try {
        if (data.empty()) throw CryptoError("empty file");
        if (text.find("-----BEGIN") == std::string_view::npos) return {from_der(data.view())};
        if (text.find("-----BEGIN CERTIFICATE-----") == std::string_view::npos)
            throw CryptoError("PEM file holds no CERTIFICATE block");
        gnutls_x509_crt_t* list = nullptr;
        unsigned count = 0;
        gnutls_datum_t d = borrow(data.view());
        gnutls_check(gnutls_x509_crt_list_import2(&list, &count, &d, GNUTLS_X509_FMT_PEM, 0),
                     "parsing PEM certificates");
        // Take ownership of every handle first so that none leaks if an export throws.
        std::vector<std::shared_ptr<gnutls_x509_crt_int>> owned;
        owned.reserve(count);
        for (unsigned i = 0; i < count; ++i)
            owned.emplace_back(list[i], [](gnutls_x509_crt_t c) { gnutls_x509_crt_deinit(c); });
        gnutls_free(list);
        std::vector<Certificate> out;
        for (auto& crt : owned) {
            Bytes der = export_der(crt.get());
            out.push_back(Certificate(std::move(crt), std::move(der)));
        }
        return out;
    } catch (const CryptoError& e) {
        throw CryptoError(path + ": " + e.what());
    }
}

std::string Certificate::to_pem() const {
    GnutlsDatum pem;
    gnutls_check(gnutls_x509_crt_export2(native(), GNUTLS_X509_FMT_PEM, pem.out()), "exporting certificate");
    return pem.str();
}

Bytes Certificate::subject_dn_der() const {
    GnutlsDatum dn;  // a copy GnuTLS allocated
    gnutls_check(gnutls_x509_crt_get_raw_dn(native(), dn.out()), "reading subject DN");
    return dn.bytes();
}

std::string Certificate::subject_dn() const {
    GnutlsDatum dn;
    return dn_text(gnutls_x509_crt_get_dn3(native(), dn.out(), 0), dn, "reading subject DN");
}

std::string Certificate::issuer_dn() const {
    GnutlsDatum dn;
    return dn_text(gnutls_x509_crt_get_issuer_dn3(native(), dn.out(), 0), dn, "reading issuer DN");
}

std::vector<std::string> Certificate::dns_names() const { return sans_of_type(native(), GNUTLS_SAN_DNSNAME); }
std::vector<std::string> Certificate::ip_addresses() const { return sans_of_type(native(), GNUTLS_SAN_IPADDRESS); }
std::vector<std::string> Certificate::email_addresses() const { return sans_of_type(native(), GNUTLS_SAN_RFC822NAME); }

namespace {

bool iequal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// local@domain: the local part exactly, the domain without regard to case (RFC 5321 2.4).
bool same_email(std::string_view a, std::string_view b) {
    const auto at_a = a.rfind('@'), at_b = b.rfind('@');
    if (at_a == std::string_view::npos || at_b == std::string_view::npos) return false;
    return a.substr(0, at_a) == b.substr(0, at_b) && iequal(a.substr(at_a), b.substr(at_b));
}

// The values of one subject attribute (CN, emailAddress); none when absent.
std::vector<std::string> subject_attribute(gnutls_x509_crt_t crt, const char* oid) {
    std::vector<std::string> out;
    for (unsigned i = 0;; ++i) {
        size_t size = 0;
        int rc = gnutls_x509_crt_get_dn_by_oid(crt, oid, i, 0, nullptr, &size);
        if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) break;
        if (rc != GNUTLS_E_SHORT_MEMORY_BUFFER) gnutls_check(rc, "reading the subject");
        std::string value(size, '\0');
        gnutls_check(gnutls_x509_crt_get_dn_by_oid(crt, oid, i, 0, value.data(), &size), "reading the subject");
        value.resize(std::min(size, value.size()));
        while (!value.empty() && value.back() == '\0') value.pop_back();
        out.push_back(std::move(value));
    }
    return out;
}

}  // namespace

bool Certificate::matches_identity(std::string_view identity, bool allow_subject_cn) const {
    if (identity.empty()) return false;
    // Exact matches only: no wildcards, and the subject's CN (or emailAddress) only when asked for.
    if (auto ip = IpAddress::parse(identity)) {
        for (const auto& san : ip_addresses())
            if (auto a = IpAddress::parse(san); a && *a == *ip) return true;
        return false;
    }
    if (identity.find('@') != std::string_view::npos) {
        for (const auto& san : email_addresses())
            if (same_email(san, identity)) return true;
        if (allow_subject_cn)
            for (const auto& attr : subject_attribute(native(), GNUTLS_OID_PKCS9_EMAIL))
                if (same_email(attr, identity)) return true;
        return false;
    }
    if (identity.find('=') != std::string_view::npos) return identity == subject_dn();
    for (const auto& san : dns_names())
        if (iequal(san, identity)) return true;
    if (allow_subject_cn)
        for (const auto& cn : subject_attribute(native(), GNUTLS_OID_X520_COMMON_NAME))
            if (iequal(cn, identity)) return true;
    return false;
}

Bytes Certificate::spki_der() const {
    gnutls_pubkey_t pub = nullptr;
    gnutls_check(gnutls_pubkey_init(&pub), "gnutls_pubkey_init");
    std::unique_ptr<gnutls_pubkey_st, void (*)(gnutls_pubkey_t)> guard(pub, gnutls_pubkey_deinit);
    gnutls_check(gnutls_pubkey_import_x509(pub, native(), 0), "reading the certificate's public key");
    GnutlsDatum der;
    gnutls_check(gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, der.out()), "exporting SubjectPublicKeyInfo");
    return der.bytes();
}

Bytes Certificate::spki_sha1() const {
    const Bytes spki = spki_der();
    Bytes digest(20);
    gnutls_check(gnutls_hash_fast(GNUTLS_DIG_SHA1, spki.data(), spki.size(), digest.data()), "SHA-1");
    return digest;
}

KeyType Certificate::key_type() const {
    unsigned bits = 0;
    const int pk = gnutls_x509_crt_get_pk_algorithm(native(), &bits);
    switch (pk) {
        case GNUTLS_PK_RSA: return KeyType::RSA;
        case GNUTLS_PK_EDDSA_ED25519: return KeyType::ED25519;
        case GNUTLS_PK_ECDSA: {
            gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
            GnutlsDatum x, y;
            gnutls_check(gnutls_x509_crt_get_pk_ecc_raw(native(), &curve, x.out(), y.out()), "reading EC key");
            if (curve == GNUTLS_ECC_CURVE_SECP256R1) return KeyType::ECDSA_P256;
            if (curve == GNUTLS_ECC_CURVE_SECP384R1) return KeyType::ECDSA_P384;
            if (curve == GNUTLS_ECC_CURVE_SECP521R1) return KeyType::ECDSA_P521;
            throw CryptoError(std::string("certificate: unsupported EC curve ") +
                              (gnutls_ecc_curve_get_name(curve) ? gnutls_ecc_curve_get_name(curve) : "?"));
        }
        default:
            gnutls_check(pk, "reading the certificate's key algorithm");
            // RSA-PSS-only keys (id-RSASSA-PSS SPKI) included: IKE signs with rsaEncryption keys.
            throw CryptoError(std::string("certificate: unsupported key algorithm ") +
                              gnutls_pk_get_name(static_cast<gnutls_pk_algorithm_t>(pk)));
    }
}

unsigned Certificate::key_bits() const {
    unsigned bits = 0;
    gnutls_check(gnutls_x509_crt_get_pk_algorithm(native(), &bits), "reading the key size");
    return bits;
}

Bytes Certificate::serial() const {
    Bytes buf(64);
    size_t size = buf.size();
    gnutls_check(gnutls_x509_crt_get_serial(native(), buf.data(), &size), "reading serial number");
    buf.resize(size);
    return buf;
}

std::string Certificate::serial_hex() const {
    const std::string hex = to_hex(serial());
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        if (i) out += ':';
        out.append(hex, i, 2);
    }
    return out;
}

time_t Certificate::not_before() const { return gnutls_x509_crt_get_activation_time(native()); }
time_t Certificate::not_after() const { return gnutls_x509_crt_get_expiration_time(native()); }

bool Certificate::is_ca() const {
    unsigned critical = 0;
    return gnutls_x509_crt_get_ca_status(native(), &critical) > 0;
}

bool Certificate::has_extended_key_usage(std::string_view oid) const {
    const auto all = extended_key_usages();
    return std::find(all.begin(), all.end(), oid) != all.end();
}

std::vector<std::string> Certificate::extended_key_usages() const {
    std::vector<std::string> out;
    for (unsigned i = 0;; ++i) {
        char buf[128];
        size_t size = sizeof buf;
        const int rc = gnutls_x509_crt_get_key_purpose_oid(native(), i, buf, &size, nullptr);
        if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) return out;
        if (rc == GNUTLS_E_SHORT_MEMORY_BUFFER) {  // longer than any OID we know: kept, so that the list is complete
            out.emplace_back("<long OID>");
            continue;
        }
        gnutls_check(rc, "reading extendedKeyUsage");
        out.emplace_back(buf);
    }
}

bool Certificate::is_self_signed() const { return gnutls_x509_crt_check_issuer(native(), native()) != 0; }

}  // namespace ikev2d::crypto
