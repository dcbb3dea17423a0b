// EapRelay as a state machine, with made-up server answers (the real server is in
// test_radius_freeradius.cpp): what it refuses from the client and from the server.
#include <catch2/catch.hpp>

#include "aaa/eap_relay.hpp"
#include "eap/packet.hpp"

using namespace ikev2d;
using namespace ikev2d::aaa;
using iana::EapCode;
using iana::EapType;

namespace {

Bytes response(std::uint8_t id, EapType type, std::string data) {
    return eap::EapPacket{EapCode::Response, id, type, Bytes(data.begin(), data.end())}.encode();
}

std::uint8_t identifier_of(const Bytes& packet) { return eap::EapPacket::parse(packet).value().identifier; }

AccessReply challenge(std::uint8_t id, Bytes state) {
    AccessReply r;
    r.code = AccessReply::Code::Challenge;
    r.eap_message = eap::make_request(id, EapType::MSCHAPV2, Bytes{1, 2, 3});
    r.state = std::move(state);
    return r;
}

}  // namespace

TEST_CASE("EapRelay forwards the identity and echoes the State of the last challenge") {
    EapRelay relay("192.0.2.10", "192.0.2.1", 3);
    const Bytes start = relay.start();
    auto p = eap::EapPacket::parse(start);
    REQUIRE(p);
    CHECK(p.value().code == EapCode::Request);
    CHECK(p.value().type == EapType::Identity);

    std::string refusal;
    auto first = relay.on_client(response(identifier_of(start), EapType::Identity, "carol"), refusal);
    REQUIRE(first);
    CHECK(first->user_name == "carol");
    CHECK(first->state.empty());
    CHECK(first->calling_station_id == "192.0.2.10");
    CHECK(first->nas_port == 3);

    eap::Outcome o = relay.on_server(challenge(42, Bytes{9, 9}));
    REQUIRE(o.kind == eap::Outcome::Kind::Continue);
    CHECK(identifier_of(o.next_packet) == 42);

    auto second = relay.on_client(response(42, EapType::MSCHAPV2, "x"), refusal);
    REQUIRE(second);
    CHECK(second->user_name == "carol");
    CHECK(second->state == Bytes{9, 9});
}

TEST_CASE("EapRelay refuses client packets that do not answer its last request") {
    EapRelay relay("a", "b", 1);
    const std::uint8_t id = identifier_of(relay.start());
    std::string refusal;
    CHECK_FALSE(relay.on_client(Bytes{2, id, 0}, refusal));  // truncated
    CHECK_FALSE(relay.on_client(response(static_cast<std::uint8_t>(id + 1), EapType::Identity, "x"), refusal));
    CHECK_FALSE(relay.on_client(response(id, EapType::MSCHAPV2, "x"), refusal));  // not the identity
    CHECK_FALSE(relay.on_client(response(id, EapType::Identity, ""), refusal));
    CHECK_FALSE(refusal.empty());
    CHECK(relay.on_client(response(id, EapType::Identity, "x"), refusal));
}

TEST_CASE("EapRelay ends in failure on a bad or missing server answer, and gives no MSK") {
    std::string refusal;
    auto begun = [&](EapRelay& relay) {
        const std::uint8_t id = identifier_of(relay.start());
        REQUIRE(relay.on_client(response(id, EapType::Identity, "dave"), refusal));
    };
    SECTION("challenge without an EAP-Request") {
        EapRelay relay("a", "b", 1);
        begun(relay);
        AccessReply r = challenge(5, {});
        r.eap_message = eap::make_success(5);
        CHECK(relay.on_server(r).kind == eap::Outcome::Kind::Failure);
    }
    SECTION("accept without MS-MPPE keys") {
        EapRelay relay("a", "b", 1);
        begun(relay);
        AccessReply r;
        r.code = AccessReply::Code::Accept;
        r.eap_message = eap::make_success(5);
        CHECK(relay.on_server(r).kind == eap::Outcome::Kind::Failure);
        CHECK_FALSE(relay.msk());
    }
    SECTION("reject, no answer, error") {
        for (auto code : {AccessReply::Code::Reject, AccessReply::Code::NoAnswer, AccessReply::Code::Error}) {
            EapRelay relay("a", "b", 1);
            begun(relay);
            AccessReply r;
            r.code = code;
            eap::Outcome o = relay.on_server(r);
            CHECK(o.kind == eap::Outcome::Kind::Failure);
            CHECK(eap::EapPacket::parse(o.next_packet).value().code == EapCode::Failure);
            CHECK_FALSE(relay.msk());
        }
    }
    SECTION("accept with 32-byte keys: the MSK is both, 64 bytes") {
        EapRelay relay("a", "b", 1);
        begun(relay);
        AccessReply r;
        r.code = AccessReply::Code::Accept;
        r.eap_message = eap::make_success(5);
        r.mppe_recv_key = SecureBytes(Bytes(32, 0x11));
        r.mppe_send_key = SecureBytes(Bytes(32, 0x22));
        CHECK(relay.on_server(r).kind == eap::Outcome::Kind::Success);
        auto msk = relay.msk();
        REQUIRE(msk);
        Bytes expect(32, 0x11);
        expect.insert(expect.end(), 32, 0x22);
        CHECK(to_hex(msk->view()) == to_hex(expect));
    }
}

TEST_CASE("RADIUS settings radcli cannot carry are refused with the reason") {
    RadiusSettings s;
    CHECK(settings_problem(s));  // no server
    s.servers.push_back({"one", "127.0.0.1", 1812, 1813, "ok-secret"});
    CHECK_FALSE(settings_problem(s));
    s.servers[0].secret = "has:colon";
    CHECK(settings_problem(s));
    s.servers[0].secret = "";
    CHECK(settings_problem(s));
    s.servers[0].secret = "fine";
    s.timeout_s = 0;
    CHECK(settings_problem(s));
    CHECK_THROWS_AS(RadiusClient(s), std::invalid_argument);
}
