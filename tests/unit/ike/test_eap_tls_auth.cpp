// EAP-TLS inside IKE_AUTH (issue 12): a GnuTLS client with a certificate of the trusted
// CA logs in through the whole exchange; the TLS handshake steps run as worker jobs; the
// MSK keys both AUTH payloads; the certificate's user needs no [user] entry.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "../eap/eap_tls_peer.hpp"
#include "eap/packet.hpp"
#include "exchange_helpers.hpp"
#include "gateway_harness.hpp"
#include "ike/payload_helpers.hpp"
#include "test_initiator.hpp"

using namespace test_ike;
using ikev2d::ike::find_payload;
using iana::ExchangeType;
using iana::PayloadType;

namespace {

const Endpoint kClient{IpAddress::from_string("192.0.2.21"), 500};

std::string pki(const std::string& name) {
    const char* data = std::getenv("IKEV2D_TEST_DATA");
    REQUIRE(data != nullptr);
    return std::string(data) + "/pki/" + name;
}

std::string chain_file() {
    const std::string path = "/tmp/ikev2d-eaptls-ike-" + std::to_string(::getpid()) + ".pem";
    std::ifstream leaf(pki("client.pem")), inter(pki("inter.pem"));
    std::stringstream s;
    s << leaf.rdbuf() << inter.rdbuf();
    std::ofstream(path) << s.str();
    return path;
}

std::string tls_config() {
    std::string toml = kTestConfig;
    toml.replace(toml.find("default_group = \"eap\""), 21, "default_group = \"tls\"");
    toml += "\n[trustpoint]\nself_signed = true\nca_certificates = [\"" + pki("ca.pem") + "\"]\n";
    toml += "\n[group.tls]\npool = \"p\"\nclient_auth = \"eap\"\neap_methods = [\"tls\"]\nlocal_networks = [\"198.51.100.0/24\"]\n";
    return toml;
}

Bytes identity_response(std::uint8_t id, const std::string& identity) {
    ikev2d::eap::EapPacket p{iana::EapCode::Response, id, iana::EapType::Identity, Bytes(identity.begin(), identity.end())};
    return p.encode();
}

struct Login {
    std::vector<wire::Payload> last;
    int deferred_steps = 0;  // EAP-TLS Responses answered only after a worker job
};

Login login(GatewayHarness& h, TestInitiator& ini, test_peer::EapTlsPeer& peer, const std::string& identity) {
    Login out;
    sa_init_ok(h, ini);
    const Endpoint from = natt_of(ini.self());
    auto resp = ini.open_response(h.deliver(from, ini.request(ExchangeType::IKE_AUTH, ini.auth_payloads(identity, std::nullopt, true))));
    for (int round = 0; round < 40; ++round) {
        if (error_notify(resp) != 0) {
            out.last = resp;
            return out;
        }
        const auto* eap = find_payload<wire::EapPayload>(resp, PayloadType::EAP);
        REQUIRE(eap);
        const Bytes req = eap->data;
        REQUIRE(req.size() >= 4);
        if (req[0] == 3) {  // EAP-Success: AUTH keyed with the MSK the client derived itself
            wire::AuthPayload auth{iana::AuthMethod::SHARED_KEY, ini.shared_key_auth(peer.msk())};
            out.last = ini.open_response(h.deliver(from, ini.request(ExchangeType::IKE_AUTH, {{PayloadType::AUTH, false, auth}})));
            return out;
        }
        REQUIRE(req[0] == 1);
        const Bytes answer = req[4] == 1 ? identity_response(req[1], identity) : peer.respond(req);
        const auto request = ini.request(ExchangeType::IKE_AUTH, {{PayloadType::EAP, false, wire::EapPayload{answer}}});
        h.auto_complete = false;
        auto datagrams = h.deliver(from, request);
        if (datagrams.empty() && h.jobs_in_flight() > 0) {
            ++out.deferred_steps;
            datagrams = h.complete_jobs();
        }
        h.auto_complete = true;
        resp = ini.open_response(datagrams);
    }
    FAIL("EAP-TLS did not finish");
    return out;
}

}  // namespace

TEST_CASE("IKE_AUTH with EAP-TLS: certificate login, handshake on workers, MSK-keyed AUTH both ways", "[eap-tls]") {
    GatewayHarness h(tls_config());
    TestInitiator ini(kClient, h.local);
    test_peer::EapTlsPeer peer(chain_file(), pki("client.key"), /*ca_file=*/"");  // self-signed gateway: not checked here
    const Login l = login(h, ini, peer, "alice@example.com");
    REQUIRE(error_notify(l.last) == 0);
    // The gateway's AUTH, keyed with the MSK, was checked by the initiator in open_response.
    REQUIRE(find_payload<wire::AuthPayload>(l.last, PayloadType::AUTH));
    CHECK(l.deferred_steps == 2);  // ClientHello, then the client's certificate flight
    REQUIRE(established_sas(h) == 1);
    const ike::IkeSa& sa = *h.gateway->sas().begin()->second;
    CHECK(sa.username == "alice@example.com");  // no [user] entry: the certificate names the user
    CHECK(sa.group == "tls");
}

TEST_CASE("IKE_AUTH with EAP-TLS: an identity the certificate does not name is refused, nothing left", "[eap-tls]") {
    GatewayHarness h(tls_config());
    TestInitiator ini(kClient, h.local);
    test_peer::EapTlsPeer peer(chain_file(), pki("client.key"), "");
    const Login l = login(h, ini, peer, "bob@example.com");
    CHECK(error_notify(l.last) == code(iana::NotifyType::AUTHENTICATION_FAILED));
    CHECK(established_sas(h) == 0);
    CHECK(live_sas(h) == 0);
}

TEST_CASE("IKE_AUTH with EAP-TLS: a certificate of an untrusted CA is refused", "[eap-tls]") {
    GatewayHarness h(tls_config());
    TestInitiator ini(kClient, h.local);
    test_peer::EapTlsPeer peer(pki("rogue-client.pem"), pki("client.key"), "", 300, /*offer_regardless=*/true);
    const Login l = login(h, ini, peer, "mallory@example.com");
    CHECK(error_notify(l.last) == code(iana::NotifyType::AUTHENTICATION_FAILED));
    CHECK(live_sas(h) == 0);
}

TEST_CASE("IKE_AUTH with EAP-TLS: the session survives a reload that keeps the group's TLS, not one that drops it",
          "[eap-tls]") {
    GatewayHarness h(tls_config());
    TestInitiator ini(kClient, h.local);
    test_peer::EapTlsPeer peer(chain_file(), pki("client.key"), "");
    REQUIRE(error_notify(login(h, ini, peer, "alice@example.com").last) == 0);
    REQUIRE(established_sas(h) == 1);
    auto reload = [&](const std::string& toml) {
        auto loaded = config::load_string(toml, "reloaded.conf");
        REQUIRE(loaded);
        h.gateway->replace_config(std::make_shared<config::Config>(std::move(loaded.value())), nullptr);
    };
    reload(tls_config());
    CHECK(established_sas(h) == 1);  // no [user] entry, yet still admitted: its group still offers TLS
    std::string without_tls = tls_config();
    without_tls.replace(without_tls.find("eap_methods = [\"tls\"]"), 21, "eap_methods = [\"md5\"]");
    reload(without_tls);
    CHECK(established_sas(h) == 0);
}
