// Trusted CAs (for client certificates) and chain verification, plus the authority
// indicators for our CERTREQ payload (RFC 7296 3.7: SHA-1 of each CA's SubjectPublicKeyInfo).
#pragma once

#include <gnutls/x509.h>

#include <memory>
#include <string>
#include <vector>

#include "crypto/x509.hpp"
#include "util/bytes.hpp"

namespace ikev2d::crypto {

class CertStore {
public:
    CertStore();
    ~CertStore();
    CertStore(CertStore&&) noexcept;
    CertStore& operator=(CertStore&&) noexcept;
    CertStore(const CertStore&) = delete;
    CertStore& operator=(const CertStore&) = delete;

    // A trust anchor; usually a CA, but a pinned self-signed end-entity certificate works too.
    // Adding the same certificate twice is harmless.
    void add_trusted(const Certificate& cert);
    void add_trusted_file(const std::string& path);  // every certificate in it; CryptoError names the file

    // Certificate revocation lists (PEM, one or more, or DER), each signed by one of the
    // trusted certificates added before; CryptoError names the file otherwise. A
    // certificate a CRL lists fails verify_chain from then on.
    void add_crl_file(const std::string& path);
    std::size_t crl_count() const noexcept { return crl_count_; }

    // True if end_entity chains to a trusted certificate through (some of) `intermediates`,
    // which may come in any order and include unrelated certificates (as CERT payloads do).
    // Checks signatures, validity periods, CA constraints and the CRLs at the current time; `why`
    // gets GnuTLS's explanation on failure.
    bool verify_chain(const Certificate& end_entity, const std::vector<Certificate>& intermediates,
                      std::string* why = nullptr) const;

    std::vector<Bytes> trusted_spki_sha1() const;  // for our CERTREQ, in the order added
    bool has_trusted_spki(ByteView sha1) const;    // does a peer's CERTREQ name one of ours?
    const std::vector<Certificate>& trusted() const noexcept { return trusted_; }
    bool empty() const noexcept { return trusted_.empty(); }

private:
    gnutls_x509_trust_list_t list_ = nullptr;  // owns its own copies of the trusted certificates
    std::vector<Certificate> trusted_;
    std::vector<Bytes> spki_sha1_;
    std::size_t crl_count_ = 0;
};

}  // namespace ikev2d::crypto
