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

TEST_CASE("work budget: a new source at the table's limit costs O(log n), not a scan of every source") {
    // Past max_sources, every datagram from a new address used to refill and test every
    // bucket (perf: 66% of a 30k half-open fill). Each source here stays in debt, so no
    // bucket is full and nothing can be forgotten for free: a scan would visit them all.
    constexpr std::size_t kSources = 4096;
    SourceWorkBudget budget({100, 500, kSources});
    auto address = [](std::uint32_t i) {
        IpAddress a = IpAddress::from_string("10.0.0.0");
        a.bytes[1] = static_cast<std::uint8_t>(i >> 16);
        a.bytes[2] = static_cast<std::uint8_t>(i >> 8);
        a.bytes[3] = static_cast<std::uint8_t>(i);
        return a;
    };
    for (std::uint32_t i = 0; i < kSources; ++i) budget.charge(address(i), 400'000, 0);
    REQUIRE(budget.tracked() == kSources);
    const std::uint64_t visited_before = budget.buckets_visited();
    constexpr std::uint32_t kNew = 2000;
    for (std::uint32_t i = 0; i < kNew; ++i) {
        budget.charge(address(kSources + i), 400'000, 1);
        REQUIRE(budget.tracked() <= kSources);
    }
    // A constant number of buckets looked at per new source, not kSources of them.
    CHECK(budget.buckets_visited() - visited_before <= 4 * kNew);
}

TEST_CASE("work budget: at the limit, the source nearest to a full bucket is forgotten, not the lowest address") {
    SourceWorkBudget budget({100, 500, 3});
    const IpAddress low = IpAddress::from_string("192.0.2.1");
    const IpAddress mid = IpAddress::from_string("192.0.2.2");
    const IpAddress high = IpAddress::from_string("192.0.2.3");
    budget.charge(low, 500'000, 0);  // the deepest debt (a datagram costs at most a burst):
    budget.charge(low, 500'000, 0);  //   full again at 10 s
    budget.charge(mid, 500'000, 0);
    budget.charge(mid, 300'000, 0);   // full again at 8 s
    budget.charge(high, 100'000, 0);  // full again at 1 s
    budget.charge(IpAddress::from_string("192.0.2.4"), 100'000, 500);  // a fourth: one must go
    REQUIRE(budget.tracked() == 3);
    // The one in deepest debt is still remembered and refused...
    REQUIRE_FALSE(budget.admit(low, 600));
    REQUIRE_FALSE(budget.admit(mid, 600));
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
