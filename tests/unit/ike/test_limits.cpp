// The bookkeeping behind the limits against hostile peers, on its own: half-open SAs by
// source, the per-SA request rate, and the shared reassembly byte budget.
#include <catch2/catch.hpp>

#include "ike/byte_budget.hpp"
#include "ike/half_open_admission.hpp"
#include "ike/request_rate.hpp"

using namespace ikev2d;
using ike::HalfOpenAdmission;
using Decision = HalfOpenAdmission::Decision;

TEST_CASE("half-open admission: threshold, global limit, per-source limit, eviction candidate") {
    HalfOpenAdmission a;
    const ike::HalfOpenLimits limits{2, 4, 3};
    const auto x = IpAddress::from_string("203.0.113.1"), y = IpAddress::from_string("203.0.113.2");
    CHECK(a.decide(x, limits) == Decision::Admit);
    a.add(x, 100, 0xa1);
    a.add(x, 200, 0xa2);
    CHECK(a.decide(y, limits) == Decision::RequireCookie);
    a.add(y, 150, 0xb1);
    a.add(x, 300, 0xa3);
    CHECK(a.total() == 4);
    CHECK(a.decide(x, limits) == Decision::RequireCookieAndReplaceOwn);  // x holds 3
    CHECK(a.oldest_of(x) == 0xa1u);
    CHECK_FALSE(a.oldest_of(IpAddress::from_string("203.0.113.9")).has_value());
    CHECK(a.decide(y, limits) == Decision::RequireCookieAndMakeRoom);
    CHECK(a.eviction_candidate() == 0xa1u);  // x holds the most; its oldest
    a.remove(x, 100, 0xa1);
    a.remove(x, 100, 0xa1);  // twice: no harm
    CHECK(a.total() == 3);
    CHECK(a.from(x) == 2);
    a.remove(x, 200, 0xa2);
    a.remove(x, 300, 0xa3);
    CHECK(a.eviction_candidate() == 0xb1u);
    a.remove(y, 150, 0xb1);
    CHECK(a.total() == 0);
    CHECK_FALSE(a.eviction_candidate().has_value());
}

TEST_CASE("half-open admission counts an IPv6 /64 as one source") {
    HalfOpenAdmission a;
    a.add(IpAddress::from_string("2001:db8:1:2::1"), 1, 1);
    a.add(IpAddress::from_string("2001:db8:1:2:ffff::7"), 2, 2);
    a.add(IpAddress::from_string("2001:db8:1:3::1"), 3, 3);
    CHECK(a.from(IpAddress::from_string("2001:db8:1:2::99")) == 2);
    CHECK(a.from(IpAddress::from_string("2001:db8:1:3::1")) == 1);
    CHECK(a.decide(IpAddress::from_string("2001:db8:1:2::abcd"), {100, 100, 2}) ==
          Decision::RequireCookieAndReplaceOwn);
}

TEST_CASE("request rate: a burst of per_minute, then one per 60/per_minute seconds") {
    ike::RequestRate r;
    std::uint64_t t = 5'000'000;
    for (int i = 0; i < 6; ++i) CHECK(r.allow(t, 6));
    CHECK_FALSE(r.allow(t, 6));
    CHECK_FALSE(r.allow(t + 9'999, 6));
    CHECK(r.allow(t + 10'000, 6));  // 6 a minute: one every 10 s
    CHECK_FALSE(r.allow(t + 10'001, 6));
    // A long pause refills to the burst size, not beyond.
    t += 3'600'000;
    for (int i = 0; i < 6; ++i) CHECK(r.allow(t, 6));
    CHECK_FALSE(r.allow(t, 6));
    // A clock that goes backwards grants nothing.
    CHECK_FALSE(r.allow(t - 60'000, 6));
}

TEST_CASE("byte budget: shares within their own and the total limit, returned when destroyed or moved over") {
    ike::ByteBudget budget;
    {
        ike::ByteBudgetShare a(&budget), b(&budget);
        CHECK(a.take(3000, 4096, 8192));
        CHECK_FALSE(a.take(1097, 4096, 8192));  // own limit
        CHECK(a.take(1096, 4096, 8192));
        CHECK(b.take(4000, 4096, 8192));
        ike::ByteBudgetShare d(&budget);
        CHECK_FALSE(d.take(100, 4096, 8192));  // 8096 + 100 > 8192
        CHECK(d.take(96, 4096, 8192));
        CHECK(budget.used() == 8192);
        ike::ByteBudgetShare c = std::move(a);
        CHECK(budget.used() == 8192);
        CHECK(a.bytes() == 0);
        c = ike::ByteBudgetShare(&budget);  // the old share's bytes go back
        CHECK(budget.used() == 4096);
    }
    CHECK(budget.used() == 0);
    ike::ByteBudgetShare unbudgeted;
    CHECK(unbudgeted.take(100, 100, 0));  // no shared budget: only the own limit
    CHECK_FALSE(unbudgeted.take(1, 100, 0));
}
