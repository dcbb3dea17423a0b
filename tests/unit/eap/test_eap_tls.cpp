// EAP-TLS (RFC 5216) through EapServer against a real GnuTLS client (eap_tls_peer.*):
// the whole handshake in fragments both ways, the MSK both sides derive independently,
// certificate refusals, and malformed or oversized framing refused with a Failure.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

#include "crypto/cert_store.hpp"
#include "crypto/private_key.hpp"
#include "eap/eap_tls.hpp"
#include "eap/server.hpp"
#include "eap_tls_peer.hpp"

using namespace ikev2d;
using namespace ikev2d::eap;
using Kind = Outcome::Kind;

namespace {

std::string pki(const std::string& name) {
    const char* dir = std::getenv("IKEV2D_TEST_DATA");
    REQUIRE(dir != nullptr);
    return std::string(dir) + "/pki/" + name;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The client's chain (end entity, then its intermediate) as one PEM file.
std::string chain_file(const std::string& leaf) {
    const std::string path = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/ikev2d-eaptls-" +
                             std::to_string(::getpid()) + "-" + leaf;
    std::ofstream(path) << slurp(pki(leaf)) << slurp(pki("inter.pem"));
    return path;
}

EapTlsSettings settings(std::size_t fragment_size = 1024) {
    auto store = std::make_shared<crypto::CertStore>();
    store->add_trusted_file(pki("ca.pem"));
    EapTlsSettings s;
    s.credentials = tls::ServerCredentials::make(crypto::Certificate::load_file(pki("gateway.pem")),
                                                 crypto::PrivateKey::load_file(pki("gateway.key")), store,
                                                 std::make_shared<std::mutex>());
    s.fragment_size = fragment_size;
    return s;
}

CredentialLookup nobody() {
    return [](std::string_view) -> std::optional<UserCredentials> { return std::nullopt; };
}

std::unique_ptr<EapServer> tls_server(const std::string& identity, EapTlsSettings s = settings()) {
    auto server = std::make_unique<EapServer>(std::vector<iana::EapType>{iana::EapType::TLS}, nobody(), identity);
    server->set_tls_settings(std::move(s));
    return server;
}

Bytes tls_response(std::uint8_t id, const Bytes& type_data) {
    return EapPacket{iana::EapCode::Response, id, iana::EapType::TLS, type_data}.encode();
}

struct Conversation {
    Outcome last;
    int requests = 0;
    int fragmented_requests = 0;  // with M set
};

// Drives server and peer until the server ends it; with `deferred`, every RunJob is run
// "elsewhere" (here, inline) before resume_job().
Conversation converse(EapServer& server, test_peer::EapTlsPeer& peer, bool deferred = false) {
    Conversation c;
    Bytes request = server.start();
    for (;;) {
        ++c.requests;
        REQUIRE(c.requests < 200);
        if (request.size() > 5 && (request[5] & 0x40)) ++c.fragmented_requests;
        Outcome out = server.process(peer.respond(request));
        if (out.kind == Kind::RunJob) {
            REQUIRE(deferred);
            CHECK(server.running_job());
            out.job();
            out = server.resume_job();
        }
        if (out.kind != Kind::Continue) {
            c.last = std::move(out);
            return c;
        }
        request = out.next_packet;
    }
}

Bytes msk_bytes(const EapServer& server) {
    auto msk = server.msk();
    REQUIRE(msk);
    return Bytes(msk->view().begin(), msk->view().end());
}

}  // namespace

TEST_CASE("EAP-TLS: a GnuTLS client with a certificate of the trusted CA authenticates; both derive the same MSK",
          "[eap][tls]") {
    auto server = tls_server("alice@example.com", settings(/*fragment_size=*/400));
    test_peer::EapTlsPeer peer(chain_file("client.pem"), pki("client.key"), pki("ca.pem"), /*fragment_size=*/250);
    const Conversation c = converse(*server, peer);
    INFO(c.last.reason);
    REQUIRE(c.last.kind == Kind::Success);
    CHECK(c.last.username == "alice@example.com");
    CHECK(server->authenticated_user() == "alice@example.com");
    CHECK(server->method() == iana::EapType::TLS);
    CHECK(peer.handshake_done());
    CHECK(c.fragmented_requests >= 2);  // the gateway's certificate does not fit 400 bytes
    const Bytes server_msk = msk_bytes(*server);
    CHECK(server_msk.size() == 64);
    CHECK(server_msk == peer.msk());
    CHECK(server_msk != Bytes(64, 0));
}

TEST_CASE("EAP-TLS: deferred handshake steps run as jobs and give the same result", "[eap][tls]") {
    auto server = tls_server("alice@example.com");
    server->set_defer_jobs(true);
    test_peer::EapTlsPeer peer(chain_file("client.pem"), pki("client.key"), pki("ca.pem"));
    const Conversation c = converse(*server, peer, /*deferred=*/true);
    INFO(c.last.reason);
    REQUIRE(c.last.kind == Kind::Success);
    CHECK(msk_bytes(*server) == peer.msk());
}

TEST_CASE("EAP-TLS: a deferred job outlives its server (the IKE SA went meanwhile)", "[eap][tls]") {
    auto server = tls_server("alice@example.com");
    server->set_defer_jobs(true);
    test_peer::EapTlsPeer peer(chain_file("client.pem"), pki("client.key"), pki("ca.pem"), /*fragment_size=*/4000);
    Outcome out = server->process(peer.respond(server->start()));
    REQUIRE(out.kind == Kind::RunJob);
    CHECK(server->process(Bytes{2, 0, 0, 6, 13, 0}).kind == Kind::Failure);  // nothing taken while it runs
    auto job = std::move(out.job);
    server.reset();
    job();  // must not touch freed memory (ASan build)
}

TEST_CASE("EAP-TLS: a certificate of an untrusted CA is refused with an alert, then Failure", "[eap][tls]") {
    auto server = tls_server("mallory@example.com");
    test_peer::EapTlsPeer peer(pki("rogue-client.pem"), pki("client.key"), pki("ca.pem"), 300, /*offer_regardless=*/true);
    const Conversation c = converse(*server, peer);
    CHECK(c.last.kind == Kind::Failure);
    CHECK_THAT(c.last.reason, Catch::Contains("does not chain to a trusted CA"));
    CHECK(c.last.next_packet.size() == 4);
    CHECK(c.last.next_packet[0] == 4);  // EAP-Failure
    CHECK_FALSE(peer.handshake_done());
    CHECK(peer.last_error() == GNUTLS_E_FATAL_ALERT_RECEIVED);  // the client heard why
    CHECK_FALSE(server->msk());
}

TEST_CASE("EAP-TLS: a client that sends no certificate is refused", "[eap][tls]") {
    // GnuTLS sends none when the server's CertificateRequest names only other CAs.
    auto server = tls_server("mallory@example.com");
    test_peer::EapTlsPeer peer(pki("rogue-client.pem"), pki("client.key"), pki("ca.pem"));
    const Conversation c = converse(*server, peer);
    CHECK(c.last.kind == Kind::Failure);
    CHECK_THAT(c.last.reason, Catch::Contains("No certificate"));
    CHECK_FALSE(peer.handshake_done());
    CHECK_FALSE(server->msk());
}

TEST_CASE("EAP-TLS: the certificate must name the EAP identity", "[eap][tls]") {
    auto server = tls_server("bob@example.com");
    test_peer::EapTlsPeer peer(chain_file("client.pem"), pki("client.key"), pki("ca.pem"));
    const Conversation c = converse(*server, peer);
    CHECK(c.last.kind == Kind::Failure);
    CHECK_THAT(c.last.reason, Catch::Contains("does not name the EAP identity 'bob@example.com'"));
    CHECK_FALSE(server->msk());
}

namespace {
// The server after Start, with the Start's Identifier.
std::pair<std::unique_ptr<EapServer>, std::uint8_t> started() {
    auto server = tls_server("alice@example.com");
    const Bytes start = server->start();
    REQUIRE(start.size() == 6);
    CHECK(start[4] == 13);
    CHECK(start[5] == 0x20);  // S
    const std::uint8_t id = start[1];
    return {std::move(server), id};
}

void check_refused(const Outcome& out, std::uint8_t id, const char* why) {
    CHECK(out.kind == Kind::Failure);
    CHECK(out.next_packet == make_failure(id));
    CHECK_THAT(out.reason, Catch::Contains(why));
}
}  // namespace

TEST_CASE("EAP-TLS: malformed framing is refused with a Failure", "[eap][tls][framing]") {
    SECTION("no Flags octet") {
        auto [server, id] = started();
        check_refused(server->process(tls_response(id, {})), id, "without the Flags octet");
    }
    SECTION("L set but the length field is cut short") {
        auto [server, id] = started();
        check_refused(server->process(tls_response(id, {0x80, 0x00, 0x01})), id, "L flag set but only 2 bytes");
    }
    SECTION("S in a Response") {
        auto [server, id] = started();
        check_refused(server->process(tls_response(id, {0x20, 0x16})), id, "S flag in a Response");
    }
    SECTION("an ACK where the ClientHello belongs") {
        auto [server, id] = started();
        check_refused(server->process(tls_response(id, {0x00})), id, "an ACK where");
    }
    SECTION("a declared length over the 64 KiB bound") {
        auto [server, id] = started();
        check_refused(server->process(tls_response(id, {0xC0, 0x00, 0x01, 0x00, 0x01, 0x16})), id,
                      "Message Length 65537 is over the limit");
    }
    SECTION("a first fragment with M but no length") {
        auto [server, id] = started();
        check_refused(server->process(tls_response(id, {0x40, 0x16, 0x03})), id, "without the L flag");
    }
    SECTION("fragments longer than declared") {
        auto [server, id] = started();
        const Outcome ack = server->process(tls_response(id, {0xC0, 0, 0, 0, 4, 0x16, 0x03}));
        REQUIRE(ack.kind == Kind::Continue);
        CHECK(ack.next_packet == make_request(static_cast<std::uint8_t>(id + 1), iana::EapType::TLS, Bytes{0}));
        const auto id2 = static_cast<std::uint8_t>(id + 1);
        check_refused(server->process(tls_response(id2, {0x00, 0x03, 0x01, 0x00})), id2, "exceed the declared message length of 4");
    }
    SECTION("a message that ends short of its declared length") {
        auto [server, id] = started();
        check_refused(server->process(tls_response(id, {0x80, 0, 0, 0, 9, 0x16, 0x03})), id, "ends after 2 of its declared 9");
    }
    SECTION("a changed length within one message") {
        auto [server, id] = started();
        REQUIRE(server->process(tls_response(id, {0xC0, 0, 0, 0, 9, 0x16})).kind == Kind::Continue);
        const auto id2 = static_cast<std::uint8_t>(id + 1);
        check_refused(server->process(tls_response(id2, {0xC0, 0, 0, 0, 8, 0x03})), id2, "changed from 9 to 8");
    }
    SECTION("M set although the declared length is reached") {
        auto [server, id] = started();
        check_refused(server->process(tls_response(id, {0xC0, 0, 0, 0, 2, 0x16, 0x03})), id, "M flag set after");
    }
    SECTION("a zero declared length") {
        auto [server, id] = started();
        check_refused(server->process(tls_response(id, {0x80, 0, 0, 0, 0})), id, "fragment without TLS data");
    }
    SECTION("garbage instead of a ClientHello: TLS refuses it") {
        auto [server, id] = started();
        const Outcome out = server->process(tls_response(id, {0x00, 'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P'}));
        // GnuTLS answers with an alert (a Request), or gives up at once: either way no Success.
        if (out.kind == Kind::Continue) {
            const auto id2 = static_cast<std::uint8_t>(id + 1);
            check_refused(server->process(tls_response(id2, {0x00})), id2, "TLS");
        } else {
            check_refused(out, id, "TLS");
        }
    }
}

TEST_CASE("EAP-TLS: TLS data while the server's flight is still being fragmented is refused", "[eap][tls][framing]") {
    auto server = tls_server("alice@example.com", settings(/*fragment_size=*/200));
    test_peer::EapTlsPeer peer(chain_file("client.pem"), pki("client.key"), pki("ca.pem"), /*fragment_size=*/4000);
    const Outcome first = server->process(peer.respond(server->start()));
    REQUIRE(first.kind == Kind::Continue);
    REQUIRE((first.next_packet.at(5) & 0x40) != 0);  // M: more of the server's flight to come
    const std::uint8_t id = first.next_packet[1];
    check_refused(server->process(tls_response(id, {0x00, 0x15, 0x03, 0x03})), id,
                  "while our flight was being fragmented");
}

TEST_CASE("EAP-TLS: a peer slicing its flight into tiny fragments runs out of rounds", "[eap][tls][framing]") {
    auto [server, id] = started();
    // A declared 2000-byte message in 1-byte fragments: the round cap ends it long before.
    Outcome out = server->process(tls_response(id, {0xC0, 0, 0, 0x07, 0xD0, 0x16}));
    int rounds = 1;
    while (out.kind == Kind::Continue) {
        REQUIRE(rounds < 1000);
        const std::uint8_t next = out.next_packet.at(1);
        out = server->process(tls_response(next, {0x40, 0x16}));
        ++rounds;
    }
    CHECK(out.kind == Kind::Failure);
    CHECK_THAT(out.reason, Catch::Contains("EAP rounds"));
    CHECK(rounds <= 100);
}
