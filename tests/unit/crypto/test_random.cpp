// The random helpers: sizes, the non-zero SPI rule, and that output is not constant.
#include <catch2/catch.hpp>

#include <set>

#include "crypto/random.hpp"

using namespace ikev2d;
using namespace ikev2d::crypto;

TEST_CASE("random nonces have the requested length and differ", "[crypto][random]") {
    CHECK(random_nonce(0).empty());
    Bytes a = random_nonce(32), b = random_nonce(32);
    CHECK(a.size() == 32);
    CHECK(a != b);
    CHECK(a != Bytes(32, 0));
}

TEST_CASE("random_bytes and random_key_bytes fill the whole buffer", "[crypto][random]") {
    Bytes buf(64, 0);
    random_bytes(buf);
    // 64 zero bytes from a working DRBG has probability 2^-512; a partial fill would leave a zero tail.
    CHECK(Bytes(buf.end() - 16, buf.end()) != Bytes(16, 0));
    SecureBytes key(48);
    random_key_bytes(key.span());
    CHECK(to_hex(key.subview(32, 16)) != std::string(32, '0'));
    random_bytes({});  // an empty request is not an error
}

TEST_CASE("SPIs are non-zero and distinct", "[crypto][random]") {
    std::set<std::uint64_t> seen;
    for (int i = 0; i < 1000; ++i) {
        std::uint64_t spi = random_spi();
        CHECK(spi != 0);
        seen.insert(spi);
    }
    CHECK(seen.size() == 1000);
}
