// The per-source work budget: a source that spent its burst is refused until it refills,
// others are not affected, and the table of sources stays bounded.
#include <catch2/catch.hpp>

#include "ike/work_budget.hpp"

using namespace ikev2d;
using ikev2d::ike::SourceWorkBudget;

namespace {
const IpAddress kA = IpAddress::from_string("192.0.2.10");
const IpAddress kB = IpAddress::from_string("192.0.2.20");
}  // namespace

TEST_CASE("work budget: a source that spent its burst is refused, others are not") {
    SourceWorkBudget budget({/*rate_ms_per_s=*/100, /*burst_ms=*/500, /*max_sources=*/16});
    std::uint64_t now = 1000;
    REQUIRE(budget.admit(kA, now));
    budget.charge(kA, 300'000, now);  // 300 ms
    REQUIRE(budget.admit(kA, now));
    budget.charge(kA, 300'000, now);  // 600 ms in all: 100 ms over its burst
    REQUIRE_FALSE(budget.admit(kA, now));
    REQUIRE(budget.admit(kB, now));
    // 100 ms of budget come back per second: 0.5 s later it is still in debt, 1.1 s later not.
    REQUIRE_FALSE(budget.admit(kA, now + 500));
    REQUIRE(budget.admit(kA, now + 1100));
}

TEST_CASE("work budget: refills only up to the burst") {
    SourceWorkBudget budget({100, 500, 16});
    budget.charge(kA, 1000, 0);
    // A long quiet time does not bank more than the burst.
    budget.charge(kA, 400'000, 3'600'000);
    REQUIRE(budget.admit(kA, 3'600'000));
    budget.charge(kA, 200'000, 3'600'000);
    REQUIRE_FALSE(budget.admit(kA, 3'600'000));
}

TEST_CASE("work budget: one slow datagram costs at most a burst") {
    SourceWorkBudget budget({100, 500, 16});
    budget.charge(kA, 30'000'000, 0);  // 30 s (e.g. a kernel that loads modules)
    REQUIRE_FALSE(budget.admit(kA, 0));
    REQUIRE(budget.admit(kA, 20));  // not 295 s of debt: 2 ms of budget back after 20 ms
}

TEST_CASE("work budget: rate 0 turns it off") {
    SourceWorkBudget budget({0, 500, 16});
    budget.charge(kA, 10'000'000, 0);
    REQUIRE(budget.admit(kA, 0));
    REQUIRE(budget.tracked() == 0);
}

TEST_CASE("work budget: the table of sources stays bounded, sources in debt are kept first") {
    SourceWorkBudget budget({100, 500, 8});
    for (int i = 0; i < 3; ++i) budget.charge(kA, 500'000, 0);  // 1 s in debt
    for (int i = 1; i <= 50; ++i) {
        IpAddress a = IpAddress::from_string("198.51.100.0");
        a.bytes[3] = static_cast<std::uint8_t>(i);
        budget.charge(a, 1000, static_cast<std::uint64_t>(i) * 100);  // a little, refilled by the next
        REQUIRE(budget.tracked() <= 8);
    }
    // Still remembered: 100 ms/s pay the 1 s debt back at t = 10 s.
    REQUIRE_FALSE(budget.admit(kA, 5000));
    REQUIRE(budget.admit(kA, 10'100));
}

// The gateway charges each datagram's handling time to its source: a source that floods
// expensive IKE_SA_INIT requests is cut off, unread, while another source is served at once.
#include "gateway_harness.hpp"
#include "test_initiator.hpp"

TEST_CASE("work budget: a source flooding expensive IKE_SA_INIT is cut off, another is served") {
    using namespace test_ike;
    test_ike::GatewayHarness h(std::string(kTestConfig) + R"(
[[ike_policy]]
priority = 20
encryption = ["aes-256"]
integrity = ["sha256"]
prf = ["sha256"]
groups = ["modp3072"]
)");
    // The per-source half-open limit would answer with cheap COOKIEs first; lift it, and
    // give sources a small budget: 100 ms at once, then 1 ms per second.
    auto cfg = std::make_shared<config::Config>(*h.config);
    cfg->global.half_open_per_source_limit = 100000;
    cfg->global.half_open_cookie_threshold = 100000;
    cfg->global.half_open_limit = 100000;
    cfg->global.source_work_ms_per_s = 1;
    cfg->global.source_work_burst_ms = 100;
    h.config = cfg;
    h.gateway->replace_config(cfg, nullptr);

    const Endpoint flooder{IpAddress::from_string("198.51.100.66"), 500};
    InitiatorProposal heavy;
    heavy.groups = {iana::DhGroup::MODP_3072};
    int answered = 0, sent = 0;
    while (h.gateway->counters().work_budget_drops == 0 && sent < 2000) {
        TestInitiator ini(flooder, h.local);
        answered += !h.deliver(flooder, ini.sa_init_request(heavy)).empty();
        ++sent;
    }
    REQUIRE(h.gateway->counters().work_budget_drops == 1);
    REQUIRE(answered == sent - 1);
    // Cut off: the next ones are not even parsed, let alone answered.
    TestInitiator more(flooder, h.local);
    REQUIRE(h.deliver(flooder, more.sa_init_request(heavy)).empty());
    REQUIRE(h.gateway->counters().work_budget_drops == 2);
    // Another source is served at once.
    TestInitiator other(Endpoint{IpAddress::from_string("198.51.100.77"), 500}, h.local);
    auto out = h.deliver(other.self(), other.sa_init_request({}));
    REQUIRE(out.size() == 1);
    other.process_sa_init_response(out[0]);
    REQUIRE(other.keyed());
    // The flooder's budget comes back with time (1 ms per second of gateway time).
    h.advance(600'000);
    TestInitiator later(flooder, h.local);
    REQUIRE(h.deliver(flooder, later.sa_init_request({})).size() == 1);
}
