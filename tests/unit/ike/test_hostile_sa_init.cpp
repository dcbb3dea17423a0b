// IKE_SA_INIT from hostile peers: error notifies with their data (RFC 7296 3.10.1),
// transforms we do not understand (3.3.6), encrypted payloads where none belong,
// half-open SA admission under a flood (2.6, RFC 8019) and retransmissions that
// must never create a second SA.
#include <catch2/catch.hpp>

#include "exchange_helpers.hpp"
#include "ike/proposals.hpp"

using namespace test_ike;
using ikev2d::ike::find_payload;
using ikev2d::ike::make_transform;
using iana::ExchangeType;
using iana::NotifyType;
using iana::PayloadType;
using iana::TransformType;

namespace {

const Endpoint kClient{IpAddress::from_string("192.0.2.11"), 500};

// An IKE_SA_INIT request of `ini`, edited before it is encoded again.
template <class Edit>
Bytes edited_sa_init(TestInitiator& ini, Edit edit) {
    wire::Message m = parsed(ini.sa_init_request({}));
    edit(m);
    return wire::encode_message(m);
}

wire::SaPayload& sa_of(wire::Message& m) {
    for (auto& p : m.payloads)
        if (auto* sa = std::get_if<wire::SaPayload>(&p.body)) return *sa;
    FAIL("no SA payload");
    throw std::logic_error("unreachable");
}

// The COOKIE the gateway demands of `ini`'s IKE_SA_INIT (the test fails without one).
Bytes cookie_demanded(GatewayHarness& h, TestInitiator& ini) {
    auto out = h.deliver(ini.self(), ini.sa_init_request({}));
    REQUIRE(out.size() == 1);
    const wire::Message asked = parsed(out[0]);
    const auto* cookie = asked.find_notify(NotifyType::COOKIE);
    REQUIRE(cookie != nullptr);
    return cookie->data;
}

// Requests from `ini` until an SA exists, returning the COOKIE when one is demanded.
// Returns false when the gateway answered nothing.
bool sa_init_with_cookie(GatewayHarness& h, TestInitiator& ini) {
    auto out = h.deliver(ini.self(), ini.sa_init_request({}));
    if (out.empty()) return false;
    wire::Message first = parsed(out[0]);
    if (const auto* cookie = first.find_notify(NotifyType::COOKIE)) {
        out = h.deliver(ini.self(), ini.sa_init_request({}, std::nullopt, cookie->data));
        if (out.empty()) return false;
    }
    ini.process_sa_init_response(out[0]);
    return ini.keyed();
}

}  // namespace

TEST_CASE("UNSUPPORTED_CRITICAL_PAYLOAD in IKE_SA_INIT carries the payload type as its data") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    Bytes request = edited_sa_init(ini, [](wire::Message& m) {
        m.payloads.push_back({static_cast<PayloadType>(200), true, wire::UnknownPayload{Bytes{1, 2, 3, 4}}});
    });
    auto out = h.deliver(kClient, request);
    REQUIRE(out.size() == 1);
    wire::Message answer = parsed(out[0]);
    const auto* n = answer.find_notify(NotifyType::UNSUPPORTED_CRITICAL_PAYLOAD);
    REQUIRE(n != nullptr);
    CHECK(n->data == Bytes{200});  // RFC 7296 3.10.1: the one-octet payload type
    CHECK(live_sas(h) == 0);

    // Without the critical bit the same payload is skipped and the SA is created.
    TestInitiator fine(Endpoint{IpAddress::from_string("192.0.2.12"), 500}, h.local);
    Bytes tolerated = edited_sa_init(fine, [](wire::Message& m) {
        m.payloads.push_back({static_cast<PayloadType>(200), false, wire::UnknownPayload{Bytes{1, 2, 3, 4}}});
    });
    out = h.deliver(fine.self(), tolerated);
    REQUIRE(out.size() == 1);
    fine.process_sa_init_response(out[0]);
    CHECK(fine.keyed());
}

TEST_CASE("an IKE proposal with a transform type we do not understand is unacceptable (RFC 7296 3.3.6)") {
    GatewayHarness h;
    SECTION("the only proposal: NO_PROPOSAL_CHOSEN") {
        TestInitiator ini(kClient, h.local);
        Bytes request = edited_sa_init(ini, [](wire::Message& m) {
            sa_of(m).proposals[0].transforms.push_back(make_transform(static_cast<TransformType>(6), 1));
        });
        auto out = h.deliver(kClient, request);
        REQUIRE(out.size() == 1);
        CHECK(parsed(out[0]).find_notify(NotifyType::NO_PROPOSAL_CHOSEN) != nullptr);
        CHECK(live_sas(h) == 0);
    }
    SECTION("a second, plain proposal is chosen instead") {
        TestInitiator ini(kClient, h.local);
        Bytes request = edited_sa_init(ini, [](wire::Message& m) {
            auto& sa = sa_of(m);
            wire::Proposal plain = sa.proposals[0];
            plain.number = 2;
            sa.proposals[0].transforms.push_back(make_transform(static_cast<TransformType>(240), 7));
            sa.proposals.push_back(plain);
        });
        auto out = h.deliver(kClient, request);
        REQUIRE(out.size() == 1);
        // The answer's SA payload carries one proposal numbered 2 (RFC 7296 3.3.1), which
        // our request parser would refuse ("the first proposal MUST be 1"); read it raw:
        // header(28) | generic header(4) | last(1) reserved(1) length(2) number(1).
        auto header = wire::parse_header(out[0]);
        REQUIRE(header);
        REQUIRE(header->next == PayloadType::SA);
        REQUIRE(out[0].size() > 36);
        CHECK(out[0][36] == 2);
        CHECK(live_sas(h) == 1);
    }
}

TEST_CASE("an ESP proposal with a transform type we do not understand is unacceptable") {
    config::IpsecProposal conf;
    conf.encryption = {config::EncrSpec{iana::EncrId::AES_GCM_16, 256}};
    wire::Proposal esp;
    esp.number = 1;
    esp.protocol = iana::ProtocolId::ESP;
    esp.spi = {1, 2, 3, 4};
    esp.transforms.push_back(make_transform(TransformType::ENCR, static_cast<std::uint16_t>(iana::EncrId::AES_GCM_16), 256));
    esp.transforms.push_back(make_transform(TransformType::ESN, 0));
    wire::Proposal odd = esp;
    odd.transforms.push_back(make_transform(static_cast<TransformType>(9), 1));
    CHECK_FALSE(ike::select_esp_proposal({&conf}, wire::SaPayload{{odd}}, false).has_value());
    wire::Proposal second = esp;
    second.number = 2;
    auto choice = ike::select_esp_proposal({&conf}, wire::SaPayload{{odd, second}}, false);
    REQUIRE(choice.has_value());
    CHECK(choice->proposal.number == 2);

    // Through the gateway: IKE_AUTH whose only ESP proposal has such a transform gets no Child SA.
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    sa_init_ok(h, ini);
    auto payloads = ini.auth_payloads("site@psk.test", kTestPsk, true);
    for (auto& p : payloads)
        if (auto* sa = std::get_if<wire::SaPayload>(&p.body))
            sa->proposals[0].transforms.push_back(make_transform(static_cast<TransformType>(6), 1));
    auto resp = ini.open_response(h.deliver(natt_of(kClient), ini.request(ExchangeType::IKE_AUTH, payloads)));
    CHECK(error_notify(resp) == code(NotifyType::NO_PROPOSAL_CHOSEN));
    CHECK(find_payload<wire::SaPayload>(resp, PayloadType::SA) == nullptr);
    CHECK(h.kernel.sas().empty());
}

TEST_CASE("SK or SKF payloads in an IKE_SA_INIT request are refused with INVALID_SYNTAX") {
    GatewayHarness h;
    SECTION("SK") {
        TestInitiator ini(kClient, h.local);
        Bytes request = edited_sa_init(ini, [](wire::Message& m) {
            m.payloads.push_back({PayloadType::SK, false, wire::SkPayload{PayloadType::None, Bytes(48, 0x5a)}});
        });
        auto out = h.deliver(kClient, request);
        REQUIRE(out.size() == 1);
        CHECK(parsed(out[0]).find_notify(NotifyType::INVALID_SYNTAX) != nullptr);
    }
    SECTION("SKF") {
        TestInitiator ini(kClient, h.local);
        Bytes request = edited_sa_init(ini, [](wire::Message& m) {
            m.payloads.push_back({PayloadType::SKF, false, wire::SkfPayload{PayloadType::None, 1, 1, Bytes(48, 0x5a)}});
        });
        auto out = h.deliver(kClient, request);
        REQUIRE(out.size() == 1);
        CHECK(parsed(out[0]).find_notify(NotifyType::INVALID_SYNTAX) != nullptr);
    }
    CHECK(live_sas(h) == 0);
    CHECK(h.gateway->half_open() == 0);
}

TEST_CASE("a retransmitted IKE_SA_INIT after IKE_AUTH began never creates a second SA") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    const Bytes init = ini.sa_init_request({});
    auto out = h.deliver(kClient, init);
    REQUIRE(out.size() == 1);
    const Bytes init_answer = out[0];
    ini.process_sa_init_response(init_answer);
    // Still InitDone: the same answer again.
    CHECK(h.deliver(kClient, init) == std::vector<Bytes>{init_answer});

    SECTION("established") {
        auth_psk(h, ini);
        REQUIRE(established_sas(h) == 1);
    }
    SECTION("authenticating (EAP under way)") {
        auto r = ini.open_response(h.deliver(natt_of(kClient),
                                             ini.request(ExchangeType::IKE_AUTH, ini.auth_payloads("alice", std::nullopt, true))));
        REQUIRE(find_payload<wire::EapPayload>(r, PayloadType::EAP) != nullptr);
    }
    CHECK(h.deliver(kClient, init).empty());
    // The same from another port of the same address (a NAT that rebound the mapping).
    CHECK(h.deliver(Endpoint{kClient.addr, 31000}, init).empty());
    CHECK(live_sas(h) == 1);
    CHECK(h.gateway->counters().ike_sa_created == 1);
}

TEST_CASE("a responder SPI that is already in use is drawn again") {
    GatewayHarness h;
    std::vector<std::uint64_t> draws = {0x1111'2222'3333'4444ull, 0x1111'2222'3333'4444ull, 0x5555'6666'7777'8888ull};
    std::size_t next = 0;
    h.gateway->set_spi_generator([&] { return draws.at(std::min(next++, draws.size() - 1)); });
    TestInitiator first(kClient, h.local);
    sa_init_ok(h, first);
    CHECK(first.spi_r() == draws[0]);
    TestInitiator second(Endpoint{IpAddress::from_string("192.0.2.12"), 500}, h.local);
    sa_init_ok(h, second);
    CHECK(second.spi_r() == draws[2]);
    CHECK(live_sas(h) == 2);
    // Both complete IKE_AUTH on their own SA.
    CHECK(error_notify(auth_psk(h, first)) == 0);
    CHECK(error_notify(auth_psk(h, second)) == 0);
    CHECK(established_sas(h) == 2);
}

TEST_CASE("half-open limit: a client with a valid cookie still gets in when the table is full") {
    std::string toml = config_with(kTestConfig, "half_open_cookie_threshold", "half_open_cookie_threshold = 2");
    toml = config_with_global(toml, "half_open_limit = 6\n");
    GatewayHarness h(toml);
    // A flood from three addresses that return every cookie fills the table: one SA
    // from the first, two from the second, three from the third.
    std::vector<std::unique_ptr<TestInitiator>> flood;
    for (int source = 0; source < 3; ++source)
        for (int i = 0; i <= source; ++i) {
            Endpoint from{IpAddress::from_string("203.0.113." + std::to_string(10 + source)), static_cast<std::uint16_t>(1000 + i)};
            flood.push_back(std::make_unique<TestInitiator>(from, h.local));
            REQUIRE(sa_init_with_cookie(h, *flood.back()));
            h.now_ms += 10;  // so that "oldest" means something
        }
    REQUIRE(h.gateway->half_open() == 6);
    const std::uint64_t oldest_spi = flood[3]->spi_r();  // the third source's first

    // Without a cookie, at the limit: a COOKIE (stateless), not silence.
    TestInitiator more(Endpoint{IpAddress::from_string("203.0.113.10"), 2000}, h.local);
    auto out = h.deliver(more.self(), more.sa_init_request({}));
    REQUIRE(out.size() == 1);
    CHECK(parsed(out[0]).find_notify(NotifyType::COOKIE) != nullptr);
    CHECK(h.gateway->half_open() == 6);

    // A client from elsewhere gets through at once, with its cookie, and logs in.
    TestInitiator client(Endpoint{IpAddress::from_string("198.51.100.77"), 500}, h.local);
    REQUIRE(sa_init_with_cookie(h, client));
    CHECK(h.gateway->half_open() <= 6);
    CHECK(h.gateway->counters().half_open_evicted == 1);
    CHECK(h.gateway->sas().count(oldest_spi) == 0);  // the oldest SA of the source holding the most
    CHECK(h.gateway->sas().count(flood[0]->spi_r()) == 1);
    auto resp = auth_psk(h, client);
    CHECK(error_notify(resp) == 0);
    CHECK(established_sas(h) == 1);
}

TEST_CASE("half-open limit per source address: beyond it only a returned cookie gets in, replacing its own oldest") {
    GatewayHarness h(config_with_global(kTestConfig, "half_open_per_source_limit = 3\n"));
    const IpAddress busy = IpAddress::from_string("203.0.113.10");
    std::vector<std::unique_ptr<TestInitiator>> inis;
    for (std::uint16_t port = 1000; port < 1003; ++port) {
        inis.push_back(std::make_unique<TestInitiator>(Endpoint{busy, port}, h.local));
        sa_init_ok(h, *inis.back());
        h.now_ms += 10;
    }
    // The fourth (the table is far from full, so no cookie would be needed otherwise):
    // no SA without a cookie, so spoofed requests cannot pile up in this address's name.
    TestInitiator fourth(Endpoint{busy, 1003}, h.local);
    auto out = h.deliver(fourth.self(), fourth.sa_init_request({}));
    REQUIRE(out.size() == 1);
    const wire::Message asked = parsed(out[0]);
    const auto* cookie = asked.find_notify(NotifyType::COOKIE);
    REQUIRE(cookie != nullptr);
    CHECK(h.gateway->half_open() == 3);
    CHECK(h.gateway->counters().half_open_refused == 1);
    // With its cookie it gets in, and the address's oldest half-open SA goes.
    out = h.deliver(fourth.self(), fourth.sa_init_request({}, std::nullopt, cookie->data));
    REQUIRE(out.size() == 1);
    fourth.process_sa_init_response(out[0]);
    REQUIRE(fourth.keyed());
    CHECK(h.gateway->half_open() == 3);
    CHECK(h.gateway->counters().half_open_evicted == 1);
    CHECK(h.gateway->sas().count(inis[0]->spi_r()) == 0);
    CHECK(error_notify(auth_psk(h, fourth)) == 0);
    CHECK(h.gateway->sas().count(inis[1]->spi_r()) == 1);
    // Other addresses are not affected.
    TestInitiator other(Endpoint{IpAddress::from_string("203.0.113.11"), 500}, h.local);
    sa_init_ok(h, other);
    CHECK(error_notify(auth_psk(h, other)) == 0);
}

TEST_CASE("half-open limit per source: while all of a source's key exchanges are still queued, its next is dropped, not queued") {
    // A cookie-returning flood from one address: replacing its oldest request while that
    // one was still waiting for a worker queued one key exchange after another (each
    // replaced one still computed), and other clients waited behind them all.
    GatewayHarness h(config_with_global(kTestConfig, "half_open_per_source_limit = 3\n"));
    h.auto_complete = false;
    const IpAddress busy = IpAddress::from_string("203.0.113.10");
    std::vector<std::unique_ptr<TestInitiator>> inis;
    for (std::uint16_t port = 1000; port < 1003; ++port) {
        inis.push_back(std::make_unique<TestInitiator>(Endpoint{busy, port}, h.local));
        CHECK(h.deliver(inis.back()->self(), inis.back()->sa_init_request({})).empty());  // answered once computed
        h.now_ms += 10;
    }
    REQUIRE(h.jobs_in_flight() == 3);
    TestInitiator fourth(Endpoint{busy, 1003}, h.local);
    const Bytes with_cookie = fourth.sa_init_request({}, std::nullopt, cookie_demanded(h, fourth));
    const auto refused_before = h.gateway->counters().half_open_refused;

    // Its cookie is valid, but all three of its requests are still queued: dropped.
    CHECK(h.deliver(fourth.self(), with_cookie).empty());
    CHECK(h.jobs_in_flight() == 3);
    CHECK(h.gateway->half_open() == 3);
    CHECK(h.gateway->counters().half_open_refused == refused_before + 1);
    CHECK(h.gateway->counters().half_open_evicted == 0);

    // Once they are answered, its retransmission replaces the oldest, as before.
    CHECK(h.complete_jobs().size() == 3);
    CHECK(h.deliver(fourth.self(), with_cookie).empty());
    auto out = h.complete_jobs();
    REQUIRE(out.size() == 1);
    fourth.process_sa_init_response(out[0]);
    CHECK(fourth.keyed());
    CHECK(h.gateway->counters().half_open_evicted == 1);
    CHECK(h.gateway->sas().count(inis[0]->spi_r()) == 0);
}

TEST_CASE("a key exchange dropped while queued is not computed") {
    // Half-open limit of 2 for the whole table: the third client's cookie evicts a
    // request whose job is still queued; that job then costs no DH.
    std::string toml = config_with(kTestConfig, "half_open_cookie_threshold", "half_open_cookie_threshold = 1");
    toml = config_with_global(toml, "half_open_limit = 2\n");
    GatewayHarness h(toml);
    h.auto_complete = false;
    TestInitiator first(Endpoint{IpAddress::from_string("203.0.113.10"), 500}, h.local);
    CHECK(h.deliver(first.self(), first.sa_init_request({})).empty());
    TestInitiator second(Endpoint{IpAddress::from_string("203.0.113.11"), 500}, h.local);
    const Bytes cookie = cookie_demanded(h, second);  // past the threshold
    CHECK(h.deliver(second.self(), second.sa_init_request({}, std::nullopt, cookie)).empty());
    REQUIRE(h.gateway->half_open() == 2);
    TestInitiator third(Endpoint{IpAddress::from_string("198.51.100.7"), 500}, h.local);
    const Bytes cookie3 = cookie_demanded(h, third);
    CHECK(h.deliver(third.self(), third.sa_init_request({}, std::nullopt, cookie3)).empty());
    CHECK(h.gateway->counters().half_open_evicted == 1);
    REQUIRE(h.jobs_in_flight() == 3);  // the evicted one's job is still queued
    auto out = h.complete_jobs();
    CHECK(out.size() == 2);  // the evicted request gets no answer
    CHECK(h.gateway->counters().ike_sa_created == 2);
}
