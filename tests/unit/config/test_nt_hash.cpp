#include <catch2/catch.hpp>

#include <nettle/md4.h>

#include "config/nt_hash.hpp"
#include "util/bytes.hpp"

using namespace ikev2d;
using namespace ikev2d::config;

namespace {
std::string md4_hex(ByteView data) {
    md4_ctx ctx;
    md4_init(&ctx);
    md4_update(&ctx, data.size(), data.data());
    std::uint8_t out[MD4_DIGEST_SIZE];
    md4_digest(&ctx, sizeof out, out);
    return to_hex(ByteView(out, sizeof out));
}
}  // namespace

TEST_CASE("nt_hash: RFC 2759 section 9.2 example", "[config][nt_hash]") {
    // RFC 2759 9.2: Password "clientPass" -> NtPasswordHash 44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE
    CHECK(nt_hash_hex("clientPass") == "44ebba8d5312b8d611474411f56989ae");
    auto raw = nt_hash("clientPass");
    CHECK(raw[0] == 0x44);
    CHECK(raw[15] == 0xae);
}

TEST_CASE("nt_hash: MS-NLMP 4.2.2.1.2 NTOWFv1(\"Password\")", "[config][nt_hash]") {
    // [MS-NLMP] 4.2.2.1.2: NTOWFv1("Password") = a4 f4 9c 40 65 10 bd ca b6 82 4e e7 c3 0f d8 52
    CHECK(nt_hash_hex("Password") == "a4f49c406510bdcab6824ee7c30fd852");
}

TEST_CASE("nt_hash: empty password is MD4 of nothing", "[config][nt_hash]") {
    // RFC 1320 A.5: MD4("") = 31d6cfe0d16ae931b73c59d7e0c089c0
    CHECK(nt_hash_hex("") == "31d6cfe0d16ae931b73c59d7e0c089c0");
}

TEST_CASE("nt_hash: UTF-8 is converted to UTF-16LE, including surrogate pairs", "[config][nt_hash]") {
    // U+00E9 (2-byte UTF-8), U+20AC (3-byte) and U+1F600 (4-byte -> surrogates D83D DE00).
    const Bytes utf16le = {0xe9, 0x00, 0xac, 0x20, 0x3d, 0xd8, 0x00, 0xde};
    CHECK(nt_hash_hex("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80") == md4_hex(utf16le));
}

TEST_CASE("nt_hash: invalid UTF-8 is rejected", "[config][nt_hash]") {
    CHECK_THROWS_AS(nt_hash("\xff"), std::invalid_argument);           // not a lead byte
    CHECK_THROWS_AS(nt_hash("abc\xc3"), std::invalid_argument);        // truncated
    CHECK_THROWS_AS(nt_hash("\xc0\xaf"), std::invalid_argument);       // overlong '/'
    CHECK_THROWS_AS(nt_hash("\xed\xa0\x80"), std::invalid_argument);   // UTF-16 surrogate
    CHECK_THROWS_AS(nt_hash("\xe2\x28\xa1"), std::invalid_argument);   // bad continuation
}
