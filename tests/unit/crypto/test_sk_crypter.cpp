// SK payload protection: known answers through open(), round trips for every
// algorithm, and rejection of tampered, truncated or badly padded bodies.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "crypto/aead_cipher.hpp"
#include "crypto/algorithms.hpp"
#include "crypto/cbc_cipher.hpp"
#include "crypto/integrity.hpp"
#include "crypto/sk_crypter.hpp"

using namespace ikev2d;
using namespace ikev2d::crypto;
using iana::EncrId;
using iana::IntegId;

namespace {

struct Suite {
    EncrId encr;
    std::uint16_t key_bits;
    IntegId integ;
};

const Suite kSuites[] = {
    {EncrId::AES_CBC, 128, IntegId::HMAC_SHA1_96},       {EncrId::AES_CBC, 128, IntegId::HMAC_SHA2_256_128},
    {EncrId::AES_CBC, 192, IntegId::HMAC_SHA2_384_192},  {EncrId::AES_CBC, 256, IntegId::HMAC_SHA2_256_128},
    {EncrId::AES_CBC, 256, IntegId::HMAC_SHA2_512_256},  {EncrId::TRIPLE_DES, 0, IntegId::HMAC_SHA1_96},
    {EncrId::TRIPLE_DES, 192, IntegId::HMAC_SHA2_256_128}, {EncrId::AES_GCM_16, 128, IntegId::NONE},
    {EncrId::AES_GCM_16, 192, IntegId::NONE},            {EncrId::AES_GCM_16, 256, IntegId::NONE},
    {EncrId::CHACHA20_POLY1305, 0, IntegId::NONE},       {EncrId::CHACHA20_POLY1305, 256, IntegId::NONE},
};

Bytes pattern(std::size_t n, std::uint8_t seed) {
    Bytes out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(seed + 7 * i);
    return out;
}

const Bytes kAssociated = from_hex("0011223344556677 8899aabbccddeeff 2e202308 00000001 000000a0 2100 0084");

}  // namespace

TEST_CASE("SkCrypter sizes follow RFC 7296, RFC 5282 and RFC 7634", "[crypto][sk]") {
    auto cbc = SkCrypter::create(EncrId::AES_CBC, 256, IntegId::HMAC_SHA2_256_128);
    REQUIRE(cbc);
    CHECK_FALSE(cbc->is_aead());
    CHECK(cbc->encr_key_size() == 32);
    CHECK(cbc->integ_key_size() == 32);
    CHECK(cbc->iv_size() == 16);
    CHECK(cbc->icv_size() == 16);
    CHECK(cbc->sealed_size(0) == 16 + 16 + 16);
    CHECK(cbc->sealed_size(15) == 16 + 16 + 16);
    CHECK(cbc->sealed_size(16) == 16 + 32 + 16);

    auto gcm = SkCrypter::create(EncrId::AES_GCM_16, 128, IntegId::NONE);
    REQUIRE(gcm);
    CHECK(gcm->is_aead());
    CHECK(gcm->encr_key_size() == 16 + 4);
    CHECK(gcm->integ_key_size() == 0);
    CHECK(gcm->iv_size() == 8);
    CHECK(gcm->icv_size() == 16);
    CHECK(gcm->sealed_size(10) == 8 + 11 + 16);

    auto chacha = SkCrypter::create(EncrId::CHACHA20_POLY1305, 0, IntegId::NONE);
    REQUIRE(chacha);
    CHECK(chacha->encr_key_size() == 32 + 4);

    auto tdes = SkCrypter::create(EncrId::TRIPLE_DES, 0, IntegId::HMAC_SHA1_96);
    REQUIRE(tdes);
    CHECK(tdes->encr_key_size() == 24);
    CHECK(tdes->iv_size() == 8);
    CHECK(tdes->sealed_size(7) == 8 + 8 + 12);

    CHECK(esp_encr_keymat_size(EncrId::AES_GCM_16, 256) == 36);
    CHECK(esp_encr_keymat_size(EncrId::CHACHA20_POLY1305, 0) == 36);
    CHECK(esp_encr_keymat_size(EncrId::AES_CBC, 128) == 16);
    CHECK(esp_encr_keymat_size(EncrId::AES_CBC, 0) == 0);
    REQUIRE(encr_info(EncrId::AES_GCM_16));
    CHECK(encr_info(EncrId::AES_GCM_16)->key_length_attribute);
    CHECK_FALSE(encr_info(EncrId::CHACHA20_POLY1305)->key_length_attribute);
    CHECK(encr_info(EncrId::DES) == nullptr);
}

TEST_CASE("SkCrypter refuses invalid combinations", "[crypto][sk]") {
    CHECK_FALSE(SkCrypter::create(EncrId::AES_GCM_16, 128, IntegId::HMAC_SHA2_256_128));
    CHECK_FALSE(SkCrypter::create(EncrId::AES_CBC, 128, IntegId::NONE));
    CHECK_FALSE(SkCrypter::create(EncrId::AES_CBC, 0, IntegId::HMAC_SHA1_96));
    CHECK_FALSE(SkCrypter::create(EncrId::AES_CBC, 100, IntegId::HMAC_SHA1_96));
    CHECK_FALSE(SkCrypter::create(EncrId::CHACHA20_POLY1305, 128, IntegId::NONE));
    CHECK_FALSE(SkCrypter::create(EncrId::DES, 64, IntegId::HMAC_SHA1_96));
    CHECK_FALSE(SkCrypter::create(EncrId::AES_CBC, 128, IntegId::HMAC_MD5_96));
}

TEST_CASE("AES-GCM SK body opens to the GCM spec test case 4 plaintext", "[crypto][sk]") {
    // GCM spec test case 4 as an SK body: salt = cafebabe, IV = facedbaddecaf888, AAD = A.
    // Its plaintext ends in 0x39, read as a pad length of 57: 60 - 1 - 57 = 2 bytes remain.
    auto sk = SkCrypter::create(EncrId::AES_GCM_16, 128, IntegId::NONE);
    REQUIRE(sk);
    const Bytes key = from_hex("feffe9928665731c6d6a8f9467308308 cafebabe");
    const Bytes aad = from_hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    const Bytes body = from_hex(
        "facedbaddecaf888"
        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac97"
        "3d58e091"
        "5bc94fbc3221a5db94fae95ae7121a47");
    auto plain = sk->open(key, {}, aad, body);
    REQUIRE(plain);
    CHECK(to_hex(*plain) == "d931");
}

TEST_CASE("ChaCha20-Poly1305 SK body opens to the RFC 8439 2.8.2 plaintext", "[crypto][sk]") {
    // RFC 7634 2: nonce = salt (last 4 key bytes, here 07000000) | IV (4041424344454647).
    // The plaintext ends in '.', a pad length of 46: 114 - 1 - 46 = 67 bytes remain.
    auto sk = SkCrypter::create(EncrId::CHACHA20_POLY1305, 0, IntegId::NONE);
    REQUIRE(sk);
    const Bytes key = from_hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f 07000000");
    const Bytes aad = from_hex("50515253c0c1c2c3c4c5c6c7");
    const Bytes body = from_hex(
        "4041424344454647"
        "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b29"
        "05d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b"
        "6116"
        "1ae10b594f09e26a7e902ecbd0600691");
    auto plain = sk->open(key, {}, aad, body);
    REQUIRE(plain);
    const std::string expected =
        std::string("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
                    "sunscreen would be it.")
            .substr(0, 67);
    CHECK(to_hex(*plain) == to_hex(as_bytes(expected)));
}

TEST_CASE("AES-CBC SK body: ICV over associated | IV | ciphertext, then decrypt", "[crypto][sk]") {
    // NIST SP 800-38A F.2.5 (CBC-AES256) as the encrypted part; its last byte 0x10 is a
    // pad length of 16, so 64 - 1 - 16 = 47 bytes remain. The ICV is HMAC-SHA-256-128
    // (checked against RFC 4868 elsewhere) over the associated data, IV and ciphertext.
    auto sk = SkCrypter::create(EncrId::AES_CBC, 256, IntegId::HMAC_SHA2_256_128);
    REQUIRE(sk);
    const Bytes key = from_hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
    const Bytes integ_key = pattern(32, 3);
    Bytes body = from_hex(
        "000102030405060708090a0b0c0d0e0f"
        "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fc"
        "da6c19078c6a9d1b");
    Bytes authenticated = kAssociated;
    append(authenticated, body);
    append(body, Integrity::create(IntegId::HMAC_SHA2_256_128)->compute(integ_key, authenticated));

    auto plain = sk->open(key, integ_key, kAssociated, body);
    REQUIRE(plain);
    // The first 47 bytes of the SP 800-38A plaintext.
    CHECK(to_hex(*plain) ==
          "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52");
}

TEST_CASE("seal then open round-trips for every algorithm and length", "[crypto][sk]") {
    for (const auto& s : kSuites) {
        auto sk = SkCrypter::create(s.encr, s.key_bits, s.integ);
        INFO("encr " << static_cast<int>(s.encr) << " bits " << s.key_bits << " integ " << static_cast<int>(s.integ));
        REQUIRE(sk);
        const Bytes ek = pattern(sk->encr_key_size(), 0x10), ik = pattern(sk->integ_key_size(), 0x90);
        for (std::size_t len : {0u, 1u, 7u, 8u, 15u, 16u, 17u, 100u, 1000u}) {
            INFO("length " << len);
            const Bytes plaintext = pattern(len, static_cast<std::uint8_t>(len));
            Bytes body = sk->seal(ek, ik, kAssociated, plaintext);
            CHECK(body.size() == sk->sealed_size(len));
            auto opened = sk->open(ek, ik, kAssociated, body);
            REQUIRE(opened);
            CHECK(to_hex(*opened) == to_hex(plaintext));
        }
        // Fresh IVs: the same plaintext never seals to the same body.
        CHECK(sk->seal(ek, ik, kAssociated, pattern(32, 1)) != sk->seal(ek, ik, kAssociated, pattern(32, 1)));
    }
}

TEST_CASE("tampered or truncated bodies do not open", "[crypto][sk]") {
    for (const auto& s : kSuites) {
        auto sk = SkCrypter::create(s.encr, s.key_bits, s.integ);
        INFO("encr " << static_cast<int>(s.encr) << " bits " << s.key_bits << " integ " << static_cast<int>(s.integ));
        REQUIRE(sk);
        const Bytes ek = pattern(sk->encr_key_size(), 0x10), ik = pattern(sk->integ_key_size(), 0x90);
        const Bytes body = sk->seal(ek, ik, kAssociated, pattern(40, 5));
        REQUIRE(sk->open(ek, ik, kAssociated, body));

        Bytes associated = kAssociated;
        associated[17] ^= 0x01;
        CHECK_FALSE(sk->open(ek, ik, associated, body));

        const std::size_t iv_at = 0, ct_at = sk->iv_size(), icv_at = body.size() - 1;
        for (std::size_t at : {iv_at, ct_at, ct_at + 5, icv_at}) {
            Bytes tampered = body;
            tampered[at] ^= 0x40;
            CHECK_FALSE(sk->open(ek, ik, kAssociated, tampered));
        }
        for (std::size_t len : {std::size_t{0}, sk->iv_size(), sk->iv_size() + sk->icv_size(), body.size() - 1})
            CHECK_FALSE(sk->open(ek, ik, kAssociated, ByteView(body).first(len)));

        // The authenticating key: the tag for AEAD, SK_a for CBC (a wrong SK_e there
        // only yields garbage, which the ICV check has already accepted).
        if (sk->is_aead()) {
            Bytes other_key = ek;
            other_key[0] ^= 1;
            CHECK_FALSE(sk->open(other_key, ik, kAssociated, body));
        } else {
            Bytes other_key = ik;
            other_key[0] ^= 1;
            CHECK_FALSE(sk->open(ek, other_key, kAssociated, body));
        }

        CHECK_THROWS_AS(sk->seal(ByteView(ek).first(ek.size() - 1), ik, kAssociated, {}), CryptoError);
        CHECK_THROWS_AS(sk->open(ek, pattern(ik.size() + 1, 0), kAssociated, body), CryptoError);
    }
}

TEST_CASE("a pad length longer than the data is rejected", "[crypto][sk]") {
    // AEAD: 10 bytes whose pad-length byte claims 200 bytes of padding.
    auto gcm = SkCrypter::create(EncrId::AES_GCM_16, 128, IntegId::NONE);
    const Bytes ek = pattern(20, 1);
    Bytes padded(10, 0);
    padded.back() = 200;
    const Bytes iv = pattern(8, 9);
    Bytes nonce(ek.end() - 4, ek.end());
    append(nonce, iv);
    Bytes body = iv;
    append(body, aead_encrypt(EncrId::AES_GCM_16, ByteView(ek).first(16), nonce, kAssociated, padded));
    CHECK_FALSE(gcm->open(ek, {}, kAssociated, body));
    padded.back() = 9;  // exactly all of it: an empty payload list is still well-formed
    body = iv;
    append(body, aead_encrypt(EncrId::AES_GCM_16, ByteView(ek).first(16), nonce, kAssociated, padded));
    auto empty = gcm->open(ek, {}, kAssociated, body);
    REQUIRE(empty);
    CHECK(empty->empty());

    // CBC: one block whose last byte claims 16 bytes of padding, with a valid ICV.
    auto cbc = SkCrypter::create(EncrId::AES_CBC, 128, IntegId::HMAC_SHA1_96);
    const Bytes key = pattern(16, 2), ik = pattern(20, 3), cbc_iv = pattern(16, 4);
    Bytes block(16, 0);
    block.back() = 16;
    Bytes cbc_body = cbc_iv;
    append(cbc_body, cbc_encrypt(EncrId::AES_CBC, key, cbc_iv, block));
    Bytes authenticated = kAssociated;
    append(authenticated, cbc_body);
    append(cbc_body, Integrity::create(IntegId::HMAC_SHA1_96)->compute(ik, authenticated));
    CHECK_FALSE(cbc->open(key, ik, kAssociated, cbc_body));
}

TEST_CASE("max_plaintext is the largest plaintext that fits", "[crypto][sk]") {
    for (const auto& s : kSuites) {
        auto sk = SkCrypter::create(s.encr, s.key_bits, s.integ);
        REQUIRE(sk);
        for (std::size_t body : {100u, 576u, 1280u, 1333u}) {
            const std::size_t max = sk->max_plaintext(body);
            CHECK(sk->sealed_size(max) <= body);
            CHECK(sk->sealed_size(max + 1) > body);
        }
        CHECK(sk->max_plaintext(sk->iv_size() + sk->icv_size()) == 0);
    }
}

TEST_CASE("arbitrary bodies never open and never crash", "[crypto][sk]") {
    // A cheap deterministic sweep over lengths and contents (the fuzz target covers more).
    std::uint32_t state = 12345;
    auto next = [&state] {
        state = state * 1103515245u + 12345u;
        return static_cast<std::uint8_t>(state >> 16);
    };
    for (const auto& s : kSuites) {
        auto sk = SkCrypter::create(s.encr, s.key_bits, s.integ);
        REQUIRE(sk);
        const Bytes ek = pattern(sk->encr_key_size(), 0x10), ik = pattern(sk->integ_key_size(), 0x90);
        for (std::size_t len = 0; len < 120; ++len) {
            Bytes body(len);
            for (auto& b : body) b = next();
            CHECK_FALSE(sk->open(ek, ik, kAssociated, body));
        }
    }
}
