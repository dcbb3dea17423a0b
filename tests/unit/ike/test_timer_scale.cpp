// The gateway's timer does work for the IKE SAs that are due, not for every IKE SA: a
// tick among 10,000 idle SAs visits none of them (issue 11, design "Event model").
#include <catch2/catch.hpp>

#include "exchange_helpers.hpp"

using namespace test_ike;

namespace {

// Half-open SAs that stay idle for an hour; no cookies or limits in the way.
std::string idle_half_open_config() {
    std::string toml = config_with(kTestConfig, "half_open_cookie_threshold", "half_open_cookie_threshold = 1000000");
    toml = config_with(toml, "auth_timeout_s", "auth_timeout_s = 3600");
    return config_with_global(toml, "half_open_limit = 1000000\n");
}

std::uint64_t visits(const GatewayHarness& h) { return h.gateway->counters().timer_sa_visits; }

}  // namespace

TEST_CASE("a timer tick among 10000 idle IKE SAs visits only the SAs that are due") {
    GatewayHarness h(idle_half_open_config());
    InitiatorProposal fast;
    fast.groups = {iana::DhGroup::CURVE25519};
    constexpr std::uint32_t kIdle = 10'000;
    for (std::uint32_t i = 0; i < kIdle; ++i) {
        TestInitiator ini(Endpoint{IpAddress::v4(0x0a400000u + i), 500}, h.local);
        REQUIRE(h.deliver(ini.self(), ini.sa_init_request(fast)).size() == 1);
    }
    TestInitiator a(Endpoint{IpAddress::from_string("192.0.2.11"), 500}, h.local);
    TestInitiator b(Endpoint{IpAddress::from_string("192.0.2.12"), 500}, h.local);
    REQUIRE(error_notify(connect_psk_client(h, a)) == 0);
    REQUIRE(error_notify(connect_psk_client(h, b)) == 0);
    REQUIRE(h.gateway->sas().size() == kIdle + 2);

    // Nothing is due for 10 s (DPD interval): ticks visit no SA at all.
    const std::uint64_t before = visits(h);
    REQUIRE(h.advance(9'500).empty());
    CHECK(visits(h) - before == 0);

    // The two established SAs' DPD comes due: exactly they are visited, and probed.
    REQUIRE(h.advance(500).size() == 2);
    CHECK(visits(h) - before == 2);
    CHECK(h.gateway->counters().dpd_sent == 2);
    CHECK(h.gateway->sas().size() == kIdle + 2);
}

TEST_CASE("entries of closed IKE SAs do not pile up in the timer heap") {
    GatewayHarness h(idle_half_open_config());
    InitiatorProposal fast;
    fast.groups = {iana::DhGroup::CURVE25519};
    constexpr std::uint32_t kClosed = 3'000;
    std::vector<std::uint32_t> ids;
    for (std::uint32_t i = 0; i < kClosed; ++i) {
        TestInitiator ini(Endpoint{IpAddress::v4(0x0a400000u + i), 500}, h.local);
        REQUIRE(h.deliver(ini.self(), ini.sa_init_request(fast)).size() == 1);
    }
    CHECK(h.gateway->deadlines().size() == kClosed);
    for (const auto& [spi, sa] : h.gateway->sas()) ids.push_back(sa->unique_id);
    for (auto id : ids) REQUIRE(h.gateway->disconnect(id, "administrator") == 1);
    h.advance(500);  // reaped; their entries are stale now
    CHECK(h.gateway->sas().empty());
    // The next arming finds the heap mostly stale and rebuilds it from the live SAs.
    TestInitiator last(Endpoint{IpAddress::from_string("192.0.2.11"), 500}, h.local);
    REQUIRE(h.deliver(last.self(), last.sa_init_request(fast)).size() == 1);
    CHECK(h.gateway->deadlines().size() == 1);
    // And the one live SA still times out on time (auth_timeout_s = 3600).
    h.now_ms += 3'599'500;
    h.gateway->on_timer();
    CHECK(h.gateway->sas().size() == 1);
    h.now_ms += 500;
    h.gateway->on_timer();
    CHECK(h.gateway->sas().empty());
}
