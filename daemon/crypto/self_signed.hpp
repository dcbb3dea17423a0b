// The gateway's own credentials when none are configured, like the ASA's `enrollment self`
// trustpoint: a key and a self-signed certificate made once and kept under the state directory.
#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "crypto/private_key.hpp"
#include "crypto/x509.hpp"

namespace ikev2d::crypto {

struct GatewayCredentials {
    Certificate cert;
    PrivateKey key;
};

struct SelfSignedOptions {
    std::vector<std::string> identities;  // the first is the CN; each is a DNS or IP SAN
    int validity_days = 3650;
    // serverAuth + ikeIntermediate (RFC 4945 5.1.3.12), as Windows and macOS clients want them
    std::vector<std::string> extended_key_usages{kEkuServerAuth, kEkuIkeIntermediate};
};

// A self-signed end-entity certificate for `key` (any key type).
Certificate make_self_signed(const PrivateKey& key, const SelfSignedOptions& options);

// Loads cert_path/key_path if both exist and belong together; otherwise generates a key
// (ECDSA P-256 by default, RSA-3072 for KeyType::RSA) and a 10-year self-signed certificate
// with CN and SAN (DNS, or IP if the identity is an address) = identity. An existing key is
// kept and only the certificate is remade when the identity no longer matches or it expired.
// Files are written atomically (temporary file + rename), key 0600, certificate 0644; the
// directory is created 0700 if missing. Throws CryptoError naming the file on failure, and
// if a certificate exists without its key (that needs an operator, not a silent new key).
GatewayCredentials load_or_create_self_signed(const std::string& cert_path, const std::string& key_path,
                                              const std::string& identity, KeyType type = KeyType::ECDSA_P256);

}  // namespace ikev2d::crypto
