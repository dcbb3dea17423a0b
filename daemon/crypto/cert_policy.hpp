// What a client certificate must satisfy beyond chaining to a trusted CA (which
// CertStore::verify_chain checks, with CRLs): a use that fits a client, and its
// validity period at the current time (also checked by the chain verification; here
// for the clear reason in the log).
#pragma once

#include <ctime>
#include <optional>
#include <string>

#include "crypto/x509.hpp"

namespace ikev2d::crypto {

// nullopt if the certificate may authenticate an IKE client at `now`, else why not.
// extendedKeyUsage, when present, must include clientAuth, id-kp-ipsecIKE (RFC 4945
// 5.1.3.12; strongSwan accepts it too) or anyExtendedKeyUsage. No extension: any use.
std::optional<std::string> client_certificate_problem(const Certificate& cert, std::time_t now = std::time(nullptr));

}  // namespace ikev2d::crypto
