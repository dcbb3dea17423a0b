#include "crypto/cert_store.hpp"

#include <algorithm>
#include <utility>

namespace ikev2d::crypto {

using detail::borrow;
using detail::gnutls_check;
using detail::GnutlsDatum;

namespace {
// Longer chains than this are not remote-access PKIs but an attempt to burn CPU.
constexpr std::size_t kMaxIntermediates = 8;
}  // namespace

CertStore::CertStore() { gnutls_check(gnutls_x509_trust_list_init(&list_, 0), "gnutls_x509_trust_list_init"); }

CertStore::~CertStore() {
    if (list_) gnutls_x509_trust_list_deinit(list_, 1);
}

CertStore::CertStore(CertStore&& other) noexcept
    : list_(std::exchange(other.list_, nullptr)),
      trusted_(std::move(other.trusted_)),
      spki_sha1_(std::move(other.spki_sha1_)),
      crl_count_(std::exchange(other.crl_count_, 0)) {}

CertStore& CertStore::operator=(CertStore&& other) noexcept {
    if (this != &other) {
        if (list_) gnutls_x509_trust_list_deinit(list_, 1);
        list_ = std::exchange(other.list_, nullptr);
        trusted_ = std::move(other.trusted_);
        spki_sha1_ = std::move(other.spki_sha1_);
        crl_count_ = std::exchange(other.crl_count_, 0);
    }
    return *this;
}

void CertStore::add_trusted(const Certificate& cert) {
    if (!list_) throw CryptoError("CertStore used after move");
    if (std::find(trusted_.begin(), trusted_.end(), cert) != trusted_.end()) return;
    Bytes sha1 = cert.spki_sha1();
    // The trust list takes ownership of the handle it is given, so it gets its own copy.
    gnutls_x509_crt_t copy = nullptr;
    gnutls_check(gnutls_x509_crt_init(&copy), "gnutls_x509_crt_init");
    gnutls_datum_t der = borrow(cert.der());
    int rc = gnutls_x509_crt_import(copy, &der, GNUTLS_X509_FMT_DER);
    if (rc >= 0) rc = gnutls_x509_trust_list_add_cas(list_, &copy, 1, 0);
    if (rc < 0) gnutls_x509_crt_deinit(copy);
    gnutls_check(rc, "adding trusted certificate " + cert.subject_dn());
    trusted_.push_back(cert);
    spki_sha1_.push_back(std::move(sha1));
}

void CertStore::add_trusted_file(const std::string& path) {
    const auto certs = Certificate::load_file(path);
    if (certs.empty()) throw CryptoError(path + ": no certificate");
    for (const auto& c : certs) {
        try {
            add_trusted(c);
        } catch (const CryptoError& e) {
            throw CryptoError(path + ": " + e.what());
        }
    }
}

void CertStore::add_crl_file(const std::string& path) {
    if (!list_) throw CryptoError("CertStore used after move");
    const SecureBytes data = detail::read_file(path);
    const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
    const auto format = text.find("-----BEGIN") == std::string_view::npos ? GNUTLS_X509_FMT_DER : GNUTLS_X509_FMT_PEM;
    gnutls_x509_crl_t* imported = nullptr;
    unsigned count = 0;
    gnutls_datum_t d = borrow(data.view());
    const int rc = gnutls_x509_crl_list_import2(&imported, &count, &d, format, 0);
    if (rc < 0) throw CryptoError(path + ": parsing CRL: " + gnutls_strerror(rc));
    std::vector<std::unique_ptr<gnutls_x509_crl_int, void (*)(gnutls_x509_crl_t)>> owned;
    for (unsigned i = 0; i < count; ++i) owned.emplace_back(imported[i], gnutls_x509_crl_deinit);
    gnutls_free(imported);
    if (owned.empty()) throw CryptoError(path + ": no CRL");
    // Only a CRL signed by a trusted CA may revoke; a stale one (nextUpdate passed) still
    // revokes what it lists rather than letting those certificates in again.
    constexpr unsigned kTolerated = GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED | GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE;
    for (const auto& crl : owned) {
        bool signed_by_trusted = false;
        for (const auto& ca : trusted_) {
            if (!gnutls_x509_crl_check_issuer(crl.get(), ca.native())) continue;
            gnutls_x509_crt_t issuer = ca.native();
            unsigned status = 0;
            if (gnutls_x509_crl_verify(crl.get(), &issuer, 1, 0, &status) >= 0 && (status & ~kTolerated) == 0)
                signed_by_trusted = true;
        }
        if (!signed_by_trusted)
            throw CryptoError(path + ": CRL is not signed by a trusted CA (list its issuer in ca_certificates)");
    }
    std::vector<gnutls_x509_crl_t> handles;
    for (const auto& crl : owned) handles.push_back(crl.get());
    // The trust list owns the CRLs from here on (freed by its deinit with all = 1).
    const int added = gnutls_x509_trust_list_add_crls(list_, handles.data(), static_cast<unsigned>(handles.size()), 0, 0);
    if (added < 0) throw CryptoError(path + ": adding CRL: " + gnutls_strerror(added));
    for (auto& crl : owned) (void)crl.release();
    crl_count_ += owned.size();
}

bool CertStore::verify_chain(const Certificate& end_entity, const std::vector<Certificate>& intermediates,
                             std::string* why) const {
    const auto fail = [&](std::string reason) {
        if (why) *why = std::move(reason);
        return false;
    };
    if (!list_) return fail("CertStore used after move");
    // Order the chain ourselves: from the end entity, repeatedly the intermediate that issued
    // the last link. Unrelated certificates are left out instead of confusing the verifier.
    std::vector<gnutls_x509_crt_t> chain{end_entity.native()};
    std::vector<bool> used(intermediates.size(), false);
    while (chain.size() <= kMaxIntermediates) {
        gnutls_x509_crt_t last = chain.back();
        if (gnutls_x509_crt_check_issuer(last, last)) break;  // self-issued: the chain ends here
        bool found = false;
        for (std::size_t i = 0; i < intermediates.size() && !found; ++i) {
            if (used[i] || !gnutls_x509_crt_check_issuer(last, intermediates[i].native())) continue;
            used[i] = found = true;
            chain.push_back(intermediates[i].native());
        }
        if (!found) break;
    }
    if (chain.size() > kMaxIntermediates) return fail("certificate chain too long");

    unsigned status = 0;
    const int rc = gnutls_x509_trust_list_verify_crt2(list_, chain.data(), static_cast<unsigned>(chain.size()), nullptr,
                                                      0, 0, &status, nullptr);
    if (rc < 0) return fail(std::string("chain verification error: ") + gnutls_strerror(rc));
    if (status == 0) return true;
    GnutlsDatum text;
    if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, text.out(), 0) < 0)
        return fail("certificate chain not trusted");
    return fail(text.str());
}

std::vector<Bytes> CertStore::trusted_spki_sha1() const { return spki_sha1_; }

bool CertStore::has_trusted_spki(ByteView sha1) const {
    return std::any_of(spki_sha1_.begin(), spki_sha1_.end(),
                       [&](const Bytes& b) { return std::equal(b.begin(), b.end(), sha1.begin(), sha1.end()); });
}

}  // namespace ikev2d::crypto
