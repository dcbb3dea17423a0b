// IKE_SA_INIT with its DH and key derivation on a worker (issue 11): the answer goes out
// only once the job ran; copies of a request in flight are dropped, never computed
// twice; a bound on jobs in flight; shutdown, reload and a destroyed gateway with jobs
// in flight leave nothing behind. The harness's executor is deterministic: jobs run
// when the test says (auto_complete = false).
#include <catch2/catch.hpp>

#include "exchange_helpers.hpp"
#include "gateway_harness.hpp"
#include "ike/sa_init.hpp"
#include "test_initiator.hpp"

using namespace test_ike;
using namespace ikev2d;

namespace {

const Endpoint kClient{IpAddress::from_string("198.51.100.7"), 500};
const Endpoint kOther{IpAddress::from_string("198.51.100.8"), 500};

}  // namespace

TEST_CASE("async IKE_SA_INIT: answered only after its job ran, counted half-open meanwhile", "[async]") {
    GatewayHarness h;
    h.auto_complete = false;
    TestInitiator ini(kClient, h.local);
    auto out = h.deliver(kClient, ini.sa_init_request({}));
    CHECK(out.empty());                // nothing before the keys exist
    CHECK(h.gateway->sas().empty());   // no SA in the table yet
    CHECK(h.gateway->half_open() == 1);  // but admission counts it
    CHECK(h.jobs_in_flight() == 1);
    // The short lane: a DH never waits behind a password hash.
    CHECK(h.executor.lanes_posted == std::vector{util::Executor::Lane::Short});
    out = h.complete_jobs();
    REQUIRE(out.size() == 1);
    ini.process_sa_init_response(out[0]);
    REQUIRE(ini.keyed());  // the keys the test initiator derives itself match the answer
    CHECK(h.gateway->sas().size() == 1);
    CHECK(h.gateway->half_open() == 1);
    CHECK(h.gateway->counters().ike_sa_created == 1);
    // The SA works: IKE_AUTH with the keys the job derived.
    h.auto_complete = true;
    auto auth = auth_psk(h, ini);
    CHECK(error_notify(auth) == 0);
    CHECK(established_sas(h) == 1);
}

TEST_CASE("async IKE_SA_INIT: a retransmission while the job runs makes no second SA", "[async]") {
    GatewayHarness h;
    h.auto_complete = false;
    TestInitiator ini(kClient, h.local);
    const Bytes request = ini.sa_init_request({});
    CHECK(h.deliver(kClient, request).empty());
    CHECK(h.deliver(kClient, request).empty());  // dropped: its first copy is being answered
    CHECK(h.deliver(Endpoint{kClient.addr, 1500}, request).empty());  // also from another port (NAT)
    CHECK(h.jobs_in_flight() == 1);  // computed once
    auto out = h.complete_jobs();
    REQUIRE(out.size() == 1);
    CHECK(h.gateway->sas().size() == 1);
    CHECK(h.gateway->half_open() == 1);
    CHECK(h.gateway->counters().ike_sa_created == 1);
    // Now it is answered from the SA, byte for byte, with no new job.
    auto again = h.deliver(kClient, request);
    REQUIRE(again.size() == 1);
    CHECK(again[0] == out[0]);
    CHECK(h.jobs_in_flight() == 0);
    CHECK(h.gateway->sas().size() == 1);
}

TEST_CASE("async IKE_SA_INIT: retransmission drops are counted", "[async]") {
    GatewayHarness h;
    h.auto_complete = false;
    TestInitiator ini(kClient, h.local);
    const Bytes request = ini.sa_init_request({});
    h.deliver(kClient, request);
    h.deliver(kClient, request);
    CHECK(h.gateway->counters().sa_init_pending_drops == 1);
    CHECK(h.gateway->sa_inits_in_flight() == 1);
}

TEST_CASE("async IKE_SA_INIT: beyond the bound on jobs in flight requests are dropped and counted", "[async]") {
    GatewayHarness h;
    h.auto_complete = false;
    h.gateway->set_max_jobs_in_flight(2);
    std::vector<std::unique_ptr<TestInitiator>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<TestInitiator>(Endpoint{kClient.addr, static_cast<std::uint16_t>(2000 + i)}, h.local));
        CHECK(h.deliver(clients.back()->self(), clients.back()->sa_init_request({})).empty());
    }
    CHECK(h.jobs_in_flight() == 2);
    CHECK(h.gateway->counters().jobs_refused == 1);
    CHECK(h.gateway->half_open() == 2);  // the dropped one holds nothing
    CHECK(h.complete_jobs().size() == 2);
    // Room again: the third client's retransmission is answered.
    CHECK(h.deliver(clients[2]->self(), clients[2]->sa_init_request({})).empty());
    CHECK(h.complete_jobs().size() == 1);
    CHECK(h.gateway->sas().size() == 3);
}

TEST_CASE("async IKE_SA_INIT: shutdown with jobs in flight sends and keeps nothing", "[async]") {
    GatewayHarness h;
    h.auto_complete = false;
    TestInitiator a(kClient, h.local), b(kOther, h.local);
    h.deliver(kClient, a.sa_init_request({}));
    h.deliver(kOther, b.sa_init_request({}));
    h.gateway->shutdown();
    CHECK(h.gateway->half_open() == 0);
    CHECK(h.complete_jobs().empty());  // the completions find nothing to finish
    CHECK(h.gateway->sas().empty());
    CHECK(h.gateway->half_open() == 0);
    CHECK(h.gateway->counters().jobs_discarded == 2);
    CHECK(h.gateway->counters().ike_sa_created == 0);
}

TEST_CASE("async IKE_SA_INIT: a reload drops requests in flight; the retransmission gets the new configuration", "[async]") {
    GatewayHarness h;
    h.auto_complete = false;
    TestInitiator ini(kClient, h.local);
    const Bytes request = ini.sa_init_request({});
    h.deliver(kClient, request);
    h.gateway->replace_config(h.config, h.credentials);
    CHECK(h.gateway->half_open() == 0);
    CHECK(h.complete_jobs().empty());
    CHECK(h.gateway->sas().empty());
    // Not known any more: a retransmission starts afresh.
    CHECK(h.deliver(kClient, request).empty());
    auto out = h.complete_jobs();
    REQUIRE(out.size() == 1);
    ini.process_sa_init_response(out[0]);
    CHECK(ini.keyed());
    CHECK(h.gateway->sas().size() == 1);
}

TEST_CASE("async IKE_SA_INIT: the gateway destroyed with jobs in flight", "[async]") {
    GatewayHarness h;
    h.auto_complete = false;
    TestInitiator ini(kClient, h.local);
    h.deliver(kClient, ini.sa_init_request({}));
    REQUIRE(h.jobs_in_flight() == 1);
    h.gateway.reset();
    // The work runs and the completion finds no gateway: nothing happens (ASan would see a use after free).
    CHECK(h.executor.run_pending() == 1);
    CHECK(h.sent.empty());
}

TEST_CASE("async IKE_SA_INIT: an invalid KE value found by the job is answered INVALID_SYNTAX, no SA", "[async]") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    Bytes request = ini.sa_init_request({});
    auto msg = wire::parse_message(request);
    REQUIRE(msg);
    for (auto& p : msg.value().payloads)
        if (auto* ke = std::get_if<wire::KePayload>(&p.body)) std::fill(ke->data.begin(), ke->data.end(), 0);  // not on the curve
    auto out = h.deliver(kClient, wire::encode_message(msg.value()));
    REQUIRE(out.size() == 1);
    const auto answer = wire::parse_message(out[0]);
    REQUIRE(answer);
    CHECK(error_notify(answer.value().payloads) == code(iana::NotifyType::INVALID_SYNTAX));
    CHECK(h.gateway->sas().empty());
    CHECK(h.gateway->half_open() == 0);
    CHECK(h.gateway->counters().ike_sa_failed == 1);
}

TEST_CASE("async IKE_SA_INIT: a job cancelled before it runs computes no key exchange", "[async]") {
    auto job = [] {
        auto k = std::make_shared<ike::SaInitKeying>();
        k->group = iana::DhGroup::CURVE25519;
        k->peer_public = Bytes(32, 0);
        k->peer_public[0] = 9;  // the X25519 base point: a valid public value
        k->prf = iana::PrfId::HMAC_SHA2_256;
        k->nonce_i = Bytes(32, 1);
        k->nonce_r = Bytes(32, 2);
        k->spi_i = 1;
        k->spi_r = 2;
        k->encr_key_size = 32;
        return k;
    };
    auto computed = job();
    ike::compute_sa_init_keying(*computed);
    CHECK(computed->error.empty());
    CHECK(computed->own_public.size() == 32);
    auto cancelled = job();
    cancelled->cancelled = true;
    ike::compute_sa_init_keying(*cancelled);
    CHECK_FALSE(cancelled->error.empty());
    CHECK(cancelled->own_public.empty());
}
