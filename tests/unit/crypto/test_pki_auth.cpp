// AUTH payload signatures: RFC 7296 method 1, RFC 4754 methods 9-11, RFC 7427 method 14.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>

#include "crypto/auth_signature.hpp"
#include "crypto/self_signed.hpp"

using namespace ikev2d;
using namespace ikev2d::crypto;
using iana::AuthMethod;
using iana::HashAlgorithm;

namespace {
std::string pki(const std::string& name) {
    const char* dir = std::getenv("IKEV2D_TEST_DATA");
    REQUIRE(dir != nullptr);
    return std::string(dir) + "/pki/" + name;
}
Certificate cert(const std::string& name) { return Certificate::load_file(pki(name)).at(0); }
PrivateKey key(const std::string& name) { return PrivateKey::load_file(pki(name)); }
Bytes hex_file(const std::string& name) {
    std::ifstream in(pki(name));
    std::string text;
    in >> text;
    return from_hex(text);
}
Bytes cat(std::initializer_list<ByteView> parts) {
    Bytes out;
    for (auto p : parts) append(out, p);
    return out;
}
Certificate self_signed_for(const PrivateKey& k) {
    SelfSignedOptions o;
    o.identities = {"other.example"};
    return make_self_signed(k, o);
}

// Stand-in for the RFC 7296 2.15 signed octets
const std::string kMessage = "ikev2d known-answer test: RFC 7296 AUTH octets";

struct KeyCase {
    const char* key_file;
    const char* cert_file;
    const char* other_cert_file;  // same key type, different key
    std::vector<AuthSignatureScheme> schemes;
};

const std::vector<KeyCase> kKeyCases = {
    {"gateway.key",
     "gateway.pem",
     "ca.pem",
     {{AuthMethod::RSA_SIG, HashAlgorithm::SHA1},
      {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_256},
      {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_384},
      {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_512},
      {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_256, true},
      {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_384, true},
      {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_512, true}}},
    {"client.key",
     "client.pem",
     "expired-ca.pem",
     {{AuthMethod::ECDSA_SHA256_P256, HashAlgorithm::SHA2_256},
      {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_256},
      {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_384},
      {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_512}}},
    {"inter.key",
     "inter.pem",
     nullptr,
     {{AuthMethod::ECDSA_SHA384_P384, HashAlgorithm::SHA2_384},
      {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_256},
      {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_384},
      {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_512}}},
    {"p521.key",
     "p521.pem",
     nullptr,
     {{AuthMethod::ECDSA_SHA512_P521, HashAlgorithm::SHA2_512},
      {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_256},
      {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_512}}},
    {"ed25519.key", "ed25519.pem", nullptr, {{AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::IDENTITY}}},
};
}  // namespace

TEST_CASE("sign -> verify round trip for every scheme and key type; tampering is rejected", "[pki][auth]") {
    for (const auto& kc : kKeyCases) {
        const auto k = key(kc.key_file);
        const auto signer = cert(kc.cert_file);
        const auto other =
            kc.other_cert_file ? cert(kc.other_cert_file) : self_signed_for(PrivateKey::generate(k.type()));
        for (const auto& scheme : kc.schemes) {
            INFO(kc.key_file << " " << describe(scheme));
            const Bytes auth = sign_auth(k, scheme, as_bytes(kMessage));
            const bool sha1 = scheme.hash == HashAlgorithm::SHA1;  // accepted only when allowed
            std::string why;
            CHECK(verify_auth(signer, scheme.method, auth, as_bytes(kMessage), &why, sha1));
            CHECK(why.empty());

            std::string modified = kMessage;
            modified[3] ^= 1;
            CHECK_FALSE(verify_auth(signer, scheme.method, auth, as_bytes(modified), nullptr, sha1));
            CHECK_FALSE(verify_auth(signer, scheme.method, auth, as_bytes(kMessage + "x"), nullptr, sha1));
            CHECK_FALSE(verify_auth(other, scheme.method, auth, as_bytes(kMessage), &why, sha1));
            CHECK_FALSE(why.empty());

            Bytes flipped = auth;
            flipped.back() ^= 0x01;
            CHECK_FALSE(verify_auth(signer, scheme.method, flipped, as_bytes(kMessage), nullptr, sha1));
            CHECK_FALSE(verify_auth(signer, scheme.method, ByteView(auth).first(auth.size() - 1), as_bytes(kMessage),
                                    nullptr, sha1));
            CHECK_FALSE(verify_auth(signer, scheme.method, {}, as_bytes(kMessage), nullptr, sha1));
        }
    }
}

TEST_CASE("classic ECDSA AUTH data is r|s at the curve's size (RFC 4754 7)", "[pki][auth]") {
    CHECK(sign_auth(key("client.key"), {AuthMethod::ECDSA_SHA256_P256, HashAlgorithm::SHA2_256}, as_bytes(kMessage))
              .size() == 64);
    CHECK(sign_auth(key("inter.key"), {AuthMethod::ECDSA_SHA384_P384, HashAlgorithm::SHA2_384}, as_bytes(kMessage))
              .size() == 96);
    CHECK(sign_auth(key("p521.key"), {AuthMethod::ECDSA_SHA512_P521, HashAlgorithm::SHA2_512}, as_bytes(kMessage))
              .size() == 132);
    // Many signatures, so that r or s with leading zero octets are exercised too
    const auto k = key("client.key");
    const auto c = cert("client.pem");
    for (int i = 0; i < 200; ++i) {
        const std::string m = kMessage + std::to_string(i);
        const Bytes auth = sign_auth(k, {AuthMethod::ECDSA_SHA256_P256, HashAlgorithm::SHA2_256}, as_bytes(m));
        REQUIRE(auth.size() == 64);
        REQUIRE(verify_auth(c, AuthMethod::ECDSA_SHA256_P256, auth, as_bytes(m)));
    }
}

TEST_CASE("RFC 7427 AlgorithmIdentifiers are the published encodings", "[pki][auth]") {
    const auto prefix = [](const PrivateKey& k, AuthSignatureScheme s) {
        const Bytes auth = sign_auth(k, s, as_bytes(kMessage));
        REQUIRE(auth.size() > 1u + auth[0]);
        return to_hex(ByteView(auth).first(1u + auth[0]));
    };
    const auto rsa = key("gateway.key");
    // RFC 7427 Appendix A.1.2 sha256WithRSAEncryption, A.1.3 sha384..., A.1.4 sha512...
    CHECK(prefix(rsa, {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_256}) == "0f300d06092a864886f70d01010b0500");
    CHECK(prefix(rsa, {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_384}) == "0f300d06092a864886f70d01010c0500");
    CHECK(prefix(rsa, {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_512}) == "0f300d06092a864886f70d01010d0500");
    // RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32: the [ALGORITHM] of Chromium's
    // net/data/verify_signed_data_unittest/rsa-pss-sha256-using-pss-key-with-params.pem
    CHECK(
        prefix(rsa, {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_256, true}) ==
        "43304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d0609608648"
        "0165030402010500a203020120");
    const auto ec = key("client.key");
    // RFC 7427 Appendix A.3.1 ecdsa-with-sha256, A.3.2 sha384, A.3.3 sha512
    CHECK(prefix(ec, {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_256}) == "0c300a06082a8648ce3d040302");
    CHECK(prefix(ec, {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_384}) == "0c300a06082a8648ce3d040303");
    CHECK(prefix(ec, {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_512}) == "0c300a06082a8648ce3d040304");
    // RFC 8420 / RFC 8410 3: id-Ed25519 with absent parameters
    CHECK(prefix(key("ed25519.key"), {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::IDENTITY}) == "07300506032b6570");
}

TEST_CASE("RSA PKCS#1 v1.5 known answers (computed independently, see data/pki/kat.py)", "[pki][auth]") {
    // certtool -k --infile gateway.key | python3 kat.py  (hashlib + pow() over the key's n and d)
    const auto k = key("gateway.key");
    const auto c = cert("gateway.pem");
    const Bytes sha1_sig = hex_file("kat-rsa-sha1.hex");
    const Bytes sha256_sig = hex_file("kat-rsa-sha256.hex");
    REQUIRE(sha1_sig.size() == 256);
    REQUIRE(sha256_sig.size() == 256);

    CHECK(sign_auth(k, {AuthMethod::RSA_SIG, HashAlgorithm::SHA1}, as_bytes(kMessage)) == sha1_sig);
    const Bytes method14 = cat({from_hex("0f300d06092a864886f70d01010b0500"), sha256_sig});
    CHECK(sign_auth(k, {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_256}, as_bytes(kMessage)) == method14);
    CHECK(verify_auth(c, AuthMethod::RSA_SIG, sha1_sig, as_bytes(kMessage), nullptr, true));
    CHECK(verify_auth(c, AuthMethod::DIGITAL_SIGNATURE, method14, as_bytes(kMessage)));
    // The SHA-256 signature is not a valid method-1 (SHA-1) signature and vice versa
    CHECK_FALSE(verify_auth(c, AuthMethod::RSA_SIG, sha256_sig, as_bytes(kMessage), nullptr, true));
    CHECK_FALSE(verify_auth(c, AuthMethod::DIGITAL_SIGNATURE,
                            cat({from_hex("0f300d06092a864886f70d01010b0500"), sha1_sig}), as_bytes(kMessage), nullptr,
                            true));
}

TEST_CASE("SHA-1 client signatures are refused unless allowed (method 1 and RFC 7427)", "[pki][auth]") {
    const auto c = cert("gateway.pem");
    const Bytes sha1_sig = hex_file("kat-rsa-sha1.hex");  // valid PKCS#1 v1.5 SHA-1 signature of kMessage
    // sha1WithRSAEncryption AlgorithmIdentifier (RFC 7427 A.1 form) + the same signature
    const Bytes method14_sha1 = cat({from_hex("0f300d06092a864886f70d0101050500"), sha1_sig});
    std::string why;
    CHECK_FALSE(verify_auth(c, AuthMethod::RSA_SIG, sha1_sig, as_bytes(kMessage), &why));
    CHECK(why.find("SHA-1") != std::string::npos);
    CHECK_FALSE(verify_auth(c, AuthMethod::DIGITAL_SIGNATURE, method14_sha1, as_bytes(kMessage)));
    CHECK(verify_auth(c, AuthMethod::RSA_SIG, sha1_sig, as_bytes(kMessage), nullptr, true));
    CHECK(verify_auth(c, AuthMethod::DIGITAL_SIGNATURE, method14_sha1, as_bytes(kMessage), nullptr, true));
    // ECDSA with SHA-1 (ecdsa-with-SHA1 in method 14) likewise
    const auto p256 = key("client.key");
    const auto p256_cert = cert("client.pem");
    const Bytes ecdsa_sha1 = sign_auth(p256, {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA1}, as_bytes(kMessage));
    CHECK_FALSE(verify_auth(p256_cert, AuthMethod::DIGITAL_SIGNATURE, ecdsa_sha1, as_bytes(kMessage)));
    CHECK(verify_auth(p256_cert, AuthMethod::DIGITAL_SIGNATURE, ecdsa_sha1, as_bytes(kMessage), nullptr, true));
}

TEST_CASE("signatures made by another implementation verify (data/pki/kat-verify.txt)", "[pki][auth]") {
    // python3 kat_verify.py (python "cryptography"), over kMessage
    std::map<std::string, Bytes> sample;
    std::ifstream in(pki("kat-verify.txt"));
    for (std::string name, hex; in >> name >> hex;) sample[name] = from_hex(hex);
    REQUIRE(sample.size() == 4);
    const auto m = as_bytes(kMessage);
    CHECK(verify_auth(cert("client.pem"), AuthMethod::ECDSA_SHA256_P256, sample["method9-client"], m));
    CHECK(verify_auth(cert("p521.pem"), AuthMethod::ECDSA_SHA512_P521, sample["method11-p521"], m));
    CHECK(verify_auth(cert("client.pem"), AuthMethod::DIGITAL_SIGNATURE, sample["method14-client-sha384"], m));
    CHECK(verify_auth(cert("gateway.pem"), AuthMethod::DIGITAL_SIGNATURE, sample["method14-gateway-pss256"], m));
    // and not over anything else
    const auto other = as_bytes(std::string_view("another message"));
    for (const auto& [name, data] : sample) {
        INFO(name);
        CHECK_FALSE(verify_auth(cert("client.pem"), AuthMethod::ECDSA_SHA256_P256, data, other));
        CHECK_FALSE(verify_auth(cert("gateway.pem"), AuthMethod::DIGITAL_SIGNATURE, data, other));
    }
}

TEST_CASE("Ed25519 known answers from RFC 8032 7.1 in RFC 8420 AUTH form", "[pki][auth]") {
    struct Vector {
        const char *secret, *pub, *message, *signature;
    };
    // RFC 8032 section 7.1, TEST 1 and TEST 2
    const Vector vectors[] = {
        {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bb"
         "e24655141438e7a100b"},
        {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302"
         "aeeb00d291612bb0c00"},
    };
    for (const auto& v : vectors) {
        // OneAsymmetricKey for Ed25519 (RFC 8410 7): fixed header, then the 32-byte secret
        const auto k =
            PrivateKey::from_pem_or_der(cat({from_hex("302e020100300506032b657004220420"), from_hex(v.secret)}));
        REQUIRE(k.type() == KeyType::ED25519);
        // SubjectPublicKeyInfo (RFC 8410 4): fixed header, then the 32-byte public key
        CHECK(to_hex(k.public_key_der()) == std::string("302a300506032b6570032100") + v.pub);
        const Bytes message = from_hex(v.message);
        const Bytes expected = cat({from_hex("07300506032b6570"), from_hex(v.signature)});
        CHECK(sign_auth(k, {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::IDENTITY}, message) == expected);
        CHECK(verify_auth(self_signed_for(k), AuthMethod::DIGITAL_SIGNATURE, expected, message));
    }
}

TEST_CASE("verify rejects methods and algorithms that do not fit the certificate's key", "[pki][auth]") {
    const auto rsa_cert = cert("gateway.pem");
    const auto p256_cert = cert("client.pem");
    const auto p384_cert = cert("inter.pem");
    const auto ed_cert = cert("ed25519.pem");
    const Bytes rsa_sig = sign_auth(key("gateway.key"), {AuthMethod::RSA_SIG, HashAlgorithm::SHA1}, as_bytes(kMessage));
    const Bytes p256_raw =
        sign_auth(key("client.key"), {AuthMethod::ECDSA_SHA256_P256, HashAlgorithm::SHA2_256}, as_bytes(kMessage));
    const Bytes p256_m14 =
        sign_auth(key("client.key"), {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_256}, as_bytes(kMessage));
    std::string why;
    CHECK_FALSE(verify_auth(p256_cert, AuthMethod::RSA_SIG, rsa_sig, as_bytes(kMessage), &why));
    CHECK_THAT(why, Catch::Contains("certificate"));
    CHECK_FALSE(verify_auth(rsa_cert, AuthMethod::ECDSA_SHA256_P256, p256_raw, as_bytes(kMessage)));
    CHECK_FALSE(verify_auth(p384_cert, AuthMethod::ECDSA_SHA256_P256, p256_raw, as_bytes(kMessage)));  // wrong curve
    CHECK_FALSE(verify_auth(p256_cert, AuthMethod::ECDSA_SHA384_P384, p256_raw, as_bytes(kMessage)));
    CHECK_FALSE(verify_auth(rsa_cert, AuthMethod::DIGITAL_SIGNATURE, p256_m14, as_bytes(kMessage), &why));
    CHECK_THAT(why, Catch::Contains("does not fit"));
    CHECK_FALSE(verify_auth(ed_cert, AuthMethod::DIGITAL_SIGNATURE, p256_m14, as_bytes(kMessage)));
    CHECK_FALSE(verify_auth(p256_cert, AuthMethod::SHARED_KEY, p256_raw, as_bytes(kMessage)));
    CHECK_FALSE(verify_auth(p256_cert, AuthMethod::DSS_SIG, p256_raw, as_bytes(kMessage)));
    // ECDSA in method 14 carries a DER signature, not r|s
    CHECK_FALSE(verify_auth(p256_cert, AuthMethod::DIGITAL_SIGNATURE,
                            cat({from_hex("0c300a06082a8648ce3d040302"), p256_raw}), as_bytes(kMessage)));
}

TEST_CASE("verify rejects truncated or garbled RFC 7427 AlgorithmIdentifiers", "[pki][auth]") {
    const auto k = key("gateway.key");
    const auto c = cert("gateway.pem");
    const Bytes good = sign_auth(k, {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_256}, as_bytes(kMessage));
    REQUIRE(verify_auth(c, AuthMethod::DIGITAL_SIGNATURE, good, as_bytes(kMessage)));
    const ByteView sig = ByteView(good).subspan(16);
    const auto verify = [&](const Bytes& auth) {
        std::string why;
        const bool ok = verify_auth(c, AuthMethod::DIGITAL_SIGNATURE, auth, as_bytes(kMessage), &why);
        if (!ok) CHECK_FALSE(why.empty());
        return ok;
    };
    const auto with_alg = [&](const char* hex_len_and_alg) { return cat({from_hex(hex_len_and_alg), sig}); };

    CHECK_FALSE(verify(Bytes{0x0f}));                                        // length only
    CHECK_FALSE(verify(Bytes(good.begin(), good.begin() + 16)));             // no signature
    CHECK_FALSE(verify(Bytes(good.begin(), good.begin() + 10)));             // AlgorithmIdentifier cut
    CHECK_FALSE(verify(with_alg("00")));                                     // zero length
    CHECK_FALSE(verify(cat({Bytes{0xff}, ByteView(good).subspan(1, 20)})));  // length beyond the data
    CHECK_FALSE(verify(with_alg("0e300d06092a864886f70d01010b05")));         // length one short
    CHECK_FALSE(verify(with_alg("0f300e06092a864886f70d01010b0500")));       // SEQUENCE longer than its content
    CHECK_FALSE(verify(with_alg("0f310d06092a864886f70d01010b0500")));       // SET, not SEQUENCE
    CHECK_FALSE(verify(with_alg("0f300d06092a864886f70d01010b0400")));       // OCTET STRING parameters
    CHECK_FALSE(verify(with_alg("11300f06092a864886f70d01010b05000500")));   // trailing element
    CHECK_FALSE(verify(with_alg("0f300d06092a864886f70d0101ff0500")));       // unknown PKCS#1 arc
    CHECK_FALSE(verify(with_alg("0f300d06092a864886f70d01010c0500")));       // says SHA-384, signed SHA-256
    CHECK_FALSE(verify(with_alg("0f308d06092a864886f70d01010b0500")));       // indefinite/odd length form
    CHECK_FALSE(verify(with_alg("0f300d0609ffffffffffffffffff0500")));       // unknown OID
    CHECK(verify(with_alg("0d300b06092a864886f70d01010b")));                 // absent parameters: accepted

    // RSASSA-PSS parameter variants: only MGF1 with the same hash and salt = hash length
    const Bytes pss = sign_auth(k, {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_256, true}, as_bytes(kMessage));
    REQUIRE(verify(pss));
    const ByteView pss_sig = ByteView(pss).subspan(1 + pss[0]);
    // salt 10 (Chromium rsa-pss-sha256-salt10 [ALGORITHM])
    CHECK_FALSE(
        verify(cat({from_hex("43304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a86"
                             "4886f70d010108300d06096086480165030402010500a20302010a"),
                    pss_sig})));
    // MGF1 with SHA-384
    CHECK_FALSE(
        verify(cat({from_hex("43304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a86"
                             "4886f70d010108300d06096086480165030402020500a203020120"),
                    pss_sig})));
    // no parameters at all (the SHA-1 defaults)
    CHECK_FALSE(verify(cat({from_hex("0d300b06092a864886f70d01010a"), pss_sig})));
    // the PSS signature under the PKCS#1 v1.5 identifier, and the reverse
    CHECK_FALSE(verify(cat({from_hex("0f300d06092a864886f70d01010b0500"), pss_sig})));
    CHECK_FALSE(verify(cat({ByteView(pss).first(1 + pss[0]), sig})));

    // Every truncation of a valid AUTH payload fails cleanly
    for (std::size_t n = 0; n < pss.size(); ++n) CHECK_FALSE(verify(Bytes(pss.begin(), pss.begin() + n)));
}

TEST_CASE("choose_auth_scheme follows SIGNATURE_HASH_ALGORITHMS", "[pki][auth]") {
    const auto rsa = key("gateway.key");
    const auto p256 = key("client.key");
    const auto p384 = key("inter.key");
    const auto p521 = key("p521.key");
    const auto ed = key("ed25519.key");
    using S = AuthSignatureScheme;
    // Peer did not send the notify: classic methods
    CHECK(choose_auth_scheme(rsa, {}) == S{AuthMethod::RSA_SIG, HashAlgorithm::SHA1});
    CHECK(choose_auth_scheme(p256, {}) == S{AuthMethod::ECDSA_SHA256_P256, HashAlgorithm::SHA2_256});
    CHECK(choose_auth_scheme(p384, {}) == S{AuthMethod::ECDSA_SHA384_P384, HashAlgorithm::SHA2_384});
    CHECK(choose_auth_scheme(p521, {}) == S{AuthMethod::ECDSA_SHA512_P521, HashAlgorithm::SHA2_512});
    CHECK(choose_auth_scheme(ed, {}) == S{AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::IDENTITY});

    const std::vector<HashAlgorithm> all{HashAlgorithm::SHA1, HashAlgorithm::SHA2_256, HashAlgorithm::SHA2_384,
                                         HashAlgorithm::SHA2_512, HashAlgorithm::IDENTITY};
    CHECK(choose_auth_scheme(rsa, all) == S{AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_256});
    CHECK(choose_auth_scheme(rsa, all, true) == S{AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_256, true});
    CHECK(choose_auth_scheme(rsa, {HashAlgorithm::SHA2_512}) ==
          S{AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_512});
    CHECK(choose_auth_scheme(rsa, {HashAlgorithm::SHA1}) == S{AuthMethod::RSA_SIG, HashAlgorithm::SHA1});
    CHECK(choose_auth_scheme(p384, all) == S{AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_384});
    CHECK(choose_auth_scheme(p384, {HashAlgorithm::SHA2_256}) ==
          S{AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_256});
    CHECK(choose_auth_scheme(p256, {HashAlgorithm::IDENTITY}) ==
          S{AuthMethod::ECDSA_SHA256_P256, HashAlgorithm::SHA2_256});
    CHECK(choose_auth_scheme(ed, all) == S{AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::IDENTITY});

    // Whatever is chosen can be signed and verified
    for (const auto* k : {&rsa, &p256, &p384, &p521, &ed})
        for (const auto& peer : {std::vector<HashAlgorithm>{}, all}) {
            const auto scheme = choose_auth_scheme(*k, peer);
            const Bytes auth = sign_auth(*k, scheme, as_bytes(kMessage));
            CHECK(verify_auth(self_signed_for(*k), scheme.method, auth, as_bytes(kMessage), nullptr,
                              scheme.hash == HashAlgorithm::SHA1));
        }
}

TEST_CASE("sign_auth refuses schemes that do not fit the key", "[pki][auth]") {
    const auto rsa = key("gateway.key");
    const auto p256 = key("client.key");
    const auto ed = key("ed25519.key");
    const auto m = as_bytes(kMessage);
    CHECK_THROWS_AS(sign_auth(rsa, {AuthMethod::ECDSA_SHA256_P256, HashAlgorithm::SHA2_256}, m), CryptoError);
    CHECK_THROWS_AS(sign_auth(p256, {AuthMethod::ECDSA_SHA384_P384, HashAlgorithm::SHA2_384}, m), CryptoError);
    CHECK_THROWS_AS(sign_auth(p256, {AuthMethod::RSA_SIG, HashAlgorithm::SHA1}, m), CryptoError);
    CHECK_THROWS_AS(sign_auth(p256, {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_256, true}, m), CryptoError);
    CHECK_THROWS_AS(sign_auth(rsa, {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::IDENTITY}, m), CryptoError);
    CHECK_THROWS_AS(sign_auth(ed, {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::SHA2_256}, m), CryptoError);
    CHECK_THROWS_AS(sign_auth(rsa, {AuthMethod::SHARED_KEY, HashAlgorithm::SHA2_256}, m), CryptoError);
}

TEST_CASE("supported_signature_hashes: SHA-2 and Identity, no SHA-1 (RFC 8247 3.2)", "[pki][auth]") {
    const auto h = supported_signature_hashes();
    CHECK(h == std::vector<HashAlgorithm>{HashAlgorithm::SHA2_256, HashAlgorithm::SHA2_384, HashAlgorithm::SHA2_512,
                                          HashAlgorithm::IDENTITY});
}
