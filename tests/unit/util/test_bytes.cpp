#include <catch2/catch.hpp>

#include "util/bytes.hpp"
#include "util/result.hpp"

using namespace ikev2d;

TEST_CASE("hex round trip and rejects bad digits") {
    Bytes b = from_hex("00 01:ab FF");
    REQUIRE(b == Bytes{0x00, 0x01, 0xab, 0xff});
    REQUIRE(to_hex(b) == "0001abff");
    REQUIRE_THROWS_AS(from_hex("0g"), std::invalid_argument);
    REQUIRE_THROWS_AS(from_hex("abc"), std::invalid_argument);
}

TEST_CASE("ct_equal compares contents and lengths") {
    Bytes a{1, 2, 3}, b{1, 2, 3}, c{1, 2, 4}, d{1, 2};
    REQUIRE(ct_equal(a, b));
    REQUIRE_FALSE(ct_equal(a, c));
    REQUIRE_FALSE(ct_equal(a, d));
}

TEST_CASE("SecureBytes moves, resizes and appends without losing data") {
    SecureBytes k{1, 2, 3};
    k.append(Bytes{4, 5});
    REQUIRE(Bytes(k.view().begin(), k.view().end()) == Bytes{1, 2, 3, 4, 5});
    k.resize(2);
    REQUIRE(k.size() == 2);
    SecureBytes moved = std::move(k);
    REQUIRE(moved.size() == 2);
    REQUIRE(k.empty());
    SecureBytes copy = moved.clone();
    REQUIRE(ct_equal(copy, moved));
}

TEST_CASE("Result carries a value or an error") {
    Result<int, std::string> ok = 5;
    Result<int, std::string> bad = unexpected(std::string("nope"));
    REQUIRE(ok.ok());
    REQUIRE(*ok == 5);
    REQUIRE_FALSE(bad.ok());
    REQUIRE(bad.error() == "nope");
}

#include "util/ip_address.hpp"

TEST_CASE("IpPrefix::covering: the smallest prefix holding a range, of either family") {
    auto ip = [](const char* t) { return IpAddress::from_string(t); };
    CHECK(IpPrefix::covering(ip("10.2.2.1"), ip("10.2.2.6")).to_string() == "10.2.2.0/29");
    CHECK(IpPrefix::covering(ip("10.2.2.0"), ip("10.2.2.255")).to_string() == "10.2.2.0/24");
    CHECK(IpPrefix::covering(ip("10.2.2.7"), ip("10.2.2.7")).to_string() == "10.2.2.7/32");
    CHECK(IpPrefix::covering(ip("0.0.0.0"), ip("255.255.255.255")).to_string() == "0.0.0.0/0");
    CHECK(IpPrefix::covering(ip("2001:db8:8::1"), ip("2001:db8:8::6")).to_string() == "2001:db8:8::/125");
    CHECK(IpPrefix::covering(ip("2001:db8:8::1"), ip("2001:db8:8::1")).length == 128);
}

TEST_CASE("IpAddress and IpPrefix parse, print and compare") {
    auto a = IpAddress::from_string("10.2.2.1");
    REQUIRE(a.is_v4());
    REQUIRE(a.v4_host_order() == 0x0a020201u);
    REQUIRE(a.to_string() == "10.2.2.1");
    REQUIRE(IpAddress::from_string("2001:db8::1").to_string() == "2001:db8::1");
    REQUIRE_THROWS(IpAddress::from_string("10.2.2"));
    auto p = IpPrefix::parse("10.2.2.7/24");
    REQUIRE(p);
    REQUIRE(p->to_string() == "10.2.2.0/24");
    REQUIRE(p->contains(a));
    REQUIRE_FALSE(p->contains(IpAddress::from_string("10.2.3.1")));
    REQUIRE(p->netmask().to_string() == "255.255.255.0");
    REQUIRE(p->last().to_string() == "10.2.2.255");
    REQUIRE_FALSE(IpPrefix::parse("10.0.0.0/33"));
    Endpoint e{a, 4500};
    sockaddr_storage ss;
    auto len = e.to_sockaddr(ss);
    auto back = Endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len);
    REQUIRE(back);
    REQUIRE(*back == e);
    REQUIRE(e.to_string() == "10.2.2.1:4500");
    // Every digit count, as inet_ntop prints them.
    for (const char* text : {"0.0.0.0", "255.255.255.255", "1.10.100.199", "99.9.250.0", "203.0.113.7"}) {
        REQUIRE(IpAddress::from_string(text).to_string() == text);
        REQUIRE((Endpoint{IpAddress::from_string(text), 65535}.to_string()) == std::string(text) + ":65535");
    }
    REQUIRE((Endpoint{IpAddress::from_string("2001:db8::1"), 500}.to_string()) == "[2001:db8::1]:500");
}
