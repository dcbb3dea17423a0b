// RFC 5176 Disconnect/CoA packets from FreeRADIUS's radclient (freeradius-utils), decoded
// and answered by aaa/dae_packet: radclient checks our response authenticator, so an
// "ACK received" proves both directions against an independent implementation.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <future>
#include <string>

#include "aaa/dae_packet.hpp"
#include "radius_test_util.hpp"

using namespace ikev2d;
using namespace ikev2d::aaa;

namespace {

// Runs radclient with `attributes` on stdin; returns what it printed.
std::future<std::string> radclient(std::uint16_t port, const std::string& command, const std::string& secret,
                                   const std::string& attributes) {
    return std::async(std::launch::async, [=] {
        const std::string cmd = "printf '%s\\n' '" + attributes + "' | radclient -r 1 -t 3 -x 127.0.0.1:" +
                                std::to_string(port) + " " + command + " " + secret + " 2>&1";
        std::string out;
        if (FILE* p = ::popen(cmd.c_str(), "r")) {
            std::array<char, 512> buf{};
            while (std::fgets(buf.data(), buf.size(), p)) out += buf.data();
            ::pclose(p);
        }
        return out;
    });
}

// Receives one request, hands it to `answer`, sends what it returns (if anything).
template <class Answer>
void serve_one(radius_test::LoopbackUdp& s, Answer answer) {
    pollfd p{s.fd, POLLIN, 0};
    REQUIRE(::poll(&p, 1, 5000) == 1);
    std::array<std::uint8_t, 4096> buf{};
    sockaddr_in from{};
    socklen_t len = sizeof from;
    const ssize_t n = ::recvfrom(s.fd, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
    REQUIRE(n > 0);
    std::optional<Bytes> reply = answer(ByteView(buf.data(), static_cast<std::size_t>(n)));
    if (reply) ::sendto(s.fd, reply->data(), reply->size(), 0, reinterpret_cast<sockaddr*>(&from), len);
}

}  // namespace

TEST_CASE("A Disconnect-Request from radclient is decoded and our ACK is accepted by radclient") {
    radius_test::LoopbackUdp server;
    auto out = radclient(server.port, "disconnect", "dae-secret",
                         "User-Name = \"alice\", Acct-Session-Id = \"ikev2d-00000007\", "
                         "Framed-IP-Address = 10.99.7.7, NAS-Identifier = \"gw1\", Message-Authenticator = 0x00");
    serve_one(server, [](ByteView packet) -> std::optional<Bytes> {
        auto r = parse_dae_request(packet, "dae-secret");
        INFO((r ? "" : r.error()));
        REQUIRE(r);
        CHECK(r.value().kind == DaeKind::Disconnect);
        CHECK(r.value().user_name == std::optional<std::string>("alice"));
        CHECK(r.value().acct_session_id == std::optional<std::string>("ikev2d-00000007"));
        CHECK(r.value().framed_ip->to_string() == "10.99.7.7");
        CHECK(r.value().nas_identifier == std::optional<std::string>("gw1"));
        CHECK_FALSE(r.value().unsupported_attribute);
        return dae_response(r.value(), true, std::nullopt, "dae-secret");
    });
    const std::string text = out.get();
    INFO(text);
    CHECK(text.find("Received Disconnect-ACK") != std::string::npos);
}

TEST_CASE("A CoA-Request's Session-Timeout is read; a NAK carries its Error-Cause to radclient") {
    radius_test::LoopbackUdp server;
    auto out = radclient(server.port, "coa", "dae-secret", "Acct-Session-Id = \"gone\", Session-Timeout = 600");
    serve_one(server, [](ByteView packet) -> std::optional<Bytes> {
        auto r = parse_dae_request(packet, "dae-secret");
        REQUIRE(r);
        CHECK(r.value().kind == DaeKind::CoA);
        CHECK(r.value().session_timeout_s == std::optional<std::uint32_t>(600));
        return dae_response(r.value(), false, DaeErrorCause::SessionContextNotFound, "dae-secret");
    });
    const std::string text = out.get();
    INFO(text);
    CHECK(text.find("Received CoA-NAK") != std::string::npos);
    CHECK(text.find("Session-Context-Not-Found") != std::string::npos);
}

TEST_CASE("A request with another secret, or tampered with, is refused") {
    radius_test::LoopbackUdp server;
    auto out = radclient(server.port, "disconnect", "not-our-secret", "User-Name = \"alice\"");
    Bytes captured;
    serve_one(server, [&](ByteView packet) -> std::optional<Bytes> {
        captured.assign(packet.begin(), packet.end());
        auto r = parse_dae_request(packet, "dae-secret");
        CHECK_FALSE(r);
        return std::nullopt;  // no answer to a forged request
    });
    out.get();
    REQUIRE(captured.size() > 20);
    // With the right secret it parses; flip a bit of an attribute and it no longer does.
    CHECK(parse_dae_request(captured, "not-our-secret"));
    captured.back() ^= 1;
    CHECK_FALSE(parse_dae_request(captured, "not-our-secret"));
}

TEST_CASE("Malformed DAE packets are refused, never read past their end") {
    const std::string secret = "s";
    CHECK_FALSE(parse_dae_request(Bytes(19, 0), secret));
    Bytes p(20, 0);
    p[0] = 40;
    p[3] = 20;
    CHECK_FALSE(parse_dae_request(p, secret));  // authenticator of zeros does not verify
    p[3] = 40;                                  // length beyond the datagram
    CHECK_FALSE(parse_dae_request(p, secret));
    p[0] = 1;  // Access-Request is not a DAE request
    p[3] = 20;
    CHECK_FALSE(parse_dae_request(p, secret));
    // An attribute whose length overruns: refused before anything is believed.
    Bytes q(20, 0);
    q[0] = 40;
    q.insert(q.end(), {1, 200, 'a'});
    q[3] = static_cast<std::uint8_t>(q.size());
    CHECK_FALSE(parse_dae_request(q, secret));
}
