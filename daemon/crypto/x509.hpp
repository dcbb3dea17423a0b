// X.509 certificates (GnuTLS underneath): what IKE needs from them — the DER for CERT
// payloads, the subject for ID_DER_ASN1_DN, the SANs for identity checks, the SHA-1 of
// the SubjectPublicKeyInfo for CERTREQ, and the key type for AUTH.
#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/crypto_error.hpp"
#include "util/bytes.hpp"

namespace ikev2d::crypto {

enum class KeyType { RSA, ECDSA_P256, ECDSA_P384, ECDSA_P521, ED25519 };

std::string key_type_name(KeyType t);  // "RSA", "ECDSA-P256", ... for logs and errors

// Extended key usage OIDs relevant to IKE (RFC 4945 5.1.3.12, RFC 4809).
inline constexpr const char* kEkuServerAuth = "1.3.6.1.5.5.7.3.1";
inline constexpr const char* kEkuClientAuth = "1.3.6.1.5.5.7.3.2";
inline constexpr const char* kEkuIkeIntermediate = "1.3.6.1.5.5.8.2.2";
inline constexpr const char* kEkuIpsecIke = "1.3.6.1.5.5.7.3.17";  // id-kp-ipsecIKE (RFC 4945 5.1.3.12)
inline constexpr const char* kEkuAny = "2.5.29.37.0";              // anyExtendedKeyUsage (RFC 5280 4.2.1.12)

class Certificate {
public:
    // Parse errors throw CryptoError; certificates come from configuration or from the
    // (authenticated, but still untrusted) CERT payload, so callers catch and reject.
    static Certificate from_der(ByteView der);
    static Certificate from_pem(std::string_view pem);  // the first certificate in the text
    // PEM (one or more certificates) or DER; throws CryptoError naming the path and the reason.
    static std::vector<Certificate> load_file(const std::string& path);

    const Bytes& der() const noexcept { return der_; }
    std::string to_pem() const;
    Bytes subject_dn_der() const;    // the raw DER Name: the ID_DER_ASN1_DN payload data
    std::string subject_dn() const;  // RFC 4514 form, e.g. "CN=vpn.example.com,O=Example"
    std::string issuer_dn() const;
    std::vector<std::string> dns_names() const;        // dNSName SANs
    std::vector<std::string> ip_addresses() const;     // iPAddress SANs, printed ("192.0.2.1", "2001:db8::1")
    std::vector<std::string> email_addresses() const;  // rfc822Name SANs
    // True if the certificate names this identity exactly: an IP address against the
    // iPAddress SANs, user@domain against the rfc822Name SANs (domain case-insensitive),
    // a string with '=' against the subject DN string, anything else as a host name
    // against the dNSName SANs (case-insensitive). No wildcards. The subject's CN (for
    // e-mail identities its emailAddress attribute) counts only with allow_subject_cn:
    // many CAs put names there that they never checked as identities.
    bool matches_identity(std::string_view fqdn_or_ip_or_email, bool allow_subject_cn = false) const;

    Bytes spki_der() const;    // the DER SubjectPublicKeyInfo
    Bytes spki_sha1() const;   // SHA-1 of spki_der(): what CERTREQ carries (RFC 7296 3.7)
    KeyType key_type() const;  // throws CryptoError for key types IKE cannot use here
    unsigned key_bits() const;
    Bytes serial() const;            // big-endian, as encoded
    std::string serial_hex() const;  // "01:a3:..." as the ASA prints it
    time_t not_before() const;
    time_t not_after() const;
    bool is_ca() const;  // basicConstraints cA = TRUE
    bool has_extended_key_usage(std::string_view oid) const;
    std::vector<std::string> extended_key_usages() const;  // dotted OIDs; empty without the extension
    bool is_self_signed() const;  // self-issued: issuer DN = subject DN (the signature is checked by CertStore)

    // For the other PKI files: the GnuTLS handle, owned by this object (shared by copies).
    gnutls_x509_crt_t native() const noexcept { return crt_.get(); }

    friend bool operator==(const Certificate& a, const Certificate& b) { return a.der_ == b.der_; }

private:
    Certificate(std::shared_ptr<gnutls_x509_crt_int> crt, Bytes der) : crt_(std::move(crt)), der_(std::move(der)) {}

    std::shared_ptr<gnutls_x509_crt_int> crt_;  // immutable after import, so copies may share it
    Bytes der_;
};

namespace detail {
// Throws CryptoError("<what>: <gnutls message>") when rc is a GnuTLS error.
void gnutls_check(int rc, std::string_view what);
// A gnutls_datum_t that GnuTLS allocated; freed (and, if asked, wiped) on destruction.
class GnutlsDatum {
public:
    explicit GnutlsDatum(bool secret = false) : secret_(secret) {}
    ~GnutlsDatum();
    GnutlsDatum(const GnutlsDatum&) = delete;
    GnutlsDatum& operator=(const GnutlsDatum&) = delete;
    gnutls_datum_t* out() noexcept { return &d_; }
    ByteView view() const noexcept { return {d_.data, d_.size}; }
    Bytes bytes() const { return Bytes(d_.data, d_.data + d_.size); }
    std::string str() const { return std::string(reinterpret_cast<const char*>(d_.data), d_.size); }

private:
    gnutls_datum_t d_{nullptr, 0};
    bool secret_;
};
// A datum pointing into existing memory (GnuTLS takes const input through a non-const pointer).
inline gnutls_datum_t borrow(ByteView v) noexcept {
    return {const_cast<unsigned char*>(v.data()), static_cast<unsigned>(v.size())};
}
// Whole file into memory (wiped when freed: it may hold a key); throws CryptoError naming the path.
SecureBytes read_file(const std::string& path);
}  // namespace detail

}  // namespace ikev2d::crypto
