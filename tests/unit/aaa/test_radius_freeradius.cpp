// The RADIUS client and the EAP relay against a real FreeRADIUS (Debian's package, started
// by tests/aaa/with-freeradius.sh on 127.0.0.1 with its own configuration): PAP, EAP-MSCHAPv2
// relayed end to end with the MSK checked against an independent peer, reply attributes,
// failover, no server, and accounting records in the server's detail file.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "aaa/eap_relay.hpp"
#include "radius_test_util.hpp"
#include "aaa/radius_client.hpp"
#include "eap/packet.hpp"
#include "../eap/mschapv2_peer.hpp"

using namespace ikev2d;
using namespace ikev2d::aaa;

namespace {

std::uint16_t server_port() {
    const char* p = std::getenv("IKEV2D_RADIUS_PORT");
    REQUIRE(p != nullptr);
    return static_cast<std::uint16_t>(std::atoi(p));
}

std::string server_secret() {
    const char* s = std::getenv("IKEV2D_RADIUS_SECRET");
    REQUIRE(s != nullptr);
    return s;
}

RadiusServer real_server() {
    return RadiusServer{"real", "127.0.0.1", server_port(), static_cast<std::uint16_t>(server_port() + 1), server_secret()};
}

RadiusSettings settings_with(std::vector<RadiusServer> servers) {
    RadiusSettings s;
    s.servers = std::move(servers);
    s.timeout_s = 1;
    s.retries = 1;
    return s;
}

std::string as_text(const Bytes& b) { return std::string(b.begin(), b.end()); }

// Runs an EAP-MSCHAPv2 login through the relay; returns the final outcome.
eap::Outcome relay_login(RadiusClient& client, EapRelay& relay, test_peer::MsChapV2Peer& peer, const std::string& user) {
    Bytes identity_request = relay.start();
    auto req = eap::EapPacket::parse(identity_request);
    REQUIRE(req);
    eap::EapPacket identity{iana::EapCode::Response, req.value().identifier, iana::EapType::Identity,
                            Bytes(user.begin(), user.end())};
    std::string refusal;
    auto access = relay.on_client(identity.encode(), refusal);
    REQUIRE(access);
    eap::Outcome o = relay.on_server(client.authenticate(*access));
    for (int round = 0; round < 6 && o.kind == eap::Outcome::Kind::Continue; ++round) {
        auto p = eap::EapPacket::parse(o.next_packet);
        REQUIRE(p);
        REQUIRE(p.value().type == iana::EapType::MSCHAPV2);
        const std::uint8_t opcode = p.value().type_data.empty() ? 0 : p.value().type_data[0];
        std::optional<Bytes> answer =
            opcode == 1 ? peer.answer_challenge(o.next_packet) : peer.answer_success(o.next_packet);
        if (!answer) {
            // Failure request (opcode 4): the peer acknowledges with an MSCHAPv2 Failure response.
            answer = eap::EapPacket{iana::EapCode::Response, p.value().identifier, iana::EapType::MSCHAPV2, Bytes{4}}
                         .encode();
        }
        access = relay.on_client(*answer, refusal);
        REQUIRE(access);
        o = relay.on_server(client.authenticate(*access));
    }
    return o;
}

}  // namespace

TEST_CASE("PAP: the right password is accepted with the user's reply attributes, a wrong one rejected") {
    RadiusClient client(settings_with({real_server()}));
    AccessRequest r;
    r.user_name = "alice";
    r.user_password = "alice-pw";
    r.calling_station_id = "192.0.2.10";
    AccessReply ok = client.authenticate(r);
    REQUIRE(ok.code == AccessReply::Code::Accept);
    REQUIRE(ok.framed_ip);
    CHECK(ok.framed_ip->to_string() == "10.99.7.7");
    REQUIRE(ok.classes.size() == 1);
    CHECK(as_text(ok.classes[0]) == "gold");
    CHECK(ok.session_timeout_s == std::optional<std::uint32_t>(3600));
    CHECK(ok.filter_id == "staff");

    r.user_password = "not-alice-pw";
    CHECK(client.authenticate(r).code == AccessReply::Code::Reject);
    r.user_name = "nobody";
    CHECK(client.authenticate(r).code == AccessReply::Code::Reject);
}

TEST_CASE("EAP-MSCHAPv2 relayed through FreeRADIUS gives the peer's MSK") {
    RadiusClient client(settings_with({real_server()}));
    EapRelay relay("192.0.2.10", "192.0.2.1", 7);
    test_peer::MsChapV2Peer peer("alice", "alice-pw");
    eap::Outcome o = relay_login(client, relay, peer, "alice");
    REQUIRE(o.kind == eap::Outcome::Kind::Success);
    CHECK(o.username == "alice");
    auto p = eap::EapPacket::parse(o.next_packet);
    REQUIRE(p);
    CHECK(p.value().code == iana::EapCode::Success);
    auto msk = relay.msk();
    REQUIRE(msk);
    CHECK(to_hex(msk->view()) == to_hex(peer.msk()));
    REQUIRE(relay.accepted());
    CHECK(relay.accepted()->framed_ip->to_string() == "10.99.7.7");
}

TEST_CASE("EAP-MSCHAPv2 with a wrong password ends in Failure and no MSK") {
    RadiusClient client(settings_with({real_server()}));
    EapRelay relay("192.0.2.10", "192.0.2.1", 8);
    test_peer::MsChapV2Peer peer("bob", "not-bobs-password");
    eap::Outcome o = relay_login(client, relay, peer, "bob");
    CHECK(o.kind == eap::Outcome::Kind::Failure);
    CHECK_FALSE(relay.msk());
}

TEST_CASE("A server that does not answer: the next one is asked; none answering is a clean refusal") {
    radius_test::LoopbackUdp down1, down2;  // bound, never answering: servers that are down
    RadiusServer dead1{"dead1", "127.0.0.1", down1.port, down1.port, server_secret()};
    RadiusServer dead2{"dead2", "127.0.0.1", down2.port, down2.port, server_secret()};
    AccessRequest r;
    r.user_name = "bob";
    r.user_password = "bob-pw";

    RadiusClient failover(settings_with({dead1, real_server()}));
    CHECK(failover.authenticate(r).code == AccessReply::Code::Accept);

    RadiusClient none(settings_with({dead1, dead2}));
    const auto started = std::chrono::steady_clock::now();
    AccessReply reply = none.authenticate(r);
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(reply.code == AccessReply::Code::NoAnswer);
    CHECK_FALSE(reply.detail.empty());
    // Bounded by servers x tries x timeout (2 x 1 x 1 s here), not a hang.
    CHECK(took < std::chrono::seconds(10));
}

TEST_CASE("Accounting Start and Stop reach the server's detail file with octets, Gigawords and cause") {
    RadiusClient client(settings_with({real_server()}));
    const std::string session = "ikev2d-test-" + std::to_string(::getpid());
    AccountingRequest start;
    start.status = AcctStatus::Start;
    start.session_id = session;
    start.user_name = "alice";
    start.framed_ip = IpAddress::from_string("10.99.7.7");
    start.classes = {Bytes{'g', 'o', 'l', 'd'}};
    std::string detail;
    REQUIRE(client.account(start, detail));

    AccountingRequest stop = start;
    stop.status = AcctStatus::Stop;
    stop.input_octets = (1ull << 32) + 1234;  // Gigawords 1, octets 1234
    stop.output_octets = 5678;
    stop.input_packets = 10;
    stop.output_packets = 20;
    stop.session_time_s = 42;
    stop.terminate_cause = 4;  // Idle-Timeout
    REQUIRE(client.account(stop, detail));

    // The detail writer may lag the Accounting-Response by a moment.
    std::string text;
    for (int i = 0; i < 20; ++i) {
        text = radius_test::detail_files_text();
        if (text.find("Acct-Status-Type = Stop") != std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(text.find("Acct-Status-Type = Start") != std::string::npos);
    CHECK(text.find("Acct-Status-Type = Stop") != std::string::npos);
    CHECK(text.find("Acct-Session-Id = \"" + session + "\"") != std::string::npos);
    CHECK(text.find("Acct-Input-Octets = 1234") != std::string::npos);
    CHECK(text.find("Acct-Input-Gigawords = 1") != std::string::npos);
    CHECK(text.find("Acct-Output-Octets = 5678") != std::string::npos);
    CHECK(text.find("Acct-Terminate-Cause = Idle-Timeout") != std::string::npos);
    CHECK(text.find("Framed-IP-Address = 10.99.7.7") != std::string::npos);
}
