// RSASSA-PKCS1-v1_5 signing through RsaPkcs1Signer (crypto/rsa_signer.hpp): NIST known
// answers, the same signatures across blinding renewals and threads, and GnuTLS's verdict.
#include <gnutls/x509.h>

#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "crypto/auth_signature.hpp"
#include "crypto/private_key.hpp"
#include "crypto/self_signed.hpp"

using namespace ikev2d;
using namespace ikev2d::crypto;
using iana::AuthMethod;
using iana::HashAlgorithm;

namespace {

// NIST CAVP, CAVS 11.4 "SigGen PKCS#1 Ver 1.5" (FIPS 186-2), SigGen15_186-2.txt, [mod = 2048]:
// n, e, d and the first SHA-256 and SHA-1 messages with their signatures S.
const char* const kN =
    "e0b14b99cd61cd3db9c2076668841324fa3174f33ce66ffd514394d34178d29a49493276b6777233e7d46a3e68bc7ca7"
    "e899e901d54f6dee0749c3e48ddf68685867ee2ae66df88eb563f6db137a9f6b175a112e0eda8368e88e45efe1ce14bc"
    "6016d52639627066af1872c72f60b9161c1d237eeb34b0f841b3f0896f9fe0e16b0f74352d101292cc464a7e7861bbeb"
    "86f6df6151cb265417c66c565ed8974bd8fc984d5ddfd4eb91a3d5234ce1b5467f3ade375f802ec07293f1236efa3068"
    "bc91b158551c875c5dc0a9d6fa321bf9421f08deac910e35c1c28549ee8eed8330cf70595ff70b94b49907e27698a9d9"
    "11f7ac0706afcb1a4a39feb38b0a8049";
const char* const kD =
    "1dbca92e4245c2d57bfba76210cc06029b502753b7c821a32b799fbd33c98b49db10226b1eac0143c8574ef652833b96"
    "374d034ef84daa5559c693f3f028d49716b82e87a3f682f25424563bd9409dcf9d08110500f73f74076f28e75e0199b1"
    "f29fa2f70b9a31190dec54e872a740e7a1b1e38c3d11bca8267deb842cef4262237ac875725068f32563b478aca8d6a9"
    "9f34cb8876b97145b2e8529ec8adea83ead4ec63e3ff2d17a2ffefb05c902ca7a92168378c89f75c928fc4f0707e4348"
    "7a4f47df70cae87e24272c136d3e98cf59066d41a3d038857d073d8b4d2c27b8f0ea6bfa50d263091a4a18c63f446bc9"
    "a61e8c4a688347b2435ec8e72eddaea7";
const char* const kMsgSha256 =
    "6504921a97cd57aa8f3863dc32e1f2d0b57aff63106e59f6afc3f9726b459388bae16b3e224f6aa7f4f471f13606eda6"
    "e1f1ac2b4df9ef8de921c07c2f4c8598d7a3d6ec4b368cb85ce61a74338221118a303e821c0f277b591af6795f50c402"
    "26127a2efacce4662fd7076c109eb59b18005e7165f6294a6976436ee397774e";
const char* const kSigSha256 =
    "335ffadc0b1b8bd2b1eb670dd246e76dcccdc955a1687a15f74aa3e1596ebd43e607c640525f89dda95809cfd065f1be"
    "4e4a249477d24f400d4d4c9438a0af95b26b28b416e42aa950e2a52851b52132048f1b1ce944322fc99c1aabb49b7fae"
    "4c2f0fef674b50adee3bbb5c6c33822b608e4b9577275ca20c710af9fc41b1c01d9c0ff6f0d8324dc08e1a76e232d8fe"
    "aa06c73bbf64053bea35f1c528b2722764822ef1ff06246e75a9a22a10da4ea84fc2441bea24b35506f8447fcf69093c"
    "5d21ab0305cce2c7ea9ffac357c664b491fc55f2919ec490c38accbab378c252ac2df3845acff575ec7524cd2f586cca"
    "1497c74f24b299d6d6254c8cdb1d227d";
const char* const kMsgSha1 =
    "544be0a4044edcdc1240f2182109f826d784ea613486dfd5221d3ba44d1525a934c13c5a81f885f3955da8d168e35d1b"
    "909121a89f832d1db232a85647f51c084fc727a4854a737efd0ce72e00091f3617721ae666ad337d3b9d5391e72364b1"
    "cde50948b84e8cc472d618f8928328bf95af3fe3300dda3de5e7a21dd5a9e7ec";
const char* const kSigSha1 =
    "d0d03ccb3b30b7c9c4d6eeee2ec26d069246e019fb8fa2f3a9b72c9bbe231d93ce053df805a045e2ef6bd8d08bfb0c36"
    "922e5a6f10b947b2607f596b6cbd3c9eefef56f5396805e8b28b1ca182c78c0b12b9796aa856af69c35504f8acc7afa7"
    "4bc0f77a1d61da94944057a9ee72d2f0a96cbaa2f64676f5318b71e56f519d0da1ce8f42db0ebe5045fcc726e39fb003"
    "2f2287918f9190f3fb3d4de542030441f6736c6205a2bcd2450eb411085311c7320baa4268fd2fd8bcc8ebfddbb60740"
    "cff0b3b00f618777ebcfb3468f309d923c957c8170727a5458ac2c9070f93cfc37d31cf9f1a35d0cc3abf25af8dc9e15"
    "90ce59ab39d01cf0c154ab8d0635c5e9";
// p and q are not in the file: factored out of (n, e, d) (RFC 8017 / SP 800-56B C.2);
// the test checks p * q == n before using them.
const char* const kP =
    "f55608a0bbf228a3cac2075fcd51cee8dd66fe482592b5bc43052d21f2a585a9e662c4d2f8c31b9983c56aea0ee6065c"
    "2b7dba1b9e4c0b25c258c0ba29f9a20d832d8140c131778f7a5371cc8d02ea0b0827fa9e48b890446289fb9dc266b0e1"
    "126047d25e68b603e6c7b47070847dc829e431ba4b46f5b0ae47a9f54c6df2ab";
const char* const kQ =
    "ea758d47882feccf4826a11d4e808fa02138144caf142e3591d7e25c91b8dec869145dd9ce604bdaad61a9d5b59f34ab"
    "151741638730ecc38df0711dfa70da6cb58ddba0bae1fa3561f2f20ae3a85a711a05828288109eb69b1226b12f057c5e"
    "554ad041539df3b5558d59c062a5f22f47c9bc9796a0c604e2f936fa5fb3b8db";

gnutls_datum_t datum(const Bytes& b) { return {const_cast<unsigned char*>(b.data()), static_cast<unsigned>(b.size())}; }

// The NIST key through GnuTLS (PKCS#1 DER), as a configured key file would arrive.
PrivateKey nist_key() {
    const Bytes n = from_hex(kN), e = from_hex("010001"), d = from_hex(kD), p = from_hex(kP), q = from_hex(kQ);
    // p and q really are n's factors (so the key is NIST's, not something made up here).
    gnutls_x509_privkey_t x = nullptr;
    REQUIRE(gnutls_x509_privkey_init(&x) == 0);
    gnutls_datum_t dn = datum(n), de = datum(e), dd = datum(d), dp = datum(p), dq = datum(q);
    REQUIRE(gnutls_x509_privkey_import_rsa_raw2(x, &dn, &de, &dd, &dp, &dq, nullptr, nullptr, nullptr) == 0);
    REQUIRE(gnutls_x509_privkey_verify_params(x) == 0);  // checks n = p * q, d * e = 1 mod lambda
    gnutls_datum_t der{};
    REQUIRE(gnutls_x509_privkey_export2(x, GNUTLS_X509_FMT_DER, &der) == 0);
    Bytes bytes(der.data, der.data + der.size);
    gnutls_free(der.data);
    gnutls_x509_privkey_deinit(x);
    return PrivateKey::from_pem_or_der(bytes);
}

Bytes sign_rsa(const PrivateKey& k, HashAlgorithm h, ByteView message) {
    // RSA_SIG (method 1) is PKCS#1 v1.5 with SHA-1; RFC 7427 prefixes an AlgorithmIdentifier.
    if (h == HashAlgorithm::SHA1) return sign_auth(k, {AuthMethod::RSA_SIG, HashAlgorithm::SHA1}, message);
    const Bytes auth = sign_auth(k, {AuthMethod::DIGITAL_SIGNATURE, h}, message);
    return Bytes(auth.begin() + 1 + auth[0], auth.end());
}

}  // namespace

TEST_CASE("RSA keys sign through RsaPkcs1Signer; other keys do not have one", "[pki][rsa]") {
    CHECK(nist_key().rsa_pkcs1_signer() != nullptr);
    CHECK(PrivateKey::generate(KeyType::ECDSA_P256).rsa_pkcs1_signer() == nullptr);
}

TEST_CASE("RSA-2048 PKCS#1 v1.5 known answers (NIST CAVP SigGen15_186-2)", "[pki][rsa]") {
    const PrivateKey k = nist_key();
    CHECK(to_hex(sign_rsa(k, HashAlgorithm::SHA2_256, from_hex(kMsgSha256))) == kSigSha256);
    CHECK(to_hex(sign_rsa(k, HashAlgorithm::SHA1, from_hex(kMsgSha1))) == kSigSha1);
    // Directly, too.
    CHECK(to_hex(k.rsa_pkcs1_signer()->sign(HashAlgorithm::SHA2_256, from_hex(kMsgSha256))) == kSigSha256);
}

TEST_CASE("RSA signatures stay right across blinding renewals and concurrent signers", "[pki][rsa]") {
    const PrivateKey k = nist_key();
    const Bytes msg = from_hex(kMsgSha256);
    // Three draws of the blinding pair and the squarings between them.
    for (unsigned i = 0; i < 3 * RsaPkcs1Signer::kBlindingUses + 1; ++i)
        REQUIRE(to_hex(k.rsa_pkcs1_signer()->sign(HashAlgorithm::SHA2_256, msg)) == kSigSha256);
    std::vector<std::thread> threads;
    std::vector<int> wrong(4, 0);
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (unsigned i = 0; i < RsaPkcs1Signer::kBlindingUses; ++i)
                if (to_hex(k.rsa_pkcs1_signer()->sign(HashAlgorithm::SHA2_256, msg)) != kSigSha256) ++wrong[t];
        });
    for (auto& t : threads) t.join();
    CHECK(wrong == std::vector<int>(4, 0));
}

TEST_CASE("RSA signatures of every PKCS#1 v1.5 hash verify with GnuTLS; others are refused", "[pki][rsa]") {
    const PrivateKey k = PrivateKey::generate(KeyType::RSA, 2048);
    SelfSignedOptions o;
    o.identities = {"rsa.example"};
    const Certificate c = make_self_signed(k, o);
    const Bytes msg = from_hex("0102030405060708090a");
    for (auto h : {HashAlgorithm::SHA2_256, HashAlgorithm::SHA2_384, HashAlgorithm::SHA2_512}) {
        const Bytes auth = sign_auth(k, {AuthMethod::DIGITAL_SIGNATURE, h}, msg);
        CHECK(verify_auth(c, AuthMethod::DIGITAL_SIGNATURE, auth, msg));
        Bytes tampered = auth;
        tampered.back() ^= 1;
        CHECK_FALSE(verify_auth(c, AuthMethod::DIGITAL_SIGNATURE, tampered, msg));
    }
    CHECK(verify_auth(c, AuthMethod::RSA_SIG, sign_rsa(k, HashAlgorithm::SHA1, msg), msg, nullptr, true));
    CHECK_THROWS_AS(k.rsa_pkcs1_signer()->sign(HashAlgorithm::IDENTITY, msg), CryptoError);
}
