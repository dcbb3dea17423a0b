// IKE_AUTH's expensive parts on a worker (issue 11): our signature, the client's
// certificate check and crypt(3) password checks. While a job runs the SA takes no
// copy of the request (the answer is sent once, then cached), other clients are served,
// and a job whose SA went meanwhile is discarded. Deterministic executor: jobs run when
// the test says (auto_complete = false).
#include <catch2/catch.hpp>

#include "crypto/auth_signature.hpp"
#include "crypto/x509.hpp"
#include "exchange_helpers.hpp"
#include "gateway_harness.hpp"
#include "test_initiator.hpp"

using namespace test_ike;
using namespace ikev2d;
using ikev2d::ike::find_payload;
using iana::ExchangeType;
using iana::PayloadType;

namespace {

const Endpoint kA{IpAddress::from_string("198.51.100.7"), 500};
const Endpoint kB{IpAddress::from_string("198.51.100.8"), 500};

// python3 -c "import crypt; print(crypt.crypt('hunter2', '\$6\$saltsalt\$'))" (as tests/unit/eap)
const std::string kHunter2Sha512 =
    "$6$saltsalt$8iYtNHxjWRl.NF6oNZ5tF.iKFlQREaXBLlSmZKP6dy9l5z3vsooWNW0/GZ6Nej73/TFug6pIPSqbJoCT6dfnj.";

std::string gtc_config() {
    return std::string(kTestConfig) +
           "\n[group.gtc]\npool = \"p\"\nclient_auth = \"eap\"\neap_methods = [\"gtc\"]\n"
           "[user.carol]\ngroup = \"gtc\"\npassword_hash = \"" + kHunter2Sha512 + "\"\n";
}

Bytes gtc_response(std::uint8_t identifier, const std::string& password) {
    const std::size_t length = 5 + password.size();
    Bytes packet{2, identifier, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length), 6};
    packet.insert(packet.end(), password.begin(), password.end());
    return packet;
}

std::vector<Bytes> eap_request(TestInitiator& ini, const Bytes& eap) {
    return ini.request(ExchangeType::IKE_AUTH, {{PayloadType::EAP, false, wire::EapPayload{eap}}});
}

}  // namespace

TEST_CASE("async IKE_AUTH: our signature on a worker; another client's IKE_SA_INIT is answered meanwhile", "[async]") {
    GatewayHarness h;
    TestInitiator a(kA, h.local);
    sa_init_ok(h, a);
    h.auto_complete = false;
    const auto first = a.request(ExchangeType::IKE_AUTH, a.auth_payloads("alice", std::nullopt, true));
    CHECK(h.deliver(natt_of(kA), first).empty());  // the signature is being made
    CHECK(h.jobs_in_flight() == 1);
    // A copy meanwhile is dropped, not signed twice.
    CHECK(h.deliver(natt_of(kA), first).empty());
    CHECK(h.jobs_in_flight() == 1);

    // Another client's IKE_SA_INIT is answered while A's job still waits.
    TestInitiator b(kB, h.local);
    CHECK(h.deliver(kB, b.sa_init_request({})).empty());
    REQUIRE(h.jobs_in_flight() == 2);
    h.sent.clear();
    REQUIRE(h.executor.run_job(1));  // B's job only
    REQUIRE(h.sent.size() == 1);
    b.process_sa_init_response(h.sent[0].data);
    CHECK(b.keyed());
    h.sent.clear();
    CHECK(h.jobs_in_flight() == 1);  // A's is still pending

    auto out = h.complete_jobs();
    REQUIRE(out.size() == 1);
    auto r1 = a.open_response(out);
    const auto* idr = find_payload<wire::IdPayload>(r1, PayloadType::IDr);
    const auto* cert = find_payload<wire::CertPayload>(r1, PayloadType::CERT);
    const auto* sig = find_payload<wire::AuthPayload>(r1, PayloadType::AUTH);
    REQUIRE((idr && cert && sig && find_payload<wire::EapPayload>(r1, PayloadType::EAP)));
    CHECK(crypto::verify_auth(crypto::Certificate::from_der(cert->data), sig->method, sig->data, a.responder_octets(*idr)));
    // Answered now: a copy gets the cached answer, byte for byte, and no new job.
    auto again = h.deliver(natt_of(kA), first);
    CHECK(again == out);
    CHECK(h.jobs_in_flight() == 0);
}

TEST_CASE("async IKE_AUTH: copies of a request in flight are counted", "[async]") {
    GatewayHarness h;
    TestInitiator a(kA, h.local);
    sa_init_ok(h, a);
    h.auto_complete = false;
    const auto first = a.request(ExchangeType::IKE_AUTH, a.auth_payloads("alice", std::nullopt, true));
    h.deliver(natt_of(kA), first);
    h.deliver(natt_of(kA), first);
    h.deliver(natt_of(kA), first);
    CHECK(h.gateway->counters().request_pending_drops == 2);
    CHECK(h.complete_jobs().size() == 1);
}

TEST_CASE("async IKE_AUTH: a job whose SA timed out meanwhile is discarded", "[async]") {
    GatewayHarness h;
    TestInitiator a(kA, h.local);
    sa_init_ok(h, a);
    h.auto_complete = false;
    CHECK(h.deliver(natt_of(kA), a.request(ExchangeType::IKE_AUTH, a.auth_payloads("alice", std::nullopt, true))).empty());
    h.advance(31000);  // past auth_timeout_s: the SA is closed and reaped
    CHECK(h.gateway->sas().empty());
    CHECK(h.complete_jobs().empty());  // nothing sent for it
    CHECK(h.gateway->counters().jobs_discarded == 1);
}

TEST_CASE("async IKE_AUTH: a job whose SA was closed by shutdown is discarded", "[async]") {
    GatewayHarness h;
    TestInitiator a(kA, h.local);
    sa_init_ok(h, a);
    h.auto_complete = false;
    h.deliver(natt_of(kA), a.request(ExchangeType::IKE_AUTH, a.auth_payloads("alice", std::nullopt, true)));
    h.gateway->shutdown();
    CHECK(h.complete_jobs().empty());
    CHECK(h.gateway->counters().jobs_discarded == 1);
}

TEST_CASE("async IKE_AUTH: the crypt(3) password check of EAP-GTC runs as a job", "[async]") {
    for (const bool right : {true, false}) {
        GatewayHarness h(gtc_config());
        TestInitiator c(kA, h.local);
        sa_init_ok(h, c);
        auto r1 = c.open_response(h.deliver(natt_of(kA), c.request(ExchangeType::IKE_AUTH, c.auth_payloads("carol", std::nullopt, true))));
        const auto* eap1 = find_payload<wire::EapPayload>(r1, PayloadType::EAP);
        REQUIRE(eap1);
        REQUIRE(eap1->data.size() > 4);
        REQUIRE(eap1->data[4] == 6);  // GTC
        h.auto_complete = false;
        CHECK(h.deliver(natt_of(kA), eap_request(c, gtc_response(eap1->data[1], right ? "hunter2" : "hunter3"))).empty());
        CHECK(h.jobs_in_flight() == 1);
        CHECK(h.executor.lanes_posted.back() == util::Executor::Lane::Long);  // crypt(3): never ahead of a DH
        auto r2 = c.open_response(h.complete_jobs());
        const auto* eap2 = find_payload<wire::EapPayload>(r2, PayloadType::EAP);
        REQUIRE(eap2);
        if (!right) {
            CHECK(eap2->data.at(0) == 4);  // EAP-Failure
            CHECK(error_notify(r2) == code(iana::NotifyType::AUTHENTICATION_FAILED));
            CHECK(live_sas(h) == 0);
            continue;
        }
        REQUIRE(eap2->data.at(0) == 3);  // EAP-Success
        h.auto_complete = true;
        // No MSK from GTC: AUTH keyed with SK_pi (RFC 7296 2.16).
        wire::AuthPayload auth{iana::AuthMethod::SHARED_KEY, c.shared_key_auth(c.sk_pi())};
        auto r3 = c.open_response(h.deliver(natt_of(kA), c.request(ExchangeType::IKE_AUTH, {{PayloadType::AUTH, false, auth}})));
        CHECK(error_notify(r3) == 0);
        CHECK(established_sas(h) == 1);
    }
}
