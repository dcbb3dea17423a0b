// Diffie-Hellman groups: RFC 5903 (ECP), RFC 7748 (X25519/X448) known answers, MODP
// checked against an independent computation, and rejection of invalid peer values.
#include <catch2/catch.hpp>

#include <gnutls/crypto.h>

#include <string>

#include "crypto/key_exchange.hpp"
#include "crypto/modp_groups.hpp"

using namespace ikev2d;
using namespace ikev2d::crypto;
using iana::DhGroup;

namespace {

std::string sha256_hex(ByteView data) {
    std::uint8_t digest[32];
    REQUIRE(gnutls_hash_fast(GNUTLS_DIG_SHA256, data.data(), data.size(), digest) == 0);
    return to_hex(digest);
}

struct EcpVector {
    DhGroup group;
    const char *i, *gi, *r, *gr, *girx;
};

// RFC 5903 section 8.1, 8.2, 8.3: private i and r, public g^i = gix | giy, g^r = grx | gry,
// shared secret girx (the x coordinate only).
const EcpVector kEcpVectors[] = {
    {DhGroup::ECP_256, "C88F01F5 10D9AC3F 70A292DA A2316DE5 44E9AAB8 AFE84049 C62A9C57 862D1433",
     "DAD0B653 94221CF9 B051E1FE CA5787D0 98DFE637 FC90B9EF 945D0C37 72581180"
     "5271A046 1CDB8252 D61F1C45 6FA3E59A B1F45B33 ACCF5F58 389E0577 B8990BB3",
     "C6EF9C5D 78AE012A 011164AC B397CE20 88685D8F 06BF9BE0 B283AB46 476BEE53",
     "D12DFB52 89C8D4F8 1208B702 70398C34 2296970A 0BCCB74C 736FC755 4494BF63"
     "56FBF3CA 366CC23E 8157854C 13C58D6A AC23F046 ADA30F83 53E74F33 039872AB",
     "D6840F6B 42F6EDAF D13116E0 E1256520 2FEF8E9E CE7DCE03 812464D0 4B9442DE"},
    {DhGroup::ECP_384,
     "099F3C70 34D4A2C6 99884D73 A375A67F 7624EF7C 6B3C0F16 0647B674 14DCE655 E35B5380 41E649EE 3FAEF896 783AB194",
     "667842D7 D180AC2C DE6F74F3 7551F557 55C7645C 20EF73E3 1634FE72 B4C55EE6 DE3AC808 ACB4BDB4 C88732AE E95F41AA"
     "9482ED1F C0EEB9CA FC498462 5CCFC23F 65032149 E0E144AD A0241815 35A0F38E EB9FCFF3 C2C947DA E69B4C63 4573A81C",
     "41CB0779 B4BDB85D 47846725 FBEC3C94 30FAB46C C8DC5060 855CC9BD A0AA2942 E0308312 916B8ED2 960E4BD5 5A7448FC",
     "E558DBEF 53EECDE3 D3FCCFC1 AEA08A89 A987475D 12FD950D 83CFA417 32BC509D 0D1AC43A 0336DEF9 6FDA41D0 774A3571"
     "DCFBEC7A ACF31964 72169E83 8430367F 66EEBE3C 6E70C416 DD5F0C68 759DD1FF F83FA401 42209DFF 5EAAD96D B9E6386C",
     "11187331 C279962D 93D60424 3FD592CB 9D0A926F 422E4718 7521287E 7156C5C4 D6031355 69B9E9D0 9CF5D4A2 70F59746"},
    {DhGroup::ECP_521,
     "0037ADE9 319A89F4 DABDB3EF 411AACCC A5123C61 ACAB57B5 393DCE47 608172A0 95AA85A3 0FE1C295 2C6771D9 37BA9777"
     "F5957B26 39BAB072 462F68C2 7A57382D 4A52",
     "0015417E 84DBF28C 0AD3C278 713349DC 7DF153C8 97A1891B D98BAB43 57C9ECBE E1E3BF42 E00B8E38 0AEAE57C 2D107564"
     "94188594 2AF5A7F4 601723C4 195D176C ED3E"
     "017CAE20 B6641D2E EB695786 D8C94614 6239D099 E18E1D5A 514C739D 7CB4A10A D8A78801 5AC405D7 799DC75E 7B7D5B6C"
     "F2261A6A 7F150743 8BF01BEB 6CA3926F 9582",
     "0145BA99 A847AF43 793FDD0E 872E7CDF A16BE30F DC780F97 BCCC3F07 8380201E 9C677D60 0B343757 A3BDBF2A 3163E4C2"
     "F869CCA7 458AA4A4 EFFC311F 5CB15168 5EB9",
     "00D0B397 5AC4B799 F5BEA16D 5E13E9AF 971D5E9B 984C9F39 728B5E57 39735A21 9B97C356 436ADC6E 95BB0352 F6BE64A6"
     "C2912D4E F2D0433C ED2B6171 640012D9 460F"
     "015C6822 6383956E 3BD066E7 97B623C2 7CE0EAC2 F551A10C 2C724D98 52077B87 220B6536 C5C408A1 D2AEBB8E 86D678AE"
     "49CB5709 1F473229 6579AB44 FCD17F0F C56A",
     "01144C7D 79AE6956 BC8EDB8E 7C787C45 21CB086F A64407F9 7894E5E6 B2D79B04 D1427E73 CA4BAA24 0A347868 59810C06"
     "B3C715A3 A8CC3151 F2BEE417 996D19F3 DDEA"},
};

std::string lower_hex(const char* spaced) { return to_hex(from_hex(spaced)); }

}  // namespace

TEST_CASE("ECP groups 19, 20, 21 match RFC 5903 section 8", "[crypto][ke]") {
    for (const auto& v : kEcpVectors) {
        INFO("group " << static_cast<int>(v.group));
        auto initiator = KeyExchange::create_with_private(v.group, from_hex(v.i));
        auto responder = KeyExchange::create_with_private(v.group, from_hex(v.r));
        REQUIRE(initiator);
        REQUIRE(responder);
        CHECK(initiator->group() == v.group);
        CHECK(initiator->public_value().size() == KeyExchange::public_size(v.group));
        CHECK(to_hex(initiator->public_value()) == lower_hex(v.gi));
        CHECK(to_hex(responder->public_value()) == lower_hex(v.gr));
        CHECK(to_hex(initiator->shared_secret(from_hex(v.gr))) == lower_hex(v.girx));
        CHECK(to_hex(responder->shared_secret(from_hex(v.gi))) == lower_hex(v.girx));
    }
}

TEST_CASE("ECP peer values off the curve or of the wrong length are rejected", "[crypto][ke]") {
    for (const auto& v : kEcpVectors) {
        INFO("group " << static_cast<int>(v.group));
        auto ke = KeyExchange::create_with_private(v.group, from_hex(v.i));
        Bytes gr = from_hex(v.gr);
        Bytes off_curve = gr;
        off_curve.back() ^= 0x01;  // y changed: no longer on the curve
        CHECK_THROWS_AS(ke->shared_secret(off_curve), CryptoError);
        CHECK_THROWS_AS(ke->shared_secret(Bytes(gr.size(), 0)), CryptoError);       // (0, 0)
        CHECK_THROWS_AS(ke->shared_secret(Bytes(gr.size(), 0xff)), CryptoError);    // coordinates >= p
        CHECK_THROWS_AS(ke->shared_secret(ByteView(gr).first(gr.size() - 1)), CryptoError);
        Bytes sec1(gr.size() + 1, 0x04);  // the SEC 1 form 04 | x | y is not the IKEv2 encoding
        std::copy(gr.begin(), gr.end(), sec1.begin() + 1);
        CHECK_THROWS_AS(ke->shared_secret(sec1), CryptoError);
    }
    CHECK_THROWS_AS(KeyExchange::create_with_private(DhGroup::ECP_256, Bytes(32, 0)), CryptoError);
    CHECK_THROWS_AS(KeyExchange::create_with_private(DhGroup::ECP_256, Bytes(32, 0xff)), CryptoError);  // >= n
}

TEST_CASE("X25519 matches RFC 7748 6.1 and rejects low-order points", "[crypto][ke]") {
    auto alice = KeyExchange::create_with_private(
        DhGroup::CURVE25519, from_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    auto bob = KeyExchange::create_with_private(
        DhGroup::CURVE25519, from_hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
    REQUIRE(alice);
    REQUIRE(bob);
    CHECK(to_hex(alice->public_value()) == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    CHECK(to_hex(bob->public_value()) == "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    const char* k = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    CHECK(to_hex(alice->shared_secret(bob->public_value())) == k);
    CHECK(to_hex(bob->shared_secret(alice->public_value())) == k);

    Bytes zero(32, 0), one(32, 0);
    one[0] = 1;  // u = 1 (little-endian), order 4... every low-order u gives an all-zero result
    CHECK_THROWS_AS(alice->shared_secret(zero), CryptoError);
    CHECK_THROWS_AS(alice->shared_secret(one), CryptoError);
    CHECK_THROWS_AS(alice->shared_secret(Bytes(31, 9)), CryptoError);
    CHECK_THROWS_AS(KeyExchange::create_with_private(DhGroup::CURVE25519, Bytes(31, 1)), CryptoError);
}

TEST_CASE("X448 matches RFC 7748 6.2 and rejects low-order points", "[crypto][ke]") {
    auto alice = KeyExchange::create_with_private(
        DhGroup::CURVE448, from_hex("9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b"));
    auto bob = KeyExchange::create_with_private(
        DhGroup::CURVE448, from_hex("1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d"));
    REQUIRE(alice);
    REQUIRE(bob);
    CHECK(to_hex(alice->public_value()) ==
          "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0");
    CHECK(to_hex(bob->public_value()) ==
          "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609");
    const char* k =
        "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56fd2464c335543936521c24403085d59a449a5037514a879d";
    CHECK(to_hex(alice->shared_secret(bob->public_value())) == k);
    CHECK(to_hex(bob->shared_secret(alice->public_value())) == k);

    Bytes zero(56, 0), one(56, 0);
    one[0] = 1;
    CHECK_THROWS_AS(alice->shared_secret(zero), CryptoError);
    CHECK_THROWS_AS(alice->shared_secret(one), CryptoError);
    CHECK_THROWS_AS(alice->shared_secret(Bytes(32, 9)), CryptoError);
}

TEST_CASE("MODP public values and shared secrets match an independent computation", "[crypto][ke]") {
    // Expected digests computed with Python's built-in pow() over the RFC 2409/3526 primes:
    //   a = int.from_bytes(bytes(range(1, 33)), 'big'); n = bits // 8
    //   sha256(pow(2, a, p).to_bytes(n, 'big')), sha256(pow(5, a, p).to_bytes(n, 'big'))
    // (peer value 5 is a valid 1 < y < p-1 that nobody needs the private key of).
    struct Case {
        DhGroup group;
        std::size_t bytes;
        const char *public_digest, *shared_with_5_digest;
    };
    const Case cases[] = {
        {DhGroup::MODP_768, 96, "983f65c1780576f288fcef2024c395c3012bcb2ca1894b8d1c7021869db87968",
         "866af526c55b28df14bf649beb3bfa7d7069030e725ab6cd781aef6744883612"},
        {DhGroup::MODP_1024, 128, "3e5e53f04e5eeec9a4732ead2dc7f2ffad5d7f6aab19395b4a8130e8ec660251",
         "c9730f3b17e2cdddc2f007fb8bef352078ddc2e9bd6ad5cd5d1c6f4a5453c8ed"},
        {DhGroup::MODP_1536, 192, "9a5ea5c17387a96223486d00a3d3437a4622bc0c790f48f01a1cebca6ce67221",
         "8c1acf1f29e63d82c9800e5520cc26a6736e68f53c7b691e1fa0eeda5d98ecdf"},
        {DhGroup::MODP_2048, 256, "0b9cb9036d2a594a7e3b43169bdf47ee9c7b64a2292203f1bb137b0b648d7e3c",
         "4270a2cba01785b60bcc16a4108cb527a2240377ba1dd9da20b441dd1b1a7c4a"},
        {DhGroup::MODP_3072, 384, "b74e630be90eb9d4b19affaa173864f62b7b5408127da1bbe6614ff3b3d96c4d",
         "7f03c7c69567e4cfd421ffecf9e7eacfb0ba31682b66736d3eb58133c8b76ece"},
        {DhGroup::MODP_4096, 512, "0587822953fd21e5d74b2e8d6b068da2bf44c4793b7955aaa0d8ea4a5d3fceee",
         "9d790e441df56c8822a7b75ecdd18b3d18f8f48bba143d6e7408961613841fdf"},
        {DhGroup::MODP_6144, 768, "b59a1fdd9ea5a2e0b9ba03805a744504315892715900c6b39cc32f9f36a04f8c",
         "bdab7b33362295f5e83ca80e4ee4410d16e2772c073ba11b1f3ea47b9d7b9239"},
        {DhGroup::MODP_8192, 1024, "5198b265547120332a823f75cb69fe8df34fff6cf8070f3d44b8ca64f1af5190",
         "5471638eb48739260f02df77092b5b2c47c0d3bbd751ccf599fff91ea9a9bbd6"},
    };
    Bytes a(32);
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<std::uint8_t>(i + 1);
    for (const auto& c : cases) {
        INFO("group " << static_cast<int>(c.group));
        REQUIRE(KeyExchange::public_size(c.group) == c.bytes);
        auto ke = KeyExchange::create_with_private(c.group, a);
        REQUIRE(ke);
        REQUIRE(ke->public_value().size() == c.bytes);
        CHECK(sha256_hex(ke->public_value()) == c.public_digest);
        Bytes five(c.bytes, 0);
        five.back() = 5;
        SecureBytes shared = ke->shared_secret(five);
        CHECK(shared.size() == c.bytes);
        CHECK(sha256_hex(shared) == c.shared_with_5_digest);
    }
}

TEST_CASE("MODP both sides agree with pow(2, a*b, p)", "[crypto][ke]") {
    // python3: sha256(pow(2, a*b, p14).to_bytes(256, 'big')) with a = bytes 0x01..0x20 and
    // b = bytes 0x21..0x40 read big-endian.
    Bytes a(32), b(32);
    for (std::size_t i = 0; i < 32; ++i) {
        a[i] = static_cast<std::uint8_t>(0x01 + i);
        b[i] = static_cast<std::uint8_t>(0x21 + i);
    }
    auto alice = KeyExchange::create_with_private(DhGroup::MODP_2048, a);
    auto bob = KeyExchange::create_with_private(DhGroup::MODP_2048, b);
    SecureBytes s1 = alice->shared_secret(bob->public_value());
    SecureBytes s2 = bob->shared_secret(alice->public_value());
    CHECK(to_hex(s1) == to_hex(s2));
    CHECK(sha256_hex(s1) == "34b0ca644513fd183880d688087619047e47ccf9fa7a287d4735a5125097db9a");
}

TEST_CASE("MODP public values keep leading zeros", "[crypto][ke]") {
    // 2^2 mod p = 4: the KE data is still the prime's length (RFC 7296 3.4).
    auto ke = KeyExchange::create_with_private(DhGroup::MODP_768, Bytes{0x02});
    Bytes expected(96, 0);
    expected.back() = 4;
    CHECK(to_hex(ke->public_value()) == to_hex(expected));
}

TEST_CASE("MODP rejects peer values 0, 1, p-1, p and wrong lengths", "[crypto][ke]") {
    for (DhGroup g : {DhGroup::MODP_1024, DhGroup::MODP_2048}) {
        INFO("group " << static_cast<int>(g));
        auto ke = KeyExchange::create(g);
        REQUIRE(ke);
        const Bytes p = from_hex(find_modp_group(g)->prime_hex);
        Bytes p_minus_1 = p;
        p_minus_1.back() -= 1;  // p ends in 0xff
        Bytes one(p.size(), 0);
        one.back() = 1;
        CHECK_THROWS_AS(ke->shared_secret(Bytes(p.size(), 0)), CryptoError);
        CHECK_THROWS_AS(ke->shared_secret(one), CryptoError);
        CHECK_THROWS_AS(ke->shared_secret(p_minus_1), CryptoError);
        CHECK_THROWS_AS(ke->shared_secret(p), CryptoError);
        CHECK_THROWS_AS(ke->shared_secret(Bytes(p.size(), 0xff)), CryptoError);
        CHECK_THROWS_AS(ke->shared_secret(ByteView(p).first(p.size() - 1)), CryptoError);
        Bytes two = one;
        two.back() = 2;
        CHECK_NOTHROW(ke->shared_secret(two));
    }
    CHECK_THROWS_AS(KeyExchange::create_with_private(DhGroup::MODP_2048, Bytes{0x01}), CryptoError);
}

TEST_CASE("every supported group agrees with itself on random keys", "[crypto][ke]") {
    const DhGroup groups[] = {DhGroup::MODP_768,  DhGroup::MODP_1024, DhGroup::MODP_1536, DhGroup::MODP_2048,
                              DhGroup::MODP_3072, DhGroup::MODP_4096, DhGroup::MODP_6144, DhGroup::MODP_8192,
                              DhGroup::ECP_256,   DhGroup::ECP_384,   DhGroup::ECP_521,   DhGroup::CURVE25519,
                              DhGroup::CURVE448};
    for (DhGroup g : groups) {
        INFO("group " << static_cast<int>(g));
        REQUIRE(KeyExchange::supported(g));
        auto a = KeyExchange::create(g);
        auto b = KeyExchange::create(g);
        REQUIRE(a);
        REQUIRE(b);
        CHECK(a->public_value().size() == KeyExchange::public_size(g));
        CHECK(to_hex(a->public_value()) != to_hex(b->public_value()));
        CHECK(to_hex(a->shared_secret(b->public_value())) == to_hex(b->shared_secret(a->public_value())));
    }
    CHECK_FALSE(KeyExchange::supported(DhGroup::NONE));
    CHECK_FALSE(KeyExchange::create(DhGroup::NONE));
    CHECK(KeyExchange::public_size(DhGroup::NONE) == 0);
}

TEST_CASE("X25519 and X448 pass the RFC 7748 5.2 iterated test", "[crypto][ke]") {
    // k = u = the base point; each round k' = X(k, u), u' = k. Values after 1 and 1000 rounds.
    struct Case {
        DhGroup group;
        std::size_t size;
        std::uint8_t base;
        const char *after_1, *after_1000;
    };
    const Case cases[] = {
        {DhGroup::CURVE25519, 32, 9, "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079",
         "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"},
        {DhGroup::CURVE448, 56, 5,
         "3f482c8a9f19b01e6c46ee9711d9dc14fd4bf67af30765c2ae2b846a4d23a8cd0db897086239492caf350b51f833868b9bc2b3bca9cf4113",
         "aa3b4749d55b9daf1e5b00288826c467274ce3ebbdd5c17b975e09d4af6c67cf10d087202db88286e2b79fceea3ec353ef54faa26e219f38"},
    };
    for (const auto& c : cases) {
        INFO("group " << static_cast<int>(c.group));
        Bytes k(c.size, 0);
        k[0] = c.base;
        Bytes u = k;
        for (int round = 1; round <= 1000; ++round) {
            SecureBytes next = KeyExchange::create_with_private(c.group, k)->shared_secret(u);
            u = k;
            k.assign(next.view().begin(), next.view().end());
            if (round == 1) CHECK(to_hex(k) == c.after_1);
        }
        CHECK(to_hex(k) == c.after_1000);
    }
}
