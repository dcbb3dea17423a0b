// IKE_AUTH with EAP relayed to a real FreeRADIUS (tests/aaa/with-freeradius.sh starts it):
// the in-process gateway and test initiator run EAP-MSCHAPv2 end to end through the
// server; the Access-Accept's Filter-Id picks the group, Framed-IP-Address the address,
// Session-Timeout the session's limit; a wrong password leaves nothing behind.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <memory>
#include <set>


#include "anyconnect_login.hpp"
#include "eap_login.hpp"
#include "exchange_helpers.hpp"
#include "gateway_harness.hpp"
#include "test_initiator.hpp"
#include "wire/redirect_data.hpp"

using namespace test_ike;
using namespace ikev2d;

namespace {

const Endpoint kA{IpAddress::from_string("198.51.100.7"), 500};
const Endpoint kB{IpAddress::from_string("198.51.100.8"), 500};

std::string radius_config() {
    const char* port = std::getenv("IKEV2D_RADIUS_PORT");
    const char* secret = std::getenv("IKEV2D_RADIUS_SECRET");
    REQUIRE(port);
    REQUIRE(secret);
    std::string toml = config_with(kTestConfig, "default_group", "default_group = \"radius\"");
    toml += "\n[pool.staff]\nrange = \"10.99.7.0/24\"\n"
            "[group.radius]\npool = \"p\"\nauthentication = \"radius\"\nidle_timeout_s = 0\n"
            "[group.staff]\npool = \"staff\"\nauthentication = \"radius\"\nidle_timeout_s = 0\n"
            "[radius]\nservers = [\"test\"]\ntimeout_s = 2\nretries = 1\n"
            "[radius.server.test]\naddress = \"127.0.0.1\"\nsecret = \"" + std::string(secret) + "\"\n"
            "auth_port = " + port + "\nacct_port = " + std::to_string(std::atoi(port) + 1) + "\n";
    return toml;
}

// The same, for one of two gateways that share FreeRADIUS's address pool
// (tests/aaa/freeradius_shared_pool.sh): each says its own name; both pools hold the
// server's range, so the address comes from the server.
std::string shared_pool_config(const std::string& nas_identifier) {
    std::string toml = radius_config();
    const auto radius = toml.find("[radius]\n");
    REQUIRE(radius != std::string::npos);
    toml.insert(radius + 9, "nas_identifier = \"" + nas_identifier + "\"\n");
    toml += "[pool.shared]\nrange = \"10.99.8.0/24\"\n";
    const auto group = toml.find("[group.radius]\npool = \"p\"");
    REQUIRE(group != std::string::npos);
    toml.replace(group, std::string("[group.radius]\npool = \"p\"").size(), "[group.radius]\npool = \"shared\"");
    return toml;
}

void attach_radius(GatewayHarness& h) {
    h.gateway->set_radius(std::make_shared<aaa::RadiusClient>(*h.config->radius));
}

IpAddress assigned(const std::vector<wire::Payload>& payloads) {
    const auto* cp = find_payload<wire::CpPayload>(payloads, iana::PayloadType::CP);
    REQUIRE(cp != nullptr);
    for (const auto& a : cp->attributes)
        if (a.type == static_cast<std::uint16_t>(iana::CfgAttr::INTERNAL_IP4_ADDRESS)) return IpAddress::from_bytes(a.value);
    FAIL("no address in CP");
    return {};
}

}  // namespace

TEST_CASE("AnyConnect's aggregate-auth password goes to FreeRADIUS as PAP; the Access-Accept shapes the session",
          "[radius][anyconnect]") {
    GatewayHarness h(radius_config());
    attach_radius(h);
    TestInitiator a(kA, h.local);
    auto up = connect_anyconnect(h, a, {"alice", "alice-pw", false, 0}).last;
    REQUIRE(error_notify(up) == 0);
    REQUIRE(established_sas(h) == 1);
    const ike::IkeSa& sa = *h.gateway->sas().begin()->second;
    CHECK(sa.username == "alice");
    CHECK(sa.group == "staff");  // Filter-Id "staff"
    CHECK(assigned(up).to_string() == "10.99.7.7");  // Framed-IP-Address

    TestInitiator b(kB, h.local);
    auto form = connect_anyconnect(h, b, {"bob", "not-bobs-password", false, 0}).last;
    // A wrong password gets the form again (as on the ASA); this client answers "ack" instead, and is refused.
    const auto* again = find_payload<wire::EapPayload>(form, iana::PayloadType::EAP);
    REQUIRE(again);
    REQUIRE(again->data.size() >= 2);
    auto refused = b.open_response(h.deliver(natt_of(kB), b.request(iana::ExchangeType::IKE_AUTH,
        {{iana::PayloadType::EAP, false, wire::EapPayload{anyconnect_eap_response(again->data[1], anyconnect_doc("ack"))}}})));
    CHECK(error_notify(refused) == static_cast<std::uint16_t>(iana::NotifyType::AUTHENTICATION_FAILED));
    CHECK(established_sas(h) == 1);
    CHECK(h.gateway->pools().at("p").used() == 0);
}

TEST_CASE("EAP-MSCHAPv2 through FreeRADIUS: the MSK keys AUTH; Filter-Id, Framed-IP-Address, Session-Timeout apply",
          "[radius]") {
    GatewayHarness h(radius_config());
    attach_radius(h);
    TestInitiator a(kA, h.local);
    // IDi names no local user: the default group, which relays to RADIUS; the EAP identity is alice.
    auto up = connect_eap(h, a, {"laptop-1", "alice", "alice", "alice-pw", false, 0x0a000001});
    REQUIRE(error_notify(up) == 0);
    REQUIRE(find_payload<wire::AuthPayload>(up, iana::PayloadType::AUTH));  // AUTH from the MSK checked by the initiator
    CHECK(assigned(up).to_string() == "10.99.7.7");
    REQUIRE(established_sas(h) == 1);
    const ike::IkeSa& sa = *h.gateway->sas().begin()->second;
    CHECK(sa.username == "alice");
    CHECK(sa.group == "staff");  // Filter-Id "staff"
    REQUIRE(sa.radius);
    REQUIRE(sa.radius->classes.size() == 1);
    CHECK(sa.limits.session_ends_ms == h.now_ms + 3600'000);
    CHECK(h.gateway->pools().at("staff").in_use(IpAddress::from_string("10.99.7.7")));

    // bob has no attributes: the default group and its pool.
    TestInitiator b(kB, h.local);
    auto bob = connect_eap(h, b, {"laptop-2", "bob", "bob", "bob-pw", false, 0x0b000002});
    REQUIRE(error_notify(bob) == 0);
    CHECK(h.gateway->pools().at("p").contains(assigned(bob)));
}

TEST_CASE("a wrong password through FreeRADIUS is refused with nothing left behind", "[radius]") {
    GatewayHarness h(radius_config());
    attach_radius(h);
    TestInitiator a(kA, h.local);
    auto refused = connect_eap(h, a, {"laptop-1", "bob", "bob", "not-bobs-password", false, 0x0a000001});
    CHECK(error_notify(refused) == static_cast<std::uint16_t>(iana::NotifyType::AUTHENTICATION_FAILED));
    CHECK(established_sas(h) == 0);
    CHECK(h.kernel.sas().empty());
    CHECK(h.gateway->pools().at("p").used() == 0);
    CHECK(h.gateway->counters().auth_failures == 1);
}

TEST_CASE("two gateways, one FreeRADIUS address pool (sqlippool): 20 clients split across them, no address twice",
          "[shared-pool]") {
    GatewayHarness gw_a(shared_pool_config("gw-a")), gw_b(shared_pool_config("gw-b"));
    attach_radius(gw_a);
    attach_radius(gw_b);
    std::set<std::string> given;
    std::vector<std::unique_ptr<TestInitiator>> clients;
    for (std::uint32_t i = 0; i < 20; ++i) {
        GatewayHarness& h = i % 2 ? gw_b : gw_a;
        const Endpoint at{IpAddress::from_string("198.51.100." + std::to_string(20 + i)), 500};
        clients.push_back(std::make_unique<TestInitiator>(at, h.local));
        auto up = connect_eap(h, *clients.back(), {"laptop-" + std::to_string(i), "bob", "bob", "bob-pw", false, 0x0c000000 + i});
        REQUIRE(error_notify(up) == 0);
        const IpAddress address = assigned(up);
        INFO("client " << i << " got " << address.to_string());
        // From the server's range (10.99.8.10-41), not the gateway's own first free address.
        CHECK(address.bytes[3] >= 10);
        CHECK(address.bytes[3] <= 41);
        CHECK(given.insert(address.to_string()).second);
        CHECK(h.gateway->pools().at("shared").in_use(address));
    }
    CHECK(given.size() == 20);
    CHECK(established_sas(gw_a) == 10);
    CHECK(established_sas(gw_b) == 10);
}

TEST_CASE("an Access-Accept with Cisco-AVPair ikev2d:redirect= redirects a client that supports it, in IKE_AUTH",
          "[radius][redirect]") {
    GatewayHarness h(radius_config());
    attach_radius(h);
    TestInitiator a(kA, h.local);
    a.extra_sa_init_payloads.push_back(ike::notify_payload(iana::NotifyType::REDIRECT_SUPPORTED));
    auto last = connect_eap(h, a, {"laptop-1", "carol", "carol", "carol-pw", false, 0x0a000001});
    REQUIRE(error_notify(last) == 0);
    CHECK(find_payload<wire::AuthPayload>(last, iana::PayloadType::AUTH));
    const auto* n = ike::find_notify(last, iana::NotifyType::REDIRECT);
    REQUIRE(n != nullptr);
    auto data = wire::decode_redirect_data(n->data);
    REQUIRE(data);
    CHECK(data->gateway.type == wire::GatewayIdType::IPv4);
    CHECK(data->gateway.to_string() == "198.51.100.2");
    CHECK(data->nonce.empty());
    CHECK(find_payload<wire::SaPayload>(last, iana::PayloadType::SA) == nullptr);
    CHECK(established_sas(h) == 0);
    CHECK(h.kernel.sas().empty());
    CHECK(h.gateway->pools().at("p").used() == 0);

    // The same user without REDIRECT_SUPPORTED: served here.
    TestInitiator b(kB, h.local);
    auto served = connect_eap(h, b, {"laptop-2", "carol", "carol", "carol-pw", false, 0x0b000002});
    REQUIRE(error_notify(served) == 0);
    CHECK(ike::find_notify(served, iana::NotifyType::REDIRECT) == nullptr);
    CHECK(established_sas(h) == 1);
}
