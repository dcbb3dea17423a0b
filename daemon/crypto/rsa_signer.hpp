// RSASSA-PKCS1-v1_5 signatures (RFC 8017 8.2) with nettle's side-channel-silent CRT
// root, for the gateway's AUTH payload: half the cost of gnutls_privkey_sign_data2.
//
// Why not GnuTLS: it signs through nettle's rsa_compute_root_tr, which draws a fresh
// blinding factor for every signature and inverts it with mpn_sec_invert; that inversion
// costs more than the exponentiation itself (callgrind: 10.3M of 20M instructions for
// RSA-2048). Here the blinding pair (r^e, r^-1) is renewed by squaring after each use, as
// OpenSSL's BN_BLINDING does, and drawn afresh (one inversion) every kBlindingUses
// signatures; every result is still checked against the public key before it leaves
// (a faulty CRT half would otherwise give away the factors). Blinding, unblinding and the
// renewal use GMP's mpn_sec_* functions (constant time); the key's limbs and the blinding
// pair are wiped when the signer goes.
#pragma once

#include <gnutls/abstract.h>

#include <memory>

#include "crypto/crypto_error.hpp"
#include "util/bytes.hpp"
#include "util/iana.hpp"

namespace ikev2d::crypto {

class RsaPkcs1Signer {
public:
    // From a GnuTLS RSA private key; nullptr when its parameters cannot be exported
    // (the caller then signs through GnuTLS).
    static std::shared_ptr<RsaPkcs1Signer> from_gnutls(gnutls_privkey_t key);
    ~RsaPkcs1Signer();
    RsaPkcs1Signer(const RsaPkcs1Signer&) = delete;
    RsaPkcs1Signer& operator=(const RsaPkcs1Signer&) = delete;

    // The signature over `data` hashed with SHA-1, SHA2-256/384/512; as long as the modulus.
    // Thread-safe. Throws CryptoError on another hash or when the result fails its check.
    Bytes sign(iana::HashAlgorithm hash, ByteView data) const;

    // Signatures made with the current blinding pair before it is drawn afresh.
    static constexpr unsigned kBlindingUses = 32;

    struct State;

private:
    explicit RsaPkcs1Signer(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace ikev2d::crypto
