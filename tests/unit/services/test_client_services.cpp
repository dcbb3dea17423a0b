// The AnyConnect client-services endpoint end to end in one process (issue 13): an
// AnyConnect login through the gateway (tests/unit/ike/anyconnect_login.hpp), the session
// token wired to ClientServices as the daemon does (daemon/app/daemon.cpp), the HTTPS
// server on a loopback port, and a GnuTLS client that checks the gateway's certificate,
// fetches the manifest and the profile, and compares the manifest's SHA-1 with its own.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "../ike/anyconnect_login.hpp"
#include "services/client_services.hpp"
#include "services/https_server.hpp"

using namespace test_ike;
using namespace ikev2d;

namespace {

const Endpoint kClient{IpAddress::from_string("198.51.100.9"), 500};
const std::string kProfile =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<AnyConnectProfile xmlns=\"http://schemas.xmlsoap.org/encoding/\">"
    "<ServerList><HostEntry><HostName>Anu-IKEV2</HostName><HostAddress>10.0.0.1</HostAddress>"
    "<UserGroup>ASA-IKEV2</UserGroup><PrimaryProtocol>IPsec</PrimaryProtocol></HostEntry></ServerList>"
    "</AnyConnectProfile>\n";

// A directory with profile_ac.xml in it, removed at the end.
struct ProfileDir {
    std::string dir;
    ProfileDir() {
        char tmpl[] = "/tmp/ikev2d-services-XXXXXX";
        REQUIRE(mkdtemp(tmpl));
        dir = tmpl;
        std::ofstream(dir + "/profile_ac.xml", std::ios::binary) << kProfile;
    }
    ~ProfileDir() {
        std::remove((dir + "/profile_ac.xml").c_str());
        ::rmdir(dir.c_str());
    }
    std::string path() const { return dir + "/profile_ac.xml"; }
};

std::string sha1_hex(const std::string& data) {
    unsigned char digest[20];
    REQUIRE(gnutls_hash_fast(GNUTLS_DIG_SHA1, data.data(), data.size(), digest) == 0);
    return to_hex(ByteView(digest, sizeof digest));
}

struct HttpAnswer {
    std::string head, body;
    int status = 0;
};

// One HTTPS request from a GnuTLS client that trusts only the gateway's certificate.
HttpAnswer https_get(std::uint16_t port, const crypto::Certificate& gateway_cert, const std::string& path,
                     const std::string& cookie_header) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    gnutls_certificate_credentials_t cred = nullptr;
    REQUIRE(gnutls_certificate_allocate_credentials(&cred) == 0);
    gnutls_x509_crt_t trusted = gateway_cert.native();
    REQUIRE(gnutls_certificate_set_x509_trust(cred, &trusted, 1) == 1);
    gnutls_session_t session = nullptr;
    REQUIRE(gnutls_init(&session, GNUTLS_CLIENT) == 0);
    REQUIRE(gnutls_set_default_priority(session) == 0);
    REQUIRE(gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, cred) == 0);
    gnutls_session_set_verify_cert(session, "gw.ikev2d.test", 0);
    gnutls_transport_set_int(session, fd);
    int rc;
    do rc = gnutls_handshake(session);
    while (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED);
    REQUIRE(rc == 0);  // includes the check of the gateway's certificate and name
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: gw.ikev2d.test\r\nUser-Agent: AnyConnect test\r\n" +
                                cookie_header + "\r\n";
    REQUIRE(gnutls_record_send(session, request.data(), request.size()) == static_cast<ssize_t>(request.size()));
    std::string all;
    char buffer[4096];
    for (;;) {
        const ssize_t n = gnutls_record_recv(session, buffer, sizeof buffer);
        if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) continue;
        if (n <= 0) break;  // close_notify (0) or the peer closed
        all.append(buffer, static_cast<std::size_t>(n));
    }
    gnutls_deinit(session);
    gnutls_certificate_free_credentials(cred);
    ::close(fd);
    HttpAnswer a;
    const auto end = all.find("\r\n\r\n");
    REQUIRE(end != std::string::npos);
    a.head = all.substr(0, end + 4);
    a.body = all.substr(end + 4);
    REQUIRE(a.head.size() > 12);
    a.status = std::stoi(a.head.substr(9, 3));
    return a;
}

std::string cookie(const std::string& token) { return "Cookie: webvpn=" + token + "\r\n"; }

// Gateway + ClientServices + HTTPS server, wired like the daemon.
struct Fixture {
    ProfileDir profile;
    GatewayHarness h{anyconnect_config("anyconnect_profile = \"" + profile.path() + "\"\n") +
                     "\n[client_services]\nport = 8443\n"};
    services::ClientServices services{h.config};
    services::HttpsServer server{[] {
                                     services::HttpsServerOptions o;
                                     o.address = "127.0.0.1";
                                     o.port = 0;
                                     o.max_connections = 4;
                                     o.connection_timeout_ms = 5000;
                                     return o;
                                 }(),
                                 h.credentials->chain, *h.credentials->key,
                                 [this](std::string_view head) { return services.respond(head); }};
    TestInitiator ini{kClient, Endpoint{IpAddress::from_string("192.0.2.1"), 500}};
    Fixture() {
        h.gateway->on_session_up = [this](const ike::IkeSa& sa) {
            if (!sa.client_services_token.empty()) services.session_up(sa.client_services_token, sa.group);
        };
        h.gateway->on_session_down = [this](const ike::IkeSa& sa, const std::string&) {
            if (!sa.client_services_token.empty()) services.session_down(sa.client_services_token);
        };
    }
    HttpAnswer get(const std::string& path, const std::string& cookie_header) {
        return https_get(server.port(), h.credentials->chain.front(), path, cookie_header);
    }
};

}  // namespace

TEST_CASE("After an AnyConnect login the token fetches the manifest and the profile over HTTPS", "[services]") {
    Fixture f;
    AnyConnectSession s = connect_anyconnect(f.h, f.ini);
    REQUIRE(established_sas(f.h) == 1);
    REQUIRE(s.session_token.size() == 32);
    // "complete" names the port and the manifest, with the profile's SHA-1 (computed here
    // with GnuTLS, the gateway's with nettle at load).
    CHECK(xml_element_text(s.complete_xml, "csport") == "8443");
    const std::string uri = xml_element_text(s.complete_xml, "uri");
    CHECK(uri == "/CACHE/stc/profiles/profile_ac.xml");
    CHECK(s.complete_xml.find("<hash type=\"sha1\">" + sha1_hex(kProfile) + "</hash>") != std::string::npos);
    CHECK(f.services.live_tokens() == 1);

    HttpAnswer manifest = f.get("/CACHE/stc/profiles/vpn-profile-manifest.xml", cookie(s.session_token));
    REQUIRE(manifest.status == 200);
    CHECK(xml_element_text(manifest.body, "uri") == uri);
    const auto at = manifest.body.find("<hash type=\"sha1\">");
    REQUIRE(at != std::string::npos);
    const std::string listed_hash = manifest.body.substr(at + 18, 40);
    HttpAnswer profile = f.get(uri, cookie(s.session_token));
    REQUIRE(profile.status == 200);
    CHECK(profile.body == kProfile);
    CHECK(sha1_hex(profile.body) == listed_hash);
    CHECK(profile.head.find("Content-Length: " + std::to_string(kProfile.size()) + "\r\n") != std::string::npos);
    CHECK(f.get("/CACHE/stc/profiles/other.xml", cookie(s.session_token)).status == 404);
}

TEST_CASE("Client services answer 403 and nothing else without a live token", "[services]") {
    Fixture f;
    AnyConnectSession s = connect_anyconnect(f.h, f.ini);
    REQUIRE(established_sas(f.h) == 1);
    const std::string uri = "/CACHE/stc/profiles/profile_ac.xml";
    auto forbidden = [](const HttpAnswer& a) {
        CHECK(a.status == 403);
        CHECK(a.body.empty());
        CHECK(a.head.find("Content-Length: 0\r\n") != std::string::npos);
    };
    forbidden(f.get(uri, ""));
    forbidden(f.get(uri, cookie("")));
    std::string wrong = s.session_token;
    wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
    forbidden(f.get(uri, cookie(wrong)));
    forbidden(f.get(uri, cookie(s.session_token.substr(0, 31))));
    forbidden(f.get("/CACHE/stc/profiles/vpn-profile-manifest.xml", "Cookie: session=" + s.session_token + "\r\n"));
    // The same token works while the session lives ...
    CHECK(f.get(uri, cookie(s.session_token)).status == 200);
    // ... and is stale once it ended.
    REQUIRE(f.h.gateway->disconnect(f.h.gateway->sas().begin()->second->unique_id, "test") == 1);
    CHECK(f.services.live_tokens() == 0);
    forbidden(f.get(uri, cookie(s.session_token)));
    forbidden(f.get("/CACHE/stc/profiles/vpn-profile-manifest.xml", cookie(s.session_token)));
}

TEST_CASE("Client services: bounded connections and request heads, the server stays up", "[services]") {
    Fixture f;
    AnyConnectSession s = connect_anyconnect(f.h, f.ini);
    // An endless request head is cut off without an answer.
    {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(f.server.port());
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        const std::string junk(2000, 'x');  // not TLS at all: the handshake fails
        CHECK(::write(fd, junk.data(), junk.size()) == static_cast<ssize_t>(junk.size()));
        char c;
        timeval tv{5, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ssize_t n;
        while ((n = ::read(fd, &c, 1)) > 0) {
        }
        const int error = errno;
        CHECK((n == 0 || (n < 0 && error == ECONNRESET)));  // closed by the server, not timed out (EAGAIN)
        ::close(fd);
    }
    // More idle connections than allowed: the extra ones are closed at once.
    std::vector<int> idle;
    for (int i = 0; i < 6; ++i) {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(f.server.port());
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        idle.push_back(fd);
    }
    for (int i = 0; i < 50 && f.server.connections_refused() < 2; ++i) ::usleep(20000);
    CHECK(f.server.connections_refused() >= 2);
    for (int fd : idle) ::close(fd);
    // Once they are gone, the endpoint still serves.
    HttpAnswer ok;
    for (int i = 0; i < 50; ++i) {
        ::usleep(20000);
        ok = f.get("/CACHE/stc/profiles/profile_ac.xml", cookie(s.session_token));
        if (ok.status == 200) break;
    }
    CHECK(ok.status == 200);
}
