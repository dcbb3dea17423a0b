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
      spki_sha1_(std::move(other.spki_sha1_)) {}

CertStore& CertStore::operator=(CertStore&& other) noexcept {
    if (this != &other) {
        if (list_) gnutls_x509_trust_list_deinit(list_, 1);
        list_ = std::exchange(other.list_, nullptr);
        trusted_ = std::move(other.trusted_);
        spki_sha1_ = std::move(other.spki_sha1_);
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
