// The load generator's clients (LoadSession over tests/peer's initiator) against ikev2d's
// gateway in process (fake kernel): each mode completes the exchanges it claims, the
// EAP-MSCHAPv2 MSK keys AUTH as the gateway expects, and an IKE SA whose Child SA the
// kernel refused counts as established without a child (the benchmark's host has no ESP).
#include <catch2/catch.hpp>

#include <cerrno>

#include "../unit/ike/gateway_harness.hpp"
#include "codec.hpp"
#include "iana.hpp"
#include "load_session.hpp"

using namespace ikev2d;
using bench::LoadMode;
using bench::LoadSession;
using test_ike::GatewayHarness;

namespace {

const char* const kConfig = R"(
[global]
listen = ["192.0.2.1"]
default_group = "bench"

[[ike_policy]]
priority = 10
encryption = ["aes-gcm-256"]
prf = ["sha256"]
groups = ["curve25519"]

[ipsec_proposal.default]
encryption = ["aes-gcm-256"]

[pool.p]
range = "10.64.0.1-10.64.0.100"

[group.bench]
pool = "p"
%AUTH%
local_networks = ["10.99.0.0/16"]

[user.bench]
group = "bench"
password = "bench-password"
)";

std::string config_with(const std::string& auth) {
    std::string c = kConfig;
    c.replace(c.find("%AUTH%"), 6,
              auth == "psk" ? "client_auth = \"psk\"\npsk = \"bench-psk-secret\""
                            : "client_auth = \"eap\"\neap_methods = [\"mschapv2\"]");
    return c;
}

peer::InitiatorConfig credentials() {
    peer::InitiatorConfig c;
    c.id = "client@bench.test";
    c.psk = "bench-psk-secret";
    c.eap_user = "bench";
    c.eap_password = "bench-password";
    return c;
}

// Runs one session to its end; returns its final state (Waiting: the gateway fell silent).
LoadSession::State drive(GatewayHarness& h, LoadSession& s, int* round_trips = nullptr) {
    const Endpoint from{IpAddress::from_string("203.0.113.7"), 500};
    Bytes request = s.request();
    for (int round = 1; round <= 10; ++round) {
        auto answers = h.deliver(from, request);
        if (answers.empty()) return LoadSession::State::Waiting;
        bool resend = false;
        LoadSession::State state = LoadSession::State::Waiting;
        for (const auto& a : answers) state = s.on_packet(a, resend);
        if (round_trips) *round_trips = round;
        if (state != LoadSession::State::Waiting) return state;
        if (!resend) return LoadSession::State::Waiting;
        request = s.request();
    }
    return LoadSession::State::Waiting;
}

}  // namespace

TEST_CASE("init: one round trip, a half-open IKE SA at the gateway", "[bench]") {
    GatewayHarness h(config_with("psk"));
    LoadSession s(LoadMode::Init, credentials());
    int rounds = 0;
    CHECK(drive(h, s, &rounds) == LoadSession::State::Established);
    CHECK(rounds == 1);
    CHECK(h.kernel.sas().size() == 0);
}

TEST_CASE("psk: IKE SA and Child SA", "[bench]") {
    GatewayHarness h(config_with("psk"));
    LoadSession s(LoadMode::Psk, credentials());
    int rounds = 0;
    REQUIRE(drive(h, s, &rounds) == LoadSession::State::Established);
    CHECK(rounds == 2);
    CHECK(s.has_child());
    CHECK(h.kernel.sas().size() == 2);
}

TEST_CASE("cert-eap: EAP-MSCHAPv2 with its MSK, then a Child SA", "[bench]") {
    GatewayHarness h(config_with("eap"));
    LoadSession s(LoadMode::CertEap, credentials());
    int rounds = 0;
    REQUIRE(drive(h, s, &rounds) == LoadSession::State::Established);
    CHECK(rounds >= 4);  // IKE_SA_INIT, IKE_AUTH (identity), challenge, success, final AUTH
    CHECK(s.has_child());
}

TEST_CASE("cert-eap: a wrong password fails instead of counting", "[bench]") {
    GatewayHarness h(config_with("eap"));
    peer::InitiatorConfig c = credentials();
    c.eap_password = "not-the-password";
    LoadSession s(LoadMode::CertEap, c);
    CHECK(drive(h, s) == LoadSession::State::Failed);
}

TEST_CASE("childless: IKE SA without a Child SA (RFC 6023)", "[bench]") {
    GatewayHarness h(config_with("psk"));
    LoadSession s(LoadMode::Childless, credentials());
    REQUIRE(drive(h, s) == LoadSession::State::Established);
    CHECK_FALSE(s.has_child());
    CHECK(h.kernel.sas().size() == 0);
}

TEST_CASE("psk: a Child SA the kernel refuses leaves an established IKE SA without a child", "[bench]") {
    GatewayHarness h(config_with("psk"));
    h.kernel.fail_next(kernel::FakeKernel::Op::AddSa, ENOSYS);
    LoadSession s(LoadMode::Psk, credentials());
    REQUIRE(drive(h, s) == LoadSession::State::Established);
    CHECK_FALSE(s.has_child());
    CHECK(s.child_refusal() == 43);  // TEMPORARY_FAILURE
}

TEST_CASE("gtc: EAP-GTC against a crypt(3) hash (the check runs as a job), AUTH keyed with SK_p", "[bench]") {
    std::string c = kConfig;
    c.replace(c.find("%AUTH%"), 6, "client_auth = \"eap\"\neap_methods = [\"gtc\"]");
    // perl -e 'print crypt("bench-password", q{$6$saltsalt$})'
    c.replace(c.find("password = \"bench-password\""), 27,
              "password_hash = \"$6$saltsalt$XJrFU1SGiJkaylsq6tw2bLWQRAPq7dfpHdONBNivs2.y/WRdl96qHiB5bo39srbP.C4yD4EZq.IUMXmq1/YX00\"");
    GatewayHarness h(c);
    LoadSession s(LoadMode::Gtc, credentials());
    int rounds = 0;
    REQUIRE(drive(h, s, &rounds) == LoadSession::State::Established);
    CHECK(rounds >= 4);  // IKE_SA_INIT, IKE_AUTH (GTC prompt), password -> success, final AUTH
    CHECK(s.has_child());
    peer::InitiatorConfig wrong = credentials();
    wrong.eap_password = "not-the-password";
    LoadSession bad(LoadMode::Gtc, wrong);
    CHECK(drive(h, bad) == LoadSession::State::Failed);
}
