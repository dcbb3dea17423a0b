// The daemon's RADIUS pieces against the real thing: accounting records of sessions in a
// FreeRADIUS detail file (tests/aaa/with-freeradius.sh starts it), and Disconnect-Requests
// sent by radclient that end the session they name.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>
#include <tuple>

#include "../aaa/radius_test_util.hpp"
#include "app/dae_listener.hpp"
#include "app/radius_accounting.hpp"
#include "ike/session_end.hpp"

using namespace ikev2d;
using namespace ikev2d::app;

namespace {

aaa::RadiusSettings freeradius_settings() {
    const char* port = std::getenv("IKEV2D_RADIUS_PORT");
    const char* secret = std::getenv("IKEV2D_RADIUS_SECRET");
    REQUIRE(port);
    REQUIRE(secret);
    aaa::RadiusSettings s;
    const auto p = static_cast<std::uint16_t>(std::atoi(port));
    s.servers.push_back({"test", "127.0.0.1", p, static_cast<std::uint16_t>(p + 1), secret});
    s.timeout_s = 2;
    s.retries = 1;
    s.nas_identifier = "gw-test";
    return s;
}

control::SessionStatus session(std::uint32_t id) {
    control::SessionStatus s;
    s.index = id;
    s.username = "alice";
    s.assigned_ip = "10.99.7.7";
    s.public_ip = "192.0.2.10";
    s.bytes_rx = 5000000000ull;  // over 2^32: Gigawords 1
    s.bytes_tx = 777;
    s.packets_rx = 11;
    s.packets_tx = 22;
    s.duration_s = 61;
    return s;
}

}  // namespace

TEST_CASE("session ends: the gateway's reasons map to the fixed set and RFC 2866 causes") {
    using ike::SessionEnd;
    CHECK(ike::session_end_of("peer deleted the IKE SA") == SessionEnd::PeerDelete);
    CHECK(ike::acct_terminate_cause(SessionEnd::PeerDelete) == 1);
    CHECK(ike::session_end_of("peer dead (DPD)") == SessionEnd::DpdTimeout);
    CHECK(ike::acct_terminate_cause(SessionEnd::DpdTimeout) == 2);
    CHECK(ike::session_end_of("administrator disconnect") == SessionEnd::Administrator);
    CHECK(ike::session_end_of("RADIUS Disconnect-Request") == SessionEnd::Administrator);
    CHECK(ike::acct_terminate_cause(SessionEnd::Administrator) == 6);
    CHECK(ike::session_end_of("gateway shutting down") == SessionEnd::Shutdown);
    CHECK(ike::session_end_of("IKE SA lifetime expired") == SessionEnd::SessionTimeout);
    CHECK(ike::session_end_of("replaced by a new IKE SA of the same user (INITIAL_CONTACT)") == SessionEnd::Replaced);
    CHECK(ike::acct_terminate_cause(SessionEnd::Replaced) == 12);
    CHECK(ike::session_end_of("something new") == SessionEnd::Other);
    CHECK(std::string(ike::session_end_name(SessionEnd::IdleTimeout)) == "idle timeout");
}

TEST_CASE("a session's Start and Stop reach FreeRADIUS off the calling thread, with counters and cause") {
    auto client = std::make_shared<aaa::RadiusClient>(freeradius_settings());
    util::ManualExecutor io;
    RadiusAccounting accounting(client, io, 0, 1700000000);
    const std::uint32_t id = 4000 + static_cast<std::uint32_t>(::getpid() % 1000);
    accounting.session_up(session(id), {Bytes{'g', 'o', 'l', 'd'}}, 1700000100);
    // Nothing was sent on this (the loop's) thread: the request waits for the executor.
    CHECK(io.in_flight() == 1);
    CHECK(accounting.requests_in_flight() == 1);
    io.run_pending();
    CHECK(accounting.requests_in_flight() == 0);
    accounting.session_down(session(id), "peer dead (DPD)");
    io.run_pending();
    CHECK(accounting.failures() == 0);
    // A session it never started gets no Stop.
    accounting.session_down(session(id + 1), "peer dead (DPD)");
    CHECK(io.in_flight() == 0);

    const std::string sid = RadiusAccounting::session_id(1700000000, id);
    std::string text;
    for (int i = 0; i < 20 && text.find("Lost-Carrier") == std::string::npos; ++i) {
        text = radius_test::detail_files_text();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(text.find("Acct-Session-Id = \"" + sid + "\"") != std::string::npos);
    CHECK(text.find("Acct-Status-Type = Start") != std::string::npos);
    CHECK(text.find("Acct-Status-Type = Stop") != std::string::npos);
    CHECK(text.find("Acct-Input-Gigawords = 1") != std::string::npos);
    CHECK(text.find("Acct-Input-Octets = 705032704") != std::string::npos);  // 5e9 - 2^32
    CHECK(text.find("Acct-Output-Octets = 777") != std::string::npos);
    CHECK(text.find("Acct-Session-Time = 61") != std::string::npos);
    CHECK(text.find("Acct-Terminate-Cause = Lost-Carrier") != std::string::npos);
    CHECK(text.find("NAS-Identifier = \"gw-test\"") != std::string::npos);
    CHECK(text.find("Class = 0x676f6c64") != std::string::npos);  // "gold", echoed
}

TEST_CASE("a server that does not answer: the Stop is counted as failed, the loop never waited") {
    aaa::RadiusSettings s = freeradius_settings();
    s.servers[0].acct_port = 9;  // discard: nothing answers there
    s.timeout_s = 1;
    auto client = std::make_shared<aaa::RadiusClient>(s);
    util::ManualExecutor io;
    RadiusAccounting accounting(client, io, 0, 1);
    accounting.session_up(session(1), {}, 1);
    io.run_pending();
    CHECK(accounting.failures() == 1);
}

namespace {

// A Disconnect- or CoA-Request made by radclient (`command`: disconnect | coa), captured
// on a loopback socket for the responder.
Bytes radclient_packet(const std::string& command, const std::string& attributes, const std::string& secret) {
    int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    const std::string cmd = "printf '%s\\n' '" + attributes + "' | radclient -r 1 -t 1 -q 127.0.0.1:" +
                            std::to_string(ntohs(a.sin_port)) + " " + command + " " + secret + " >/dev/null 2>&1";
    auto done = std::async(std::launch::async, [cmd] { return std::system(cmd.c_str()); });
    std::array<std::uint8_t, 4096> buf{};
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
    ::close(fd);
    done.wait();
    return Bytes(buf.begin(), buf.begin() + std::max<ssize_t>(n, 0));
}

}  // namespace

TEST_CASE("a Disconnect-Request from a configured server ends the session it names") {
    aaa::RadiusSettings s = freeradius_settings();
    s.servers[0].secret = "dae-secret";
    std::vector<std::uint32_t> disconnected;
    DaeResponder responder(
        s,
        [](const aaa::DaeRequest& r) {
            std::vector<std::uint32_t> ids;
            if (r.user_name == std::optional<std::string>("alice")) ids.push_back(7);
            return ids;
        },
        [&](std::uint32_t id) { disconnected.push_back(id); },
        [](std::uint32_t, const aaa::DaeRequest&) { FAIL("a Disconnect-Request changed a session"); });

    auto packet_from_radclient = [](const std::string& attributes, const std::string& secret) {
        return radclient_packet("disconnect", attributes, secret);
    };
    const IpAddress server = IpAddress::from_string("127.0.0.1");

    Bytes ok = packet_from_radclient("User-Name = \"alice\"", "dae-secret");
    REQUIRE_FALSE(ok.empty());
    auto ack = responder.answer(server, ok);
    REQUIRE(ack);
    CHECK((*ack)[0] == 41);  // Disconnect-ACK
    CHECK(disconnected == std::vector<std::uint32_t>{7});

    Bytes unknown = packet_from_radclient("User-Name = \"mallory\"", "dae-secret");
    auto nak = responder.answer(server, unknown);
    REQUIRE(nak);
    CHECK((*nak)[0] == 42);  // Disconnect-NAK (Session-Context-Not-Found)
    CHECK(disconnected.size() == 1);

    Bytes wrong_nas = packet_from_radclient("User-Name = \"alice\", NAS-Identifier = \"other\"", "dae-secret");
    auto mismatch = responder.answer(server, wrong_nas);
    REQUIRE(mismatch);
    CHECK((*mismatch)[0] == 42);
    CHECK(disconnected.size() == 1);

    // Another secret, or a source that is not a configured server: no answer, nothing done.
    Bytes forged = packet_from_radclient("User-Name = \"alice\"", "guessed");
    CHECK_FALSE(responder.answer(server, forged));
    CHECK_FALSE(responder.answer(IpAddress::from_string("127.0.0.2"), ok));
    CHECK(disconnected.size() == 1);
    CHECK(responder.refused() == 2);
}

TEST_CASE("a CoA-Request changes the named session's limits; Filter-Id and unknown sessions are refused") {
    aaa::RadiusSettings s = freeradius_settings();
    s.servers[0].secret = "dae-secret";
    std::vector<std::tuple<std::uint32_t, std::optional<std::uint32_t>, std::optional<std::uint32_t>>> changed;
    DaeResponder responder(
        s,
        [](const aaa::DaeRequest& r) {
            std::vector<std::uint32_t> ids;
            if (r.user_name == std::optional<std::string>("alice")) ids.push_back(7);
            return ids;
        },
        [](std::uint32_t) { FAIL("a CoA-Request ended a session"); },
        [&](std::uint32_t id, const aaa::DaeRequest& r) { changed.emplace_back(id, r.session_timeout_s, r.idle_timeout_s); });
    const IpAddress server = IpAddress::from_string("127.0.0.1");

    Bytes coa = radclient_packet("coa", "User-Name = \"alice\", Session-Timeout = 600, Idle-Timeout = 120", "dae-secret");
    REQUIRE_FALSE(coa.empty());
    auto ack = responder.answer(server, coa);
    REQUIRE(ack);
    CHECK((*ack)[0] == 44);  // CoA-ACK
    REQUIRE(changed.size() == 1);
    CHECK(std::get<0>(changed[0]) == 7);
    CHECK(std::get<1>(changed[0]) == std::optional<std::uint32_t>(600));
    CHECK(std::get<2>(changed[0]) == std::optional<std::uint32_t>(120));

    auto group = responder.answer(server, radclient_packet("coa", "User-Name = \"alice\", Filter-Id = \"other\"", "dae-secret"));
    REQUIRE(group);
    CHECK((*group)[0] == 45);  // CoA-NAK
    auto nobody = responder.answer(server, radclient_packet("coa", "User-Name = \"mallory\", Session-Timeout = 5", "dae-secret"));
    REQUIRE(nobody);
    CHECK((*nobody)[0] == 45);
    CHECK(changed.size() == 1);
}
