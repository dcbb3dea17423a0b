// Redirect (RFC 5685) in-process: the load rule of [redirect] in IKE_SA_INIT and in
// IKE_AUTH, only for clients that announce REDIRECT_SUPPORTED, and the live redirect of
// a session (INFORMATIONAL with REDIRECT) until the session ends cleanly. What the
// REDIRECT payloads hold is read back with the RFC's layout (wire/redirect_data.hpp,
// whose own test checks it against hand-written bytes).
#include <catch2/catch.hpp>

#include "exchange_helpers.hpp"
#include "gateway_harness.hpp"
#include "test_initiator.hpp"
#include "wire/redirect_data.hpp"

using namespace test_ike;
using namespace ikev2d;
using iana::ExchangeType;
using iana::NotifyType;
using iana::PayloadType;

namespace {

Endpoint client(int n) { return Endpoint{IpAddress::from_string("203.0.113." + std::to_string(n)), 500}; }

std::string with_redirect(const std::string& lines, std::string toml = kTestConfig) {
    return toml + "\n[redirect]\n" + lines + "\n";
}

void announce_redirect_support(TestInitiator& ini, NotifyType type = NotifyType::REDIRECT_SUPPORTED, Bytes data = {}) {
    ini.extra_sa_init_payloads.push_back(ike::notify_payload(type, std::move(data)));
}

// The REDIRECT notify's data in a payload list, decoded; fails the test if absent or malformed.
wire::RedirectData redirect_in(const std::vector<wire::Payload>& payloads) {
    const auto* n = ike::find_notify(payloads, NotifyType::REDIRECT);
    REQUIRE(n != nullptr);
    CHECK(n->protocol == 0);
    CHECK(n->spi.empty());
    auto data = wire::decode_redirect_data(n->data);
    REQUIRE(data);
    return *data;
}

std::string without_dpd(std::string toml) { return config_with(std::move(toml), "interval_s", "interval_s = 0"); }

ike::IkeSa& established(GatewayHarness& h) {
    for (auto& [spi, sa] : h.gateway->sas())
        if (sa->state == ike::IkeSaState::Established) return *sa;
    FAIL("no established IKE SA");
    throw;
}

}  // namespace

TEST_CASE("IKE_SA_INIT redirect: over max_sessions a client with REDIRECT_SUPPORTED gets REDIRECT with its Ni, in turn; "
          "others are served", "[redirect]") {
    GatewayHarness h(with_redirect("gateways = [\"198.51.100.2\", \"gw-b.example\"]\nmax_sessions = 1"));
    // Below the limit: served, even when it supports redirects.
    TestInitiator first(client(1), h.local);
    announce_redirect_support(first);
    REQUIRE(error_notify(connect_psk_client(h, first)) == 0);
    REQUIRE(established_sas(h) == 1);
    const auto failed_before = h.gateway->counters().ike_sa_failed;

    // At the limit: redirected, first to the first gateway, then to the next.
    const char* expected[] = {"198.51.100.2", "gw-b.example", "198.51.100.2"};
    const wire::GatewayIdType types[] = {wire::GatewayIdType::IPv4, wire::GatewayIdType::Fqdn, wire::GatewayIdType::IPv4};
    for (int i = 0; i < 3; ++i) {
        TestInitiator c(client(10 + i), h.local);
        announce_redirect_support(c);
        auto out = h.deliver(c.self(), c.sa_init_request({}));
        REQUIRE(out.size() == 1);
        wire::Message m = parsed(out[0]);
        CHECK(m.header.is_response());
        CHECK(m.header.spi_i == c.spi_i());
        CHECK(m.header.spi_r == 0);  // no SA here (RFC 5685 4)
        REQUIRE(m.payloads.size() == 1);
        wire::RedirectData data = redirect_in(m.payloads);
        CHECK(data.gateway.type == types[i]);
        CHECK(data.gateway.to_string() == expected[i]);
        CHECK(data.nonce == c.nonce_i());  // the client's Ni
    }
    CHECK(h.gateway->counters().redirects == 3);
    CHECK(h.gateway->counters().ike_sa_failed == failed_before);
    CHECK(h.gateway->half_open() == 0);
    CHECK(live_sas(h) == 1);
    CHECK(h.jobs_in_flight() == 0);  // no key exchange computed for them

    // Without REDIRECT_SUPPORTED: served as usual, over the limit or not.
    TestInitiator plain(client(20), h.local);
    REQUIRE(error_notify(connect_psk_client(h, plain)) == 0);
    CHECK(established_sas(h) == 2);
    // A client that comes redirected from elsewhere is not sent on again.
    TestInitiator moved(client(21), h.local);
    announce_redirect_support(moved, NotifyType::REDIRECTED_FROM, wire::encode_redirect_data({*wire::GatewayIdentity::parse("198.51.100.9"), {}}));
    REQUIRE(error_notify(connect_psk_client(h, moved)) == 0);
    CHECK(established_sas(h) == 3);
    CHECK(h.gateway->counters().redirects == 3);
}

TEST_CASE("IKE_SA_INIT redirect: max_sessions = 0 drains; sessions that end make room again", "[redirect]") {
    GatewayHarness h(with_redirect("gateways = [\"2001:db8::2\"]\nmax_sessions = 0"));
    TestInitiator c(client(1), h.local);
    announce_redirect_support(c);
    auto out = h.deliver(c.self(), c.sa_init_request({}));
    REQUIRE(out.size() == 1);
    wire::RedirectData data = redirect_in(parsed(out[0]).payloads);
    CHECK(data.gateway.type == wire::GatewayIdType::IPv6);
    CHECK(data.gateway.to_string() == "2001:db8::2");

    GatewayHarness limited(with_redirect("gateways = [\"198.51.100.2\"]\nmax_sessions = 1"));
    TestInitiator a(client(2), limited.local);
    announce_redirect_support(a);
    REQUIRE(error_notify(connect_psk_client(limited, a)) == 0);
    REQUIRE(limited.gateway->disconnect(established(limited).unique_id, "administrator") == 1);
    // The session is down (the Delete's answer is not needed for that): the next is served.
    TestInitiator b(client(3), limited.local);
    announce_redirect_support(b);
    REQUIRE(error_notify(connect_psk_client(limited, b)) == 0);
    CHECK(limited.gateway->counters().redirects == 0);
}

TEST_CASE("IKE_AUTH redirect (when = \"auth\"): AUTH and REDIRECT without nonce or Child SA, nothing left behind",
          "[redirect]") {
    GatewayHarness h(with_redirect("gateways = [\"gw-b.example\"]\nmax_sessions = 0\nwhen = \"auth\""));
    TestInitiator c(client(1), h.local);
    announce_redirect_support(c);
    auto answer = connect_psk_client(h, c);  // IKE_SA_INIT is answered normally
    CHECK(error_notify(answer) == 0);
    CHECK(ike::find_payload<wire::AuthPayload>(answer, PayloadType::AUTH) != nullptr);
    CHECK(ike::find_payload<wire::IdPayload>(answer, PayloadType::IDr) != nullptr);
    wire::RedirectData data = redirect_in(answer);
    CHECK(data.gateway.to_string() == "gw-b.example");
    CHECK(data.nonce.empty());  // RFC 5685 5: only IKE_SA_INIT's REDIRECT carries a nonce
    CHECK(ike::find_payload<wire::SaPayload>(answer, PayloadType::SA) == nullptr);
    CHECK(ike::find_payload<wire::TsPayload>(answer, PayloadType::TSi) == nullptr);
    CHECK(ike::find_payload<wire::CpPayload>(answer, PayloadType::CP) == nullptr);
    CHECK(established_sas(h) == 0);
    CHECK(live_sas(h) == 0);
    CHECK(h.kernel.sas().empty());
    CHECK(h.gateway->pools().at("p").used() == 0);
    CHECK(h.gateway->counters().redirects == 1);

    // Without REDIRECT_SUPPORTED the same gateway serves it.
    TestInitiator plain(client(2), h.local);
    auto served = connect_psk_client(h, plain);
    CHECK(error_notify(served) == 0);
    CHECK(ike::find_notify(served, NotifyType::REDIRECT) == nullptr);
    CHECK(established_sas(h) == 1);
}

TEST_CASE("live redirect: INFORMATIONAL with REDIRECT; the client deletes the IKE SA and the session ends cleanly",
          "[redirect]") {
    GatewayHarness h(without_dpd(kTestConfig));
    TestInitiator c(client(1), h.local);
    announce_redirect_support(c);
    REQUIRE(error_notify(connect_psk_client(h, c)) == 0);
    const std::uint32_t id = established(h).unique_id;
    REQUIRE(h.kernel.sas().size() == 2);
    h.sent.clear();
    REQUIRE(h.gateway->redirect(id, "198.51.100.2") == "");
    REQUIRE(h.sent.size() == 1);
    auto [request, ack] = c.answer_request(h.sent[0].data, {});
    wire::Message outer = parsed(h.sent[0].data);
    CHECK(outer.header.exchange == ExchangeType::INFORMATIONAL);
    CHECK_FALSE(outer.header.is_response());
    REQUIRE(request.size() == 1);
    wire::RedirectData data = redirect_in(request);
    CHECK(data.gateway.to_string() == "198.51.100.2");
    CHECK(data.nonce.empty());
    CHECK(h.deliver(natt_of(c.self()), ack).empty());
    CHECK(h.gateway->counters().redirects == 1);
    // Asked again while it moves: refused, nothing sent.
    h.sent.clear();
    CHECK(h.gateway->redirect(id, "198.51.100.3").find("already") != std::string::npos);
    CHECK(h.sent.empty());

    // The client moved: it deletes the old IKE SA.
    wire::DeletePayload del;
    del.protocol = static_cast<std::uint8_t>(iana::ProtocolId::IKE);
    auto answer = c.open_response(h.deliver(natt_of(c.self()), c.request(ExchangeType::INFORMATIONAL, {{PayloadType::Delete, false, del}})));
    CHECK(answer.empty());
    CHECK(live_sas(h) == 0);
    CHECK(h.kernel.sas().empty());
    CHECK(h.gateway->pools().at("p").used() == 0);
    CHECK(h.advance(120'000).empty());  // and no Delete of ours later
}

TEST_CASE("live redirect: a client that does not leave is deleted after the grace time", "[redirect]") {
    GatewayHarness h(without_dpd(kTestConfig));  // grace: 2 x 4 s x 5 tries = 40 s
    TestInitiator c(client(1), h.local);
    announce_redirect_support(c);
    REQUIRE(error_notify(connect_psk_client(h, c)) == 0);
    h.sent.clear();
    REQUIRE(h.gateway->redirect(established(h).unique_id, "gw-b.example") == "");
    REQUIRE(h.sent.size() == 1);
    h.deliver(natt_of(c.self()), c.answer_request(h.sent[0].data, {}).second);
    CHECK(h.advance(39'500).empty());
    CHECK(established_sas(h) == 1);
    auto del = h.advance(500);
    REQUIRE(del.size() == 1);
    auto [payloads, answer] = c.answer_request(del[0], {});
    REQUIRE(payloads.size() == 1);
    CHECK(payloads[0].type == PayloadType::Delete);
    h.deliver(natt_of(c.self()), answer);
    CHECK(live_sas(h) == 0);
    CHECK(h.kernel.sas().empty());
    CHECK(h.gateway->pools().at("p").used() == 0);
}

TEST_CASE("live redirect is refused for clients without REDIRECT_SUPPORTED, unknown sessions and bad gateways",
          "[redirect]") {
    GatewayHarness h(without_dpd(kTestConfig));
    TestInitiator c(client(1), h.local);
    REQUIRE(error_notify(connect_psk_client(h, c)) == 0);
    const std::uint32_t id = established(h).unique_id;
    h.sent.clear();
    CHECK(h.gateway->redirect(id, "198.51.100.2").find("did not announce REDIRECT_SUPPORTED") != std::string::npos);
    CHECK(h.gateway->redirect(id + 100, "198.51.100.2").find("no session") != std::string::npos);
    CHECK(h.gateway->redirect(id, "not a gateway").find("neither") != std::string::npos);
    CHECK(h.sent.empty());
    CHECK(established_sas(h) == 1);
    CHECK(h.gateway->counters().redirects == 0);
}
