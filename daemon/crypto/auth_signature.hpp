// AUTH payload signatures.
//   RFC 7296 2.15 method 1: RSA PKCS#1 v1.5 with SHA-1 over the signed octets.
//   RFC 4754 methods 9/10/11: ECDSA P-256/SHA-256, P-384/SHA-384, P-521/SHA-512, signature r|s
//     as fixed-size big-endian integers.
//   RFC 7427 method 14 (Digital Signature): AUTH data = length(1) | ASN.1 AlgorithmIdentifier |
//     signature, for RSA PKCS#1 v1.5 with SHA-256/384/512, RSASSA-PSS (RFC 4055 parameters,
//     MGF1 with the same hash, salt length = hash length), ECDSA (DER Ecdsa-Sig-Value) and
//     Ed25519 (RFC 8420, hash "Identity").
#pragma once

#include <string>
#include <vector>

#include "crypto/private_key.hpp"
#include "crypto/x509.hpp"
#include "util/bytes.hpp"
#include "util/iana.hpp"

namespace ikev2d::crypto {

struct AuthSignatureScheme {
    iana::AuthMethod method;
    iana::HashAlgorithm hash;  // IDENTITY for Ed25519
    bool rsa_pss = false;      // method 14 with an RSA key only

    friend bool operator==(const AuthSignatureScheme&, const AuthSignatureScheme&) = default;
};

std::string describe(const AuthSignatureScheme& s);  // "DIGITAL_SIGNATURE ECDSA SHA2_256" for logs

// The scheme for our key, given what the peer announced in SIGNATURE_HASH_ALGORITHMS (empty:
// the peer did not send it, so the classic method 1/9/10/11 — except Ed25519, which only
// exists as method 14). With a list: method 14 with the strongest-fitting hash the peer takes
// (for ECDSA the curve's own hash first); if none fits, the classic method.
AuthSignatureScheme choose_auth_scheme(const PrivateKey& key, const std::vector<iana::HashAlgorithm>& peer_hashes,
                                       bool prefer_rsa_pss = false);

// → AUTH payload data. Throws CryptoError if the scheme does not fit the key.
Bytes sign_auth(const PrivateKey& key, const AuthSignatureScheme& scheme, ByteView signed_octets);

// True only for a valid signature by `signer`'s key over signed_octets. For method 14 the
// AlgorithmIdentifier is parsed and must fit the certificate's key type; classic methods
// must fit it too (method 9 needs a P-256 key, ...). SHA-1 (method 1, which implies it,
// and method 14 with a SHA-1 AlgorithmIdentifier) only with allow_sha1 (RFC 8247 3.2:
// MUST NOT for new signatures; old Windows clients still send method 1). Never throws on
// bad input: returns false and, if `why` is given, says what was wrong (for the log,
// not for the peer).
bool verify_auth(const Certificate& signer, iana::AuthMethod method, ByteView auth_data, ByteView signed_octets,
                 std::string* why = nullptr, bool allow_sha1 = false);

// What we put in our SIGNATURE_HASH_ALGORITHMS notify (RFC 8247 3.2: no SHA-1).
std::vector<iana::HashAlgorithm> supported_signature_hashes();

}  // namespace ikev2d::crypto
