#include <catch2/catch.hpp>

#include <set>

#include "config/address_pool.hpp"

using namespace ikev2d;
using namespace ikev2d::config;

namespace {
PoolConfig pool(const char* text) {
    auto p = parse_pool_range("test", text);
    REQUIRE(p);
    return *p;
}
IpAddress ip(const char* text) { return IpAddress::from_string(text); }
}  // namespace

TEST_CASE("pool ranges: first-last and prefixes", "[config][pool]") {
    auto seed = pool("10.2.2.1-10.2.2.10");  // the seed's `ip local pool webvpn1`
    CHECK(seed.first == ip("10.2.2.1"));
    CHECK(seed.last == ip("10.2.2.10"));

    auto net = pool("10.2.2.0/24");  // network and broadcast left out
    CHECK(net.first == ip("10.2.2.1"));
    CHECK(net.last == ip("10.2.2.254"));

    auto p31 = pool("10.9.9.0/31");  // RFC 3021: both usable
    CHECK(p31.first == ip("10.9.9.0"));
    CHECK(p31.last == ip("10.9.9.1"));

    auto v6 = pool("fd00:1::/120");
    CHECK(v6.first == ip("fd00:1::1"));
    CHECK(v6.last == ip("fd00:1::ff"));

    CHECK_FALSE(parse_pool_range("x", "10.2.2.10-10.2.2.1"));    // reversed
    CHECK_FALSE(parse_pool_range("x", "10.2.2.1-fd00::1"));      // mixed families
    CHECK_FALSE(parse_pool_range("x", "10.2.2.1"));              // no range, no prefix
    CHECK_FALSE(parse_pool_range("x", "10.2.2.0/33"));
    CHECK_FALSE(parse_pool_range("x", "10.2.2.300-10.2.2.310"));
}

TEST_CASE("pool ranges: overlap", "[config][pool]") {
    CHECK(pools_overlap(pool("10.0.0.1-10.0.0.10"), pool("10.0.0.10-10.0.0.20")));
    CHECK(pools_overlap(pool("10.0.0.0/24"), pool("10.0.0.5-10.0.0.6")));
    CHECK_FALSE(pools_overlap(pool("10.0.0.1-10.0.0.10"), pool("10.0.0.11-10.0.0.20")));
    CHECK_FALSE(pools_overlap(pool("10.0.0.0/24"), pool("fd00::/120")));
}

TEST_CASE("address pool never hands out an address twice and runs out", "[config][pool]") {
    AddressPool p(pool("10.2.2.1-10.2.2.10"));
    REQUIRE(p.size() == 10);
    std::set<IpAddress> given;
    for (int i = 0; i < 10; ++i) {
        auto a = p.acquire("user" + std::to_string(i));
        REQUIRE(a);
        CHECK(p.contains(*a));
        CHECK(p.in_use(*a));
        CHECK(given.insert(*a).second);
    }
    CHECK(p.used() == 10);
    CHECK_FALSE(p.acquire("one-too-many"));
    CHECK_FALSE(p.acquire("user3"));  // even a known owner: its address is still taken

    SECTION("release returns the address to the pool") {
        p.release(ip("10.2.2.4"));
        CHECK_FALSE(p.in_use(ip("10.2.2.4")));
        CHECK(p.used() == 9);
        auto again = p.acquire("newcomer");
        REQUIRE(again);
        CHECK(*again == ip("10.2.2.4"));
        CHECK_FALSE(p.acquire("another"));
    }
    SECTION("releasing an address that is not in use changes nothing") {
        p.release(ip("192.0.2.1"));
        CHECK(p.used() == 10);
    }
}

TEST_CASE("address pool gives an owner its previous address back", "[config][pool]") {
    AddressPool p(pool("10.2.2.1-10.2.2.5"));
    auto alice = p.acquire("alice");
    auto bob = p.acquire("bob");
    REQUIRE(alice);
    REQUIRE(bob);
    p.release(*alice);
    p.release(*bob);

    // Others come and go; alice's and bob's old addresses are passed over while free ones remain.
    auto carol = p.acquire("carol");
    REQUIRE(carol);
    CHECK(*carol != *alice);
    CHECK(*carol != *bob);

    auto alice_again = p.acquire("alice");
    REQUIRE(alice_again);
    CHECK(*alice_again == *alice);
    auto bob_again = p.acquire("bob");
    REQUIRE(bob_again);
    CHECK(*bob_again == *bob);
}

TEST_CASE("address pool: an owner's old address taken by someone else", "[config][pool]") {
    AddressPool p(pool("10.2.2.1-10.2.2.2"));
    auto a = p.acquire("alice");
    auto b = p.acquire("bob");
    REQUIRE((a && b));
    p.release(*a);
    // Pool holds only alice's remembered address: a newcomer still gets it (second lap).
    auto c = p.acquire("carol");
    REQUIRE(c);
    CHECK(*c == *a);
    p.release(*b);
    // alice's memory went to carol; alice gets whatever is free.
    auto a2 = p.acquire("alice");
    REQUIRE(a2);
    CHECK(*a2 == *b);
    CHECK(p.used() == 2);
}

TEST_CASE("address pool: a same owner with two sessions gets two addresses", "[config][pool]") {
    AddressPool p(pool("10.2.2.1-10.2.2.3"));
    auto first = p.acquire("alice");
    auto second = p.acquire("alice");
    REQUIRE((first && second));
    CHECK(*first != *second);
}

TEST_CASE("address pool: huge IPv6 pool", "[config][pool]") {
    AddressPool p(pool("fd00::/64"));
    CHECK(p.size() == std::numeric_limits<std::size_t>::max());  // 2^64 - 1 saturates
    auto a = p.acquire("x");
    auto b = p.acquire("y");
    REQUIRE((a && b));
    CHECK(*a == ip("fd00::1"));
    CHECK(*b == ip("fd00::2"));
}

TEST_CASE("address pool rejects a reversed range", "[config][pool]") {
    PoolConfig bad{"bad", ip("10.0.0.9"), ip("10.0.0.1")};
    CHECK_THROWS_AS(AddressPool(bad), std::invalid_argument);
}

TEST_CASE("a RADIUS Framed-IP-Address is taken exactly, once, and only from the pool", "[config][pool][radius]") {
    AddressPool p(pool("10.2.2.1-10.2.2.10"));
    CHECK(p.acquire_exact(ip("10.2.2.7"), "alice"));
    CHECK(p.in_use(ip("10.2.2.7")));
    CHECK_FALSE(p.acquire_exact(ip("10.2.2.7"), "bob"));     // taken
    CHECK_FALSE(p.acquire_exact(ip("10.2.3.7"), "bob"));     // not in the pool
    CHECK_FALSE(p.acquire_exact(ip("2001:db8::7"), "bob"));  // other family
    // Round-robin never hands out the exact one again while it is held.
    std::set<IpAddress> others;
    for (int i = 0; i < 9; ++i) others.insert(*p.acquire("u" + std::to_string(i)));
    CHECK(others.count(ip("10.2.2.7")) == 0);
    CHECK_FALSE(p.acquire("late"));
    p.release(ip("10.2.2.7"));
    CHECK(p.acquire_exact(ip("10.2.2.7"), "carol"));
}
