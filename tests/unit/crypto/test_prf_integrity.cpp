// HMAC-based PRFs and integrity transforms against published HMAC vectors.
#include <catch2/catch.hpp>

#include <string>

#include "crypto/algorithms.hpp"
#include "crypto/integrity.hpp"
#include "crypto/prf.hpp"

using namespace ikev2d;
using namespace ikev2d::crypto;
using iana::IntegId;
using iana::PrfId;

namespace {
Bytes repeat(std::uint8_t b, std::size_t n) { return Bytes(n, b); }
const std::string kLargeKeyData = "Test Using Larger Than Block-Size Key - Hash Key First";
}  // namespace

TEST_CASE("PRF HMAC-SHA1 matches RFC 2202", "[crypto][prf]") {
    auto prf = Prf::create(PrfId::HMAC_SHA1);
    REQUIRE(prf);
    CHECK(prf->output_size() == 20);
    // RFC 2202 section 3, test cases 1, 2 and 6.
    CHECK(to_hex(prf->compute(repeat(0x0b, 20), as_bytes("Hi There"))) == "b617318655057264e28bc0b6fb378c8ef146be00");
    CHECK(to_hex(prf->compute(as_bytes("Jefe"), as_bytes("what do ya want for nothing?"))) ==
          "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    CHECK(to_hex(prf->compute(repeat(0xaa, 80), as_bytes(kLargeKeyData))) ==
          "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST_CASE("PRF HMAC-SHA2 matches RFC 4231", "[crypto][prf]") {
    struct Case {
        PrfId id;
        const char* tc1;  // RFC 4231 4.2: key 0x0b x 20, "Hi There"
        const char* tc2;  // RFC 4231 4.3: key "Jefe"
        const char* tc6;  // RFC 4231 4.7: key 0xaa x 131
    };
    const Case cases[] = {
        {PrfId::HMAC_SHA2_256, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {PrfId::HMAC_SHA2_384,
         "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
         "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
         "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952"},
        {PrfId::HMAC_SHA2_512,
         "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1"
         "702e696c203a126854",
         "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b"
         "4b636e070a38bce737",
         "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0a"
         "ec8b915a985d786598"},
    };
    for (const auto& c : cases) {
        auto prf = Prf::create(c.id);
        REQUIRE(prf);
        CHECK(prf->output_size() == std::string(c.tc1).size() / 2);
        CHECK(prf->key_size() == prf_key_size(c.id));
        CHECK(to_hex(prf->compute(repeat(0x0b, 20), as_bytes("Hi There"))) == c.tc1);
        CHECK(to_hex(prf->compute(as_bytes("Jefe"), as_bytes("what do ya want for nothing?"))) == c.tc2);
        CHECK(to_hex(prf->compute(repeat(0xaa, 131), as_bytes(kLargeKeyData))) == c.tc6);
    }
}

TEST_CASE("unsupported PRFs and integrity transforms are refused", "[crypto][prf]") {
    CHECK_FALSE(Prf::create(PrfId::HMAC_MD5));
    CHECK_FALSE(Prf::create(PrfId::AES128_XCBC));
    CHECK_FALSE(Integrity::create(IntegId::NONE));
    CHECK_FALSE(Integrity::create(IntegId::AES_XCBC_96));
    CHECK(prf_key_size(PrfId::AES128_XCBC) == 0);
    CHECK(integ_icv_size(IntegId::HMAC_MD5_96) == 0);
}

TEST_CASE("prf+ chains T1 | T2 | ... as RFC 7296 2.13 defines", "[crypto][prf]") {
    auto prf = Prf::create(PrfId::HMAC_SHA2_256);
    REQUIRE(prf);
    const Bytes key = repeat(0x0b, 32);
    const Bytes seed = Bytes(as_bytes("seed").begin(), as_bytes("seed").end());

    // T1 = prf(K, S | 0x01), T2 = prf(K, T1 | S | 0x02), both from the RFC 4231-checked HMAC.
    Bytes in1 = seed;
    in1.push_back(1);
    SecureBytes t1 = prf->compute(key, in1);
    Bytes in2(t1.view().begin(), t1.view().end());
    append(in2, seed);
    in2.push_back(2);
    SecureBytes t2 = prf->compute(key, in2);

    SecureBytes out = prf->plus(key, seed, 40);
    REQUIRE(out.size() == 40);
    CHECK(to_hex(out.first(32)) == to_hex(t1));
    CHECK(to_hex(out.subview(32, 8)) == to_hex(t2.first(8)));

    // Shorter outputs are prefixes; 255 blocks is the limit.
    CHECK(to_hex(prf->plus(key, seed, 7)) == to_hex(t1.first(7)));
    CHECK(prf->plus(key, seed, 255 * 32).size() == 255 * 32);
    CHECK_THROWS_AS(prf->plus(key, seed, 255 * 32 + 1), CryptoError);
}

TEST_CASE("integrity transforms truncate HMAC as RFC 2404 / RFC 4868 specify", "[crypto][integrity]") {
    struct Case {
        IntegId id;
        std::size_t key, icv;
        const char* expected;
    };
    const Case cases[] = {
        // RFC 2202 test case 1 (key 0x0b x 20, "Hi There"), truncated to 96 bits (RFC 2404).
        {IntegId::HMAC_SHA1_96, 20, 12, "b617318655057264e28bc0b6"},
        // RFC 4868 2.7.2.1 / 2.7.2.2 / 2.7.2.3, test case 1: key 0x0b x key size, "Hi There".
        {IntegId::HMAC_SHA2_256_128, 32, 16, "198a607eb44bfbc69903a0f1cf2bbdc5"},
        {IntegId::HMAC_SHA2_384_192, 48, 24, "b6a8d5636f5c6a7224f9977dcf7ee6c7fb6d0c48cbdee973"},
        {IntegId::HMAC_SHA2_512_256, 64, 32, "637edc6e01dce7e6742a99451aae82df23da3e92439e590e43e761b33e910fb8"},
    };
    for (const auto& c : cases) {
        INFO("integ " << static_cast<int>(c.id));
        auto integ = Integrity::create(c.id);
        REQUIRE(integ);
        CHECK(integ->key_size() == c.key);
        CHECK(integ->icv_size() == c.icv);
        CHECK(integ_key_size(c.id) == c.key);
        CHECK(integ_icv_size(c.id) == c.icv);

        const Bytes key = repeat(0x0b, c.key);
        Bytes icv = integ->compute(key, as_bytes("Hi There"));
        CHECK(to_hex(icv) == c.expected);
        CHECK(integ->verify(key, as_bytes("Hi There"), icv));

        Bytes flipped = icv;
        flipped.back() ^= 0x01;
        CHECK_FALSE(integ->verify(key, as_bytes("Hi There"), flipped));
        CHECK_FALSE(integ->verify(key, as_bytes("Hi there"), icv));
        CHECK_FALSE(integ->verify(key, as_bytes("Hi There"), ByteView(icv).first(icv.size() - 1)));
        CHECK_FALSE(integ->verify(repeat(0x0b, c.key - 1), as_bytes("Hi There"), icv));
        CHECK_THROWS_AS(integ->compute(repeat(0x0b, c.key + 1), as_bytes("Hi There")), CryptoError);
    }
}
