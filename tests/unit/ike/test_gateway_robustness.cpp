// The gateway's own guard rails: the IKE SA lifetime is a hard limit, and an exception
// from any handler stays with its packet or SA while every other session is served.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "exchange_helpers.hpp"

using namespace test_ike;
using iana::ExchangeType;
using iana::PayloadType;
using kernel::FakeKernel;

namespace {

const Endpoint kClientA{IpAddress::from_string("192.0.2.11"), 500};
const Endpoint kClientB{IpAddress::from_string("192.0.2.12"), 500};

// Something no handler expects: not even a std::exception.
struct UnexpectedFailure {};

}  // namespace

TEST_CASE("the IKE SA lifetime is enforced with a Delete, after a grace for the client's own rekey") {
    std::string toml = config_with(kTestConfig, "interval_s", "interval_s = 0");
    toml = config_with(toml, "groups", "groups = [\"ecp256\", \"curve25519\"]\nlifetime_seconds = 600");
    GatewayHarness h(toml);
    TestInitiator ini(kClientA, h.local);
    connect_psk_client(h, ini);
    REQUIRE(h.kernel.sas().size() == 2);
    // 600 s plus a tenth as grace.
    CHECK(h.advance(659'000).empty());
    CHECK(established_sas(h) == 1);
    auto sent = h.advance(2'000);
    REQUIRE(sent.size() == 1);
    auto [payloads, answer] = ini.answer_request(sent[0], {});
    REQUIRE(payloads.size() == 1);
    const auto* del = std::get_if<wire::DeletePayload>(&payloads[0].body);
    REQUIRE(del != nullptr);
    CHECK(del->protocol == static_cast<std::uint8_t>(iana::ProtocolId::IKE));
    CHECK(h.kernel.sas().empty());
    CHECK(h.gateway->pools().at("p").used() == 0);
    h.deliver(natt_of(kClientA), answer);
    CHECK(live_sas(h) == 0);
    CHECK(h.gateway->counters().lifetime_expired == 1);
}

TEST_CASE("an exception in a request handler closes that SA only; others are served") {
    GatewayHarness h;
    TestInitiator a(kClientA, h.local);
    sa_init_ok(h, a);
    h.kernel.throw_next(FakeKernel::Op::AddSa, std::make_exception_ptr(UnexpectedFailure{}));
    std::vector<Bytes> out;
    REQUIRE_NOTHROW(out = h.deliver(natt_of(kClientA), a.request(ExchangeType::IKE_AUTH,
                                                                 a.auth_payloads("site@psk.test", kTestPsk, true))));
    CHECK(out.empty());
    CHECK(h.gateway->counters().handler_errors == 1);
    CHECK(live_sas(h) == 0);
    CHECK(h.gateway->pools().at("p").used() == 0);
    CHECK(h.gateway->half_open() == 0);

    TestInitiator b(kClientB, h.local);
    CHECK(error_notify(connect_psk_client(h, b)) == 0);
    CHECK(established_sas(h) == 1);
    CHECK(h.kernel.sas().size() == 2);
}

TEST_CASE("an exception in an SA's timer closes that SA only; the other SAs' timers run") {
    GatewayHarness h;
    TestInitiator a(kClientA, h.local), b(kClientB, h.local);
    connect_psk_client(h, a);
    connect_psk_client(h, b);
    REQUIRE(established_sas(h) == 2);
    // DPD asks the kernel for ESP counters of the first SA it looks at, which throws.
    h.kernel.throw_next(FakeKernel::Op::QuerySa, std::make_exception_ptr(UnexpectedFailure{}));
    std::vector<Bytes> sent;
    REQUIRE_NOTHROW(sent = h.advance(11'000));
    CHECK(h.gateway->counters().handler_errors == 1);
    CHECK(established_sas(h) == 1);
    CHECK(h.gateway->counters().dpd_sent == 1);  // the survivor was still probed
    CHECK(h.kernel.sas().size() == 2);
}

TEST_CASE("a failing session-up callback does not tear down the session nor escape the gateway") {
    GatewayHarness h;
    h.gateway->on_session_up = [](const ike::IkeSa&) { throw std::runtime_error("D-Bus is gone"); };
    TestInitiator a(kClientA, h.local);
    sa_init_ok(h, a);
    std::vector<Bytes> out;
    REQUIRE_NOTHROW(out = h.deliver(natt_of(kClientA), a.request(ExchangeType::IKE_AUTH,
                                                                 a.auth_payloads("site@psk.test", kTestPsk, true))));
    REQUIRE(out.size() == 1);
    CHECK(error_notify(a.open_response(out)) == 0);
    CHECK(established_sas(h) == 1);
    CHECK(h.gateway->counters().handler_errors == 1);
    CHECK(a.open_response(h.deliver(natt_of(kClientA), a.request(ExchangeType::INFORMATIONAL, {}))).empty());
}
