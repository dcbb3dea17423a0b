// Raw CBC and AEAD ciphers against published known answers.
#include <catch2/catch.hpp>

#include "crypto/aead_cipher.hpp"
#include "crypto/cbc_cipher.hpp"

using namespace ikev2d;
using namespace ikev2d::crypto;
using iana::EncrId;

namespace {
Bytes range_bytes(std::uint8_t first, std::size_t n) {
    Bytes out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(first + i);
    return out;
}
void check_cbc(EncrId id, const char* key, const char* iv, ByteView plaintext, const char* ciphertext) {
    Bytes ct = cbc_encrypt(id, from_hex(key), from_hex(iv), plaintext);
    CHECK(to_hex(ct) == ciphertext);
    CHECK(to_hex(cbc_decrypt(id, from_hex(key), from_hex(iv), ct)) == to_hex(plaintext));
}
}  // namespace

TEST_CASE("AES-128-CBC matches RFC 3602 cases 1 and 2", "[crypto][cipher]") {
    check_cbc(EncrId::AES_CBC, "06a9214036b8a15b512e03d534120006", "3dafba429d9eb430b422da802c9fac41",
              as_bytes("Single block msg"), "e353779c1079aeb82708942dbe77181a");
    check_cbc(EncrId::AES_CBC, "c286696d887c9aa0611bbb3e2025a45a", "562e17996d093d28ddb3ba695a2e6f58",
              range_bytes(0, 32), "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1");
}

TEST_CASE("AES-192/256-CBC match NIST SP 800-38A F.2.3 and F.2.5", "[crypto][cipher]") {
    const Bytes plaintext = from_hex(
        "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17"
        "ad2b417be66c3710");
    check_cbc(EncrId::AES_CBC, "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", "000102030405060708090a0b0c0d0e0f",
              plaintext,
              "4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a571b242012fb7ae07fa9baac3df102e008b0e27988598881"
              "d920a9e64f5615cd");
    check_cbc(EncrId::AES_CBC, "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
              "000102030405060708090a0b0c0d0e0f", plaintext,
              "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fc"
              "da6c19078c6a9d1b");
}

TEST_CASE("3DES matches the NIST SP 800-67 Rev. 1 example", "[crypto][cipher]") {
    // SP 800-67 Rev. 1, appendix B: Key1..3 = 0123456789ABCDEF / 23456789ABCDEF01 / 456789ABCDEF0123,
    // P = "The qufck brown fox jump", ECB C = A826FD8CE53B855F CCE21C8112256FE6 68D5C05DD9B6B900.
    // CBC over one block with a zero IV is ECB.
    const char* key = "0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123";
    const char* zero_iv = "0000000000000000";
    check_cbc(EncrId::TRIPLE_DES, key, zero_iv, as_bytes("The qufc"), "a826fd8ce53b855f");
    check_cbc(EncrId::TRIPLE_DES, key, zero_iv, as_bytes("k brown "), "cce21c8112256fe6");
    check_cbc(EncrId::TRIPLE_DES, key, zero_iv, as_bytes("fox jump"), "68d5c05dd9b6b900");
}

TEST_CASE("CBC refuses partial blocks, wrong IVs and wrong keys", "[crypto][cipher]") {
    const Bytes key(16, 1), iv(16, 2);
    CHECK_THROWS_AS(cbc_encrypt(EncrId::AES_CBC, key, iv, Bytes(15)), CryptoError);
    CHECK_THROWS_AS(cbc_decrypt(EncrId::AES_CBC, key, iv, Bytes(17)), CryptoError);
    CHECK_THROWS_AS(cbc_encrypt(EncrId::AES_CBC, key, Bytes(8), Bytes(16)), CryptoError);
    CHECK_THROWS_AS(cbc_encrypt(EncrId::AES_CBC, Bytes(20), iv, Bytes(16)), CryptoError);
    CHECK_THROWS_AS(cbc_encrypt(EncrId::AES_GCM_16, key, iv, Bytes(16)), CryptoError);
}

namespace {
// The GCM specification's test cases 4, 10 and 16 (McGrew & Viega, "The Galois/Counter
// Mode of Operation", revised 2005): one plaintext, AAD and IV, keys of 128/192/256 bits.
const char* const kGcmPlaintext =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657"
    "ba637b39";
const char* const kGcmAad = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
const char* const kGcmNonce = "cafebabefacedbaddecaf888";
}  // namespace

TEST_CASE("AES-GCM-16 matches the GCM specification test cases 4, 10, 16", "[crypto][cipher]") {
    struct Case {
        const char* key;
        const char* ciphertext_and_tag;
    };
    const Case cases[] = {
        {"feffe9928665731c6d6a8f9467308308",
         "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac97"
         "3d58e091"
         "5bc94fbc3221a5db94fae95ae7121a47"},
        {"feffe9928665731c6d6a8f9467308308feffe9928665731c",
         "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9"
         "ccda2710"
         "2519498e80f1478f37ba55bd6d27618c"},
        {"feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
         "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0a"
         "bcc9f662"
         "76fc6ece0f4e1768cddf8853bb2d551b"},
    };
    for (const auto& c : cases) {
        INFO("key " << c.key);
        const Bytes key = from_hex(c.key), nonce = from_hex(kGcmNonce), aad = from_hex(kGcmAad);
        Bytes sealed = aead_encrypt(EncrId::AES_GCM_16, key, nonce, aad, from_hex(kGcmPlaintext));
        CHECK(to_hex(sealed) == c.ciphertext_and_tag);
        auto opened = aead_decrypt(EncrId::AES_GCM_16, key, nonce, aad, sealed);
        REQUIRE(opened);
        CHECK(to_hex(*opened) == kGcmPlaintext);

        Bytes tampered_aad = aad;
        tampered_aad[0] ^= 1;
        CHECK_FALSE(aead_decrypt(EncrId::AES_GCM_16, key, nonce, tampered_aad, sealed));
        sealed[3] ^= 0x80;
        CHECK_FALSE(aead_decrypt(EncrId::AES_GCM_16, key, nonce, aad, sealed));
        CHECK_FALSE(aead_decrypt(EncrId::AES_GCM_16, key, nonce, aad, ByteView(sealed).first(15)));
    }
}

TEST_CASE("ChaCha20-Poly1305 matches RFC 8439 2.8.2", "[crypto][cipher]") {
    const Bytes key = from_hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    const Bytes nonce = from_hex("070000004041424344454647");
    const Bytes aad = from_hex("50515253c0c1c2c3c4c5c6c7");
    const auto plaintext = as_bytes(
        "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be "
        "it.");
    const char* expected =
        "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b29"
        "05d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b"
        "6116"
        "1ae10b594f09e26a7e902ecbd0600691";
    Bytes sealed = aead_encrypt(EncrId::CHACHA20_POLY1305, key, nonce, aad, plaintext);
    CHECK(to_hex(sealed) == expected);
    auto opened = aead_decrypt(EncrId::CHACHA20_POLY1305, key, nonce, aad, sealed);
    REQUIRE(opened);
    CHECK(to_hex(*opened) == to_hex(plaintext));
    sealed.back() ^= 1;
    CHECK_FALSE(aead_decrypt(EncrId::CHACHA20_POLY1305, key, nonce, aad, sealed));
}

TEST_CASE("AEAD refuses wrong nonce and key sizes", "[crypto][cipher]") {
    CHECK_THROWS_AS(aead_encrypt(EncrId::AES_GCM_16, Bytes(16), Bytes(8), {}, {}), CryptoError);
    CHECK_THROWS_AS(aead_encrypt(EncrId::AES_GCM_16, Bytes(20), Bytes(12), {}, {}), CryptoError);
    CHECK_THROWS_AS(aead_encrypt(EncrId::CHACHA20_POLY1305, Bytes(16), Bytes(12), {}, {}), CryptoError);
    CHECK_THROWS_AS(aead_encrypt(EncrId::AES_CBC, Bytes(16), Bytes(12), {}, {}), CryptoError);
    // An empty plaintext still produces (and checks) a tag.
    Bytes tag_only = aead_encrypt(EncrId::AES_GCM_16, Bytes(16), Bytes(12), {}, {});
    CHECK(tag_only.size() == 16);
    CHECK(aead_decrypt(EncrId::AES_GCM_16, Bytes(16), Bytes(12), {}, tag_only));
}
