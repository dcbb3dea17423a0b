// Each kind of IKE SA deadline fires at its time after the events that re-arm it, and
// the gateway says when it next needs its timer (issue 11: timers kept ordered, not scanned).
#include <catch2/catch.hpp>

#include "crypto/key_exchange.hpp"
#include "crypto/random.hpp"
#include "exchange_helpers.hpp"
#include "ike/sa_deadlines.hpp"

using namespace test_ike;
using iana::ExchangeType;
using iana::PayloadType;
using kernel::FakeKernel;

namespace {

const Endpoint kClientA{IpAddress::from_string("192.0.2.11"), 500};
const Endpoint kClientB{IpAddress::from_string("192.0.2.12"), 500};

std::string without_dpd() { return config_with(kTestConfig, "interval_s", "interval_s = 0"); }

ike::IkeSa& only_sa(GatewayHarness& h) {
    REQUIRE(h.gateway->sas().size() == 1);
    return *h.gateway->sas().begin()->second;
}

std::uint64_t visits(const GatewayHarness& h) { return h.gateway->counters().timer_sa_visits; }

}  // namespace

TEST_CASE("SaDeadlines: earliest first, a re-armed SA's older entry is recognised as stale") {
    ike::SaDeadlines d;
    std::uint64_t a = ike::SaDeadlines::kNone, b = ike::SaDeadlines::kNone, c = ike::SaDeadlines::kNone;
    d.arm(1, a, 300);
    d.arm(2, b, 100);
    d.arm(3, c, ike::SaDeadlines::kNone);  // nothing to wait for: no entry
    CHECK(d.size() == 2);
    CHECK(d.earliest_ms() == 100);
    d.arm(1, a, 200);  // re-armed earlier: a second entry, the first becomes stale
    d.arm(1, a, 200);  // unchanged: nothing pushed
    CHECK(d.size() == 3);
    CHECK_FALSE(d.pop_due(99));
    auto e = d.pop_due(1000);
    REQUIRE(e);
    CHECK((e->spi_r == 2 && e->due_ms == 100));
    e = d.pop_due(1000);
    REQUIRE(e);
    CHECK((e->spi_r == 1 && e->due_ms == 200 && e->due_ms == a));
    e = d.pop_due(1000);
    REQUIRE(e);
    CHECK((e->spi_r == 1 && e->due_ms == 300 && e->due_ms != a));  // stale: the SA is armed for 200
    CHECK_FALSE(d.pop_due(1000));
    CHECK(d.earliest_ms() == ike::SaDeadlines::kNone);

    // Stale entries are bounded: past 2 x live + slack the owner rebuilds from the live ones.
    std::uint64_t x = ike::SaDeadlines::kNone;
    for (std::uint64_t t = 1; t <= 3000; ++t) d.arm(7, x, t);
    CHECK(d.wants_compaction(1));
    d.rebuild({{x, 7}});
    CHECK(d.size() == 1);
    CHECK(d.earliest_ms() == 3000);
}

TEST_CASE("next_deadline_ms: the earliest SA deadline, never more than a second ahead") {
    GatewayHarness h(without_dpd());
    CHECK(h.gateway->next_deadline_ms() == h.now_ms + 1000);  // no SA: cookie rotation's pace
    TestInitiator a(kClientA, h.local);
    sa_init_ok(h, a);  // IKE_AUTH due within auth_timeout_s = 30
    h.now_ms += 29'700;
    CHECK(h.gateway->next_deadline_ms() == h.now_ms + 300);
    h.now_ms += 300;
    CHECK(h.gateway->next_deadline_ms() == h.now_ms);
    h.gateway->on_timer();
    CHECK(live_sas(h) == 0);
    CHECK(h.gateway->next_deadline_ms() == h.now_ms + 1000);
}

TEST_CASE("IKE_AUTH deadline: a half-open SA is visited once, at its deadline") {
    GatewayHarness h;
    TestInitiator a(kClientA, h.local);
    sa_init_ok(h, a);
    const std::uint64_t before = visits(h);
    h.advance(29'500);
    CHECK(live_sas(h) == 1);
    CHECK(visits(h) == before);
    h.advance(500);
    CHECK(live_sas(h) == 0);
    CHECK(visits(h) == before + 1);
}

TEST_CASE("reassembly deadline: a partial message re-arms the SA earlier than its IKE_AUTH deadline") {
    GatewayHarness h(without_dpd());  // reassembly_timeout_s 10, auth_timeout_s 30
    TestInitiator a(kClientA, h.local);
    sa_init_ok(h, a, true);
    h.advance(5'000);
    auto fragments = a.request(ExchangeType::IKE_AUTH, a.auth_payloads("site@psk.test", kTestPsk, true), 100);
    REQUIRE(fragments.size() > 1);
    REQUIRE(h.deliver(natt_of(kClientA), fragments[0]).empty());
    REQUIRE(h.gateway->reassembly_bytes() > 0);
    const std::uint64_t before = visits(h);
    h.advance(9'500);
    CHECK(h.gateway->reassembly_bytes() > 0);
    CHECK(visits(h) == before);
    h.advance(500);
    CHECK(h.gateway->reassembly_bytes() == 0);
    CHECK(h.gateway->counters().fragments_dropped == 1);
    CHECK(visits(h) == before + 1);
    // The SA itself waits for its IKE_AUTH deadline (30 s after IKE_SA_INIT) as before.
    h.advance(14'500);
    CHECK(live_sas(h) == 1);
    h.advance(500);
    CHECK(live_sas(h) == 0);
}

TEST_CASE("retransmission deadline: a Delete sent outside any datagram is retransmitted on time") {
    GatewayHarness h(without_dpd());  // retransmit_base_ms 4000: after 4 s, then 8 s more
    TestInitiator a(kClientA, h.local);
    connect_psk_client(h, a);
    REQUIRE(h.gateway->disconnect(only_sa(h).unique_id, "administrator") == 1);
    REQUIRE(h.sent.size() == 1);  // the Delete, now
    h.sent.clear();
    CHECK(h.advance(3'500).empty());
    CHECK(h.advance(500).size() == 1);
    CHECK(h.advance(7'500).empty());
    CHECK(h.advance(500).size() == 1);
    CHECK(h.gateway->counters().retransmits == 2);
}

TEST_CASE("DPD deadline: IKE activity postpones the probe, the probe's answer re-arms it") {
    GatewayHarness h;  // DPD every 10 s, 2 retries
    TestInitiator a(kClientA, h.local);
    connect_psk_client(h, a);
    // The client talks 6 s later: when DPD comes due 10 s after IKE_AUTH, the peer was
    // active within the interval, so no probe; the next look is an interval later.
    h.advance(6'000);
    REQUIRE(a.open_response(h.deliver(natt_of(kClientA), a.request(ExchangeType::INFORMATIONAL, {}))).empty());
    const std::uint64_t before = visits(h);
    CHECK(h.advance(3'500).empty());
    CHECK(h.advance(500).empty());  // 10 s after IKE_AUTH: looked at, not probed
    CHECK(visits(h) == before + 1);
    CHECK(h.advance(9'500).empty());
    CHECK(visits(h) == before + 1);
    auto probe = h.advance(500);
    REQUIRE(probe.size() == 1);
    CHECK(h.gateway->counters().dpd_sent == 1);
    CHECK(visits(h) == before + 2);
    // Answered: the next probe 10 s after the answer.
    h.advance(2'000);
    h.deliver(natt_of(kClientA), a.answer_request(probe[0], {}).second);
    CHECK(h.advance(9'500).empty());
    CHECK(h.advance(500).size() == 1);
    CHECK(h.gateway->counters().dpd_sent == 2);
}

TEST_CASE("DPD deadline: ESP traffic counts as life; the kernel is asked only when DPD is due") {
    GatewayHarness h;
    TestInitiator a(kClientA, h.local);
    connect_psk_client(h, a);
    const ike::IkeSa& sa = only_sa(h);
    REQUIRE(sa.children.size() == 1);
    h.advance(9'500);
    CHECK(h.kernel.call_count(FakeKernel::Op::QuerySa) == 0);
    kernel::SaCounters esp;
    esp.bytes = 1000;
    esp.packets = 10;
    h.kernel.set_counters(sa.local.addr, sa.children[0].spi_in, esp);
    CHECK(h.advance(500).empty());  // due: ESP came in, no probe
    CHECK(h.kernel.call_count(FakeKernel::Op::QuerySa) == 1);
    CHECK(h.advance(9'500).empty());
    CHECK(h.kernel.call_count(FakeKernel::Op::QuerySa) == 1);
    CHECK(h.advance(500).size() == 1);  // no ESP since: probed
    CHECK(h.kernel.call_count(FakeKernel::Op::QuerySa) == 2);
}

TEST_CASE("lifetime deadline: with DPD answered in between, the IKE SA still ends at lifetime plus grace") {
    std::string toml = config_with(kTestConfig, "groups", "groups = [\"ecp256\", \"curve25519\"]\nlifetime_seconds = 120");
    toml = config_with(toml, "interval_s", "interval_s = 50");
    GatewayHarness h(toml);
    TestInitiator a(kClientA, h.local);
    connect_psk_client(h, a);
    for (int i = 0; i < 2; ++i) {  // probes at 50 s and 100 s, answered
        auto probe = h.advance(50'000);
        REQUIRE(probe.size() == 1);
        h.deliver(natt_of(kClientA), a.answer_request(probe[0], {}).second);
    }
    CHECK(h.advance(31'500).empty());  // 131.5 s
    auto del = h.advance(500);         // 132 s = 120 s + a tenth
    REQUIRE(del.size() == 1);
    auto [payloads, answer] = a.answer_request(del[0], {});
    REQUIRE(payloads.size() == 1);
    CHECK(payloads[0].type == PayloadType::Delete);
    CHECK(h.gateway->counters().lifetime_expired == 1);
}

TEST_CASE("rekey grace deadline: the old IKE SA goes when the peer does not delete it; the new one is armed") {
    GatewayHarness h(without_dpd());
    TestInitiator a(kClientA, h.local);
    connect_psk_client(h, a);
    const std::uint64_t old_spi = only_sa(h).spi_r;
    // CREATE_CHILD_SA rekeying the IKE SA (RFC 7296 1.3.2), through the gateway.
    auto kex = crypto::KeyExchange::create(iana::DhGroup::ECP_256);
    wire::Proposal p;
    p.number = 1;
    p.protocol = iana::ProtocolId::IKE;
    p.spi = Bytes{1, 2, 3, 4, 5, 6, 7, 8};
    p.transforms.push_back(ike::make_transform(iana::TransformType::ENCR, static_cast<std::uint16_t>(iana::EncrId::AES_CBC), 256));
    p.transforms.push_back(ike::make_transform(iana::TransformType::PRF, static_cast<std::uint16_t>(iana::PrfId::HMAC_SHA2_256)));
    p.transforms.push_back(
        ike::make_transform(iana::TransformType::INTEG, static_cast<std::uint16_t>(iana::IntegId::HMAC_SHA2_256_128)));
    p.transforms.push_back(ike::make_transform(iana::TransformType::DH, static_cast<std::uint16_t>(iana::DhGroup::ECP_256)));
    std::vector<wire::Payload> rekey{{PayloadType::SA, false, wire::SaPayload{{p}}},
                                     {PayloadType::Nonce, false, wire::NoncePayload{crypto::random_nonce(32)}},
                                     {PayloadType::KE, false,
                                      wire::KePayload{static_cast<std::uint16_t>(iana::DhGroup::ECP_256),
                                                      Bytes(kex->public_value().begin(), kex->public_value().end())}}};
    h.advance(3'000);
    auto resp = a.open_response(h.deliver(natt_of(kClientA), a.request(ExchangeType::CREATE_CHILD_SA, rekey)));
    REQUIRE(error_notify(resp) == 0);
    REQUIRE(h.gateway->sas().size() == 2);
    const ike::IkeSa& old = *h.gateway->sas().at(old_spi);
    REQUIRE(old.rekeyed_to);
    const std::uint64_t new_spi = *old.rekeyed_to;
    // The grace is 2 x retransmit_base_ms x retransmit_tries = 40 s.
    CHECK(h.advance(39'500).empty());
    CHECK(old.state == ike::IkeSaState::Established);
    auto del = h.advance(500);
    REQUIRE(del.size() == 1);
    CHECK(h.gateway->sas().at(old_spi)->state == ike::IkeSaState::Deleting);
    CHECK(h.gateway->sas().at(new_spi)->state == ike::IkeSaState::Established);
    // The successor is armed too: its lifetime/DPD/... come from its own state; with
    // nothing configured it has no deadline and is never visited.
    CHECK(h.gateway->sas().at(new_spi)->timer_tracked);
}
