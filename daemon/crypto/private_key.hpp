// Our private key (GnuTLS underneath): loaded from the configured file or generated for
// the self-signed gateway certificate. The key stays inside GnuTLS, except that an RSA
// key's numbers are also held (wiped on release) by its RsaPkcs1Signer; only signatures leave.
#pragma once

#include <gnutls/abstract.h>

#include <memory>
#include <string>

#include "crypto/rsa_signer.hpp"
#include "crypto/x509.hpp"
#include "util/bytes.hpp"

namespace ikev2d::crypto {

class PrivateKey {
public:
    // PEM (PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY", unencrypted PKCS#8 "PRIVATE KEY")
    // or the same in DER. Encrypted keys are refused. Errors throw CryptoError naming the file.
    static PrivateKey load_file(const std::string& path);
    static PrivateKey from_pem_or_der(ByteView data);  // as load_file, from memory
    // Fresh key from GnuTLS's key RNG; rsa_bits only matters for RSA.
    static PrivateKey generate(KeyType t, unsigned rsa_bits = 3072);

    KeyType type() const noexcept { return type_; }
    unsigned bits() const;
    Bytes public_key_der() const;  // DER SubjectPublicKeyInfo: compare with Certificate::spki_der()
    // Unencrypted PKCS#8 PEM, for writing the key file. The caller wipes the string after use.
    std::string to_pem() const;
    bool matches(const Certificate& cert) const { return public_key_der() == cert.spki_der(); }

    // For auth_signature.cpp / self_signed.cpp: the GnuTLS handle, shared by copies.
    gnutls_privkey_t native() const noexcept { return key_.get(); }
    // RSA keys: PKCS#1 v1.5 signing without GnuTLS's per-signature inversion
    // (rsa_signer.hpp); nullptr for other keys or when the key cannot be exported.
    const RsaPkcs1Signer* rsa_pkcs1_signer() const noexcept { return rsa_signer_.get(); }

private:
    PrivateKey(std::shared_ptr<gnutls_privkey_st> key, KeyType type);
    static PrivateKey wrap(gnutls_privkey_t key);  // takes ownership; works out the KeyType

    std::shared_ptr<gnutls_privkey_st> key_;
    KeyType type_;
    std::shared_ptr<const RsaPkcs1Signer> rsa_signer_;
};

}  // namespace ikev2d::crypto
