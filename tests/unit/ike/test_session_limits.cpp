// Session limits (issue 12): idle timeout on the kernel's ESP counters, maximum session
// time, simultaneous logins per user; each closes with its fixed reason.
#include <catch2/catch.hpp>

#include "exchange_helpers.hpp"
#include "gateway_harness.hpp"
#include "ike/session_end.hpp"
#include "test_initiator.hpp"

using namespace test_ike;
using namespace ikev2d;

namespace {

const Endpoint kA{IpAddress::from_string("198.51.100.7"), 500};
const Endpoint kB{IpAddress::from_string("198.51.100.8"), 500};
const Endpoint kC{IpAddress::from_string("198.51.100.9"), 500};

std::string psk_group_with(const std::string& lines) {
    std::string toml = kTestConfig;
    const auto at = toml.find("[group.psk]\n");
    REQUIRE(at != std::string::npos);
    const auto end = toml.find("idle_timeout_s = 0\n", at);
    REQUIRE(end != std::string::npos);
    toml.replace(end, std::string("idle_timeout_s = 0\n").size(), lines);
    return toml;
}

struct Downs {
    std::vector<std::pair<std::uint32_t, std::string>> list;
    void attach(GatewayHarness& h) {
        h.gateway->on_session_down = [this](const ike::IkeSa& sa, const std::string& reason) {
            list.emplace_back(sa.unique_id, ike::session_end_name(ike::session_end_of(reason)));
        };
    }
};

// Advances the clock in steps of 500 ms; every client answers the gateway's requests
// (DPD probes) sent to it, as a live peer does.
void live_for(GatewayHarness& h, std::vector<TestInitiator*> clients, std::uint64_t ms) {
    for (std::uint64_t t = 0; t < ms; t += 500) {
        h.sent.clear();
        h.now_ms += 500;
        h.gateway->on_timer();
        std::vector<Sent> out = std::move(h.sent);
        h.sent.clear();
        for (const Sent& packet : out)
            for (TestInitiator* c : clients)
                if (natt_of(c->self()) == packet.remote) h.deliver(packet.remote, c->answer_request(packet.data, {}).second);
    }
}

// Sets the kernel's counters of every Child SA of the one established session.
void traffic(GatewayHarness& h, std::uint64_t bytes) {
    for (const auto& [spi, sa] : h.gateway->sas())
        for (const auto& child : sa->children) h.kernel.set_counters(sa->local.addr, child.spi_in, {bytes, bytes / 100, 0});
}

}  // namespace

TEST_CASE("idle timeout: a session without ESP traffic is closed within 1-1.25 idle_timeout_s, traffic postpones it",
          "[limits][session]") {
    GatewayHarness h(psk_group_with("idle_timeout_s = 60\n"));
    Downs downs;
    downs.attach(h);
    TestInitiator a(kA, h.local);
    REQUIRE(error_notify(connect_psk_client(h, a)) == 0);
    live_for(h, {&a}, 40'000);
    traffic(h, 1000);  // traffic at t=40 s
    live_for(h, {&a}, 60'000);  // t=100 s: idle for 60 s, but the traffic was seen only at the next look
    CHECK(established_sas(h) == 1);
    CHECK(downs.list.empty());
    live_for(h, {&a}, 20'000);  // t=120 s: idle for 80 s, more than 1.25 idle timeouts
    REQUIRE(downs.list.size() == 1);
    CHECK(downs.list[0].second == "idle timeout");
    CHECK(h.kernel.sas().empty());
    CHECK(h.gateway->pools().at("p").used() == 0);
}

TEST_CASE("maximum session time: the session is closed once max_session_s is over, traffic or not",
          "[limits][session]") {
    GatewayHarness h(psk_group_with("idle_timeout_s = 0\nmax_session_s = 300\n"));
    Downs downs;
    downs.attach(h);
    TestInitiator a(kA, h.local);
    REQUIRE(error_notify(connect_psk_client(h, a)) == 0);
    for (int i = 1; i <= 29; ++i) {  // busy all along
        traffic(h, 1000u * i);
        live_for(h, {&a}, 10'000);
    }
    CHECK(downs.list.empty());
    live_for(h, {&a}, 15'000);
    REQUIRE(downs.list.size() == 1);
    CHECK(downs.list[0].second == "session timeout");
}

TEST_CASE("simultaneous logins: a login over the limit closes the user's oldest session", "[limits][session]") {
    GatewayHarness h(psk_group_with("idle_timeout_s = 0\nsimultaneous_logins = 2\n"));
    Downs downs;
    downs.attach(h);
    TestInitiator a(kA, h.local), b(kB, h.local), c(kC, h.local);
    REQUIRE(error_notify(connect_psk_client(h, a)) == 0);
    REQUIRE(error_notify(connect_psk_client(h, b)) == 0);
    CHECK(downs.list.empty());
    const std::uint32_t oldest = [&] {
        std::uint32_t id = ~0u;
        for (const auto& [spi, sa] : h.gateway->sas()) id = std::min(id, sa->unique_id);
        return id;
    }();
    // c's IKE_AUTH: its answer, and a Delete to the oldest session's peer.
    sa_init_ok(h, c);
    h.deliver(natt_of(kC), c.request(iana::ExchangeType::IKE_AUTH, c.auth_payloads("site@psk.test", kTestPsk, true)));
    REQUIRE(downs.list.size() == 1);
    CHECK(downs.list[0].first == oldest);
    CHECK(downs.list[0].second == "replaced");
    CHECK(established_sas(h) == 2);
}

TEST_CASE("no limits configured: nothing closes an idle session but DPD", "[limits][session]") {
    GatewayHarness h(psk_group_with("idle_timeout_s = 0\n"));
    Downs downs;
    downs.attach(h);
    TestInitiator a(kA, h.local), b(kB, h.local), c(kC, h.local);
    for (TestInitiator* t : {&a, &b, &c}) REQUIRE(error_notify(connect_psk_client(h, *t)) == 0);
    live_for(h, {&a, &b, &c}, 3600'000);
    CHECK(downs.list.empty());
    CHECK(established_sas(h) == 3);
}

TEST_CASE("RADIUS CoA: a new session timeout counts from the change; 0 lifts it; other sessions keep theirs",
          "[limits][session][coa]") {
    GatewayHarness h(psk_group_with("idle_timeout_s = 0\nmax_session_s = 3600\n"));
    Downs downs;
    downs.attach(h);
    TestInitiator a(kA, h.local), b(kB, h.local);
    REQUIRE(error_notify(connect_psk_client(h, a)) == 0);
    REQUIRE(error_notify(connect_psk_client(h, b)) == 0);
    std::uint32_t id_a = 0, id_b = 0;
    for (const auto& [spi, sa] : h.gateway->sas()) (sa->remote.addr == kA.addr ? id_a : id_b) = sa->unique_id;
    REQUIRE(id_a != 0);
    REQUIRE(id_b != 0);

    CHECK(h.gateway->change_session_limits(id_a, 60u, std::nullopt) == 1);
    CHECK(h.gateway->change_session_limits(4242, 60u, std::nullopt) == 0);  // no such session
    live_for(h, {&a, &b}, 55'000);
    CHECK(downs.list.empty());
    live_for(h, {&a, &b}, 10'000);
    REQUIRE(downs.list.size() == 1);
    CHECK(downs.list[0].first == id_a);
    CHECK(downs.list[0].second == "session timeout");

    // 0: b's configured hour no longer applies.
    CHECK(h.gateway->change_session_limits(id_b, 0u, std::nullopt) == 1);
    live_for(h, {&b}, 3700'000);
    CHECK(downs.list.size() == 1);
}

TEST_CASE("RADIUS CoA: an idle timeout set on a live session closes it when idle", "[limits][session][coa]") {
    GatewayHarness h(psk_group_with("idle_timeout_s = 0\n"));
    Downs downs;
    downs.attach(h);
    TestInitiator a(kA, h.local);
    REQUIRE(error_notify(connect_psk_client(h, a)) == 0);
    live_for(h, {&a}, 120'000);
    REQUIRE(downs.list.empty());
    const std::uint32_t id = h.gateway->sas().begin()->second->unique_id;
    CHECK(h.gateway->change_session_limits(id, std::nullopt, 30u) == 1);
    live_for(h, {&a}, 25'000);
    CHECK(downs.list.empty());  // counted from the change, not from the last packet
    live_for(h, {&a}, 20'000);
    REQUIRE(downs.list.size() == 1);
    CHECK(downs.list[0].second == "idle timeout");
}
