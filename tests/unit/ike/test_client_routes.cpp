// The route toward each client's address (issue 10): installed with the client's first
// Child SA along the path to its outer address, kept across Child SA rekeys, removed
// with the session; no path means no session (not a dead tunnel).
#include <catch2/catch.hpp>

#include "exchange_helpers.hpp"

using namespace test_ike;
using iana::ExchangeType;
using iana::NotifyType;
using iana::PayloadType;

namespace {

const Endpoint kClient{IpAddress::from_string("192.0.2.11"), 500};

IpAddress ip(const char* text) { return IpAddress::from_string(text); }

}  // namespace

TEST_CASE("a client's address is routed toward its outer address, and unrouted when it leaves") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    auto resp = connect_psk_client(h, ini);
    REQUIRE(error_notify(resp) == 0);
    REQUIRE(h.kernel.client_routes().size() == 1);
    REQUIRE(h.kernel.client_routes().count(ip("10.2.2.1")) == 1);
    CHECK(h.kernel.client_routes().at(ip("10.2.2.1")) == kClient.addr);

    wire::DeletePayload del;
    del.protocol = static_cast<std::uint8_t>(iana::ProtocolId::IKE);
    ini.open_response(h.deliver(natt_of(kClient), ini.request(ExchangeType::INFORMATIONAL, {{PayloadType::Delete, false, del}})));
    CHECK(h.kernel.client_routes().empty());
    CHECK(h.kernel.sas().empty());
}

TEST_CASE("no path to the client: the session is refused and deleted, nothing stays") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    sa_init_ok(h, ini);
    h.kernel.fail_next(kernel::FakeKernel::Op::AddClientRoute, ENETUNREACH);
    auto out = h.deliver(natt_of(kClient), ini.request(ExchangeType::IKE_AUTH, ini.auth_payloads("site@psk.test", kTestPsk, true)));
    // The IKE_AUTH answer, then our Delete of the IKE SA.
    REQUIRE(out.size() == 2);
    auto resp = ini.open_response({out[0]});
    CHECK(error_notify(resp) == code(NotifyType::INTERNAL_ADDRESS_FAILURE));
    CHECK(ike::find_payload<wire::SaPayload>(resp, PayloadType::SA) == nullptr);
    CHECK(ike::find_payload<wire::CpPayload>(resp, PayloadType::CP) == nullptr);
    auto [request, answer] = ini.answer_request(out[1], {});
    REQUIRE(request.size() == 1);
    const auto* del = ike::find_payload<wire::DeletePayload>(request, PayloadType::Delete);
    REQUIRE(del != nullptr);
    CHECK(del->protocol == static_cast<std::uint8_t>(iana::ProtocolId::IKE));

    CHECK(h.kernel.sas().empty());
    CHECK(h.kernel.policies().empty());
    CHECK(h.kernel.client_routes().empty());
    CHECK(h.gateway->pools().at("p").used() == 0);
    CHECK(established_sas(h) == 0);

    // The client acknowledges the Delete; the next client is served normally.
    h.deliver(natt_of(kClient), answer);
    CHECK(live_sas(h) == 0);
    TestInitiator next(Endpoint{ip("192.0.2.12"), 500}, h.local);
    REQUIRE(error_notify(connect_psk_client(h, next)) == 0);
    CHECK(h.kernel.client_routes().count(ip("10.2.2.1")) == 1);
}
