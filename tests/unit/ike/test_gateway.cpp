// Whole exchanges in-process: the test initiator against the gateway with a fake kernel.
#include <catch2/catch.hpp>

#include "../eap/mschapv2_peer.hpp"
#include "crypto/auth_signature.hpp"
#include "crypto/x509.hpp"
#include "gateway_harness.hpp"
#include "ike/payload_helpers.hpp"
#include "test_initiator.hpp"
#include "wire/parser.hpp"

using namespace test_ike;
using ikev2d::ike::find_notify;
using ikev2d::ike::find_payload;
using iana::ExchangeType;
using iana::NotifyType;
using iana::PayloadType;

namespace {

const Endpoint kClient{IpAddress::from_string("192.0.2.11"), 500};
const Endpoint kClientNatt{IpAddress::from_string("192.0.2.11"), 4500};
const std::string kPsk = "a long and secret pre-shared key";

void sa_init(GatewayHarness& h, TestInitiator& ini, InitiatorProposal p = {}, bool fragmentation = false) {
    auto out = h.deliver(ini.self(), ini.sa_init_request(p, std::nullopt, {}, fragmentation));
    REQUIRE(out.size() == 1);
    ini.process_sa_init_response(out[0]);
    REQUIRE(ini.keyed());
}

std::uint16_t notify_in(const std::vector<wire::Payload>& payloads) {
    for (const auto& p : payloads)
        if (const auto* n = std::get_if<wire::NotifyPayload>(&p.body); n && n->type < iana::kFirstStatusNotify) return n->type;
    return 0;
}

IpAddress cp_address(const std::vector<wire::Payload>& payloads) {
    const auto* cp = find_payload<wire::CpPayload>(payloads, PayloadType::CP);
    REQUIRE(cp != nullptr);
    for (const auto& a : cp->attributes)
        if (a.type == static_cast<std::uint16_t>(iana::CfgAttr::INTERNAL_IP4_ADDRESS)) return IpAddress::from_bytes(a.value);
    FAIL("no address in CP");
    return {};
}

// PSK client up; returns the decrypted IKE_AUTH response.
std::vector<wire::Payload> connect_psk(GatewayHarness& h, TestInitiator& ini) {
    sa_init(h, ini);
    auto out = h.deliver(kClientNatt, ini.request(ExchangeType::IKE_AUTH, ini.auth_payloads("site@psk.test", kPsk, true)));
    REQUIRE(out.size() == 1);
    return ini.open_response(out);
}

std::size_t live_sas(const GatewayHarness& h) {
    std::size_t n = 0;
    for (const auto& [spi, sa] : h.gateway->sas()) n += sa->state != ike::IkeSaState::Dead;
    return n;
}

}  // namespace

TEST_CASE("PSK client: SA_INIT, IKE_AUTH, kernel state, retransmission and delete") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    sa_init(h, ini);
    const auto auth_request = ini.request(ExchangeType::IKE_AUTH, ini.auth_payloads("site@psk.test", kPsk, true));
    const auto first = h.deliver(kClientNatt, auth_request);
    REQUIRE(first.size() == 1);
    auto resp = ini.open_response(first);

    const auto* idr = find_payload<wire::IdPayload>(resp, PayloadType::IDr);
    const auto* auth = find_payload<wire::AuthPayload>(resp, PayloadType::AUTH);
    REQUIRE(idr);
    REQUIRE(auth);
    REQUIRE(auth->method == iana::AuthMethod::SHARED_KEY);
    REQUIRE(ini.verify_responder_shared_auth(as_bytes(kPsk), *idr, auth->data));
    REQUIRE_FALSE(ini.verify_responder_shared_auth(as_bytes("wrong"), *idr, auth->data));
    REQUIRE(cp_address(resp).to_string() == "10.2.2.1");

    const auto* sa = find_payload<wire::SaPayload>(resp, PayloadType::SA);
    REQUIRE(sa);
    REQUIRE(sa->proposals.size() == 1);
    REQUIRE(sa->proposals[0].spi.size() == 4);
    std::uint32_t spi_in = static_cast<std::uint32_t>(sa->proposals[0].spi[0]) << 24 | sa->proposals[0].spi[1] << 16 |
                           sa->proposals[0].spi[2] << 8 | sa->proposals[0].spi[3];
    const auto* tsi = find_payload<wire::TsPayload>(resp, PayloadType::TSi);
    const auto* tsr = find_payload<wire::TsPayload>(resp, PayloadType::TSr);
    REQUIRE(tsi->selectors.size() == 1);
    REQUIRE(tsi->selectors[0].start_addr == Bytes{10, 2, 2, 1});
    REQUIRE(tsi->selectors[0].end_addr == Bytes{10, 2, 2, 1});
    REQUIRE(tsr->selectors[0].start_addr == Bytes{198, 51, 100, 0});
    REQUIRE(tsr->selectors[0].end_addr == Bytes{198, 51, 100, 255});

    // The kernel holds an inbound and an outbound SA and in/out/fwd policies.
    REQUIRE(h.kernel.sas().size() == 2);
    const auto* in = h.kernel.find_sa(IpAddress::from_string("192.0.2.1"), spi_in);
    const auto* out = h.kernel.find_sa(IpAddress::from_string("192.0.2.11"), ini.esp_spi());
    REQUIRE(in);
    REQUIRE(out);
    REQUIRE(in->encr == iana::EncrId::AES_GCM_16);
    REQUIRE(in->encr_key.size() == 36);
    REQUIRE_FALSE(ct_equal(in->encr_key, out->encr_key));
    REQUIRE(h.kernel.policies().size() == 3);
    REQUIRE(h.gateway->counters().ike_sa_established == 1);

    // A retransmitted request gets the same bytes back and changes nothing; a different
    // packet with the same message ID (not a copy) gets nothing.
    REQUIRE(h.deliver(kClientNatt, auth_request) == first);
    REQUIRE(h.kernel.sas().size() == 2);
    ini.set_message_id(1);
    REQUIRE(h.deliver(kClientNatt, ini.request(ExchangeType::IKE_AUTH, ini.auth_payloads("site@psk.test", kPsk, true))).empty());
    REQUIRE(h.gateway->counters().retransmits == 1);

    // Delete of the IKE SA: empty answer, kernel state and lease gone.
    wire::DeletePayload del;
    del.protocol = static_cast<std::uint8_t>(iana::ProtocolId::IKE);
    auto answer = ini.open_response(h.deliver(kClientNatt, ini.request(ExchangeType::INFORMATIONAL, {{PayloadType::Delete, false, del}})));
    REQUIRE(answer.empty());
    REQUIRE(h.kernel.sas().empty());
    REQUIRE(h.kernel.policies().empty());
    REQUIRE(h.gateway->pools().at("p").used() == 0);
    REQUIRE(live_sas(h) == 0);
}

TEST_CASE("EAP-MSCHAPv2 client: certificate AUTH, EAP round trips, MSK-based AUTH") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    sa_init(h, ini);
    auto r1 = ini.open_response(h.deliver(kClientNatt, ini.request(ExchangeType::IKE_AUTH, ini.auth_payloads("alice", std::nullopt, true))));
    const auto* idr = find_payload<wire::IdPayload>(r1, PayloadType::IDr);
    const auto* cert = find_payload<wire::CertPayload>(r1, PayloadType::CERT);
    const auto* sig = find_payload<wire::AuthPayload>(r1, PayloadType::AUTH);
    const auto* eap = find_payload<wire::EapPayload>(r1, PayloadType::EAP);
    REQUIRE((idr && cert && sig && eap));
    REQUIRE(find_payload<wire::SaPayload>(r1, PayloadType::SA) == nullptr);  // held back until EAP is done
    auto gw_cert = crypto::Certificate::from_der(cert->data);
    REQUIRE(crypto::verify_auth(gw_cert, sig->method, sig->data, ini.responder_octets(*idr)));

    test_peer::MsChapV2Peer peer("alice", "Correct-Horse-7");
    auto challenge_answer = peer.answer_challenge(eap->data);
    REQUIRE(challenge_answer);
    auto r2 = ini.open_response(h.deliver(kClientNatt, ini.request(ExchangeType::IKE_AUTH, {{PayloadType::EAP, false, wire::EapPayload{*challenge_answer}}})));
    const auto* eap2 = find_payload<wire::EapPayload>(r2, PayloadType::EAP);
    REQUIRE(eap2);
    auto success_answer = peer.answer_success(eap2->data);
    REQUIRE(success_answer);
    auto r3 = ini.open_response(h.deliver(kClientNatt, ini.request(ExchangeType::IKE_AUTH, {{PayloadType::EAP, false, wire::EapPayload{*success_answer}}})));
    const auto* eap3 = find_payload<wire::EapPayload>(r3, PayloadType::EAP);
    REQUIRE(eap3);
    REQUIRE(eap3->data.at(0) == 3);  // EAP-Success
    REQUIRE(h.kernel.sas().empty());

    Bytes msk = peer.msk();
    wire::AuthPayload my_auth{iana::AuthMethod::SHARED_KEY, ini.shared_key_auth(msk)};
    auto r4 = ini.open_response(h.deliver(kClientNatt, ini.request(ExchangeType::IKE_AUTH, {{PayloadType::AUTH, false, my_auth}})));
    const auto* auth = find_payload<wire::AuthPayload>(r4, PayloadType::AUTH);
    REQUIRE(auth);
    REQUIRE(ini.verify_responder_shared_auth(msk, *idr, auth->data));
    REQUIRE(cp_address(r4).to_string() == "10.2.2.1");
    REQUIRE(find_payload<wire::SaPayload>(r4, PayloadType::SA));
    REQUIRE(h.kernel.sas().size() == 2);
    REQUIRE(h.kernel.policies().size() == 3);  // 0.0.0.0/0 <-> 10.2.2.1/32
}

TEST_CASE("EAP with a wrong password: AUTHENTICATION_FAILED, no kernel state, no lease") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    sa_init(h, ini);
    auto r1 = ini.open_response(h.deliver(kClientNatt, ini.request(ExchangeType::IKE_AUTH, ini.auth_payloads("alice", std::nullopt, true))));
    const auto* eap = find_payload<wire::EapPayload>(r1, PayloadType::EAP);
    test_peer::MsChapV2Peer peer("alice", "wrong password");
    auto answer = peer.answer_challenge(eap->data);
    auto r2 = ini.open_response(h.deliver(kClientNatt, ini.request(ExchangeType::IKE_AUTH, {{PayloadType::EAP, false, wire::EapPayload{*answer}}})));
    // MSCHAPv2 may report the failure in its own Failure request first; answer until the end.
    for (int i = 0; i < 3 && notify_in(r2) == 0; ++i) {
        const auto* e = find_payload<wire::EapPayload>(r2, PayloadType::EAP);
        REQUIRE(e);
        if (e->data.at(0) == 4) break;
        Bytes ack = {2, e->data.at(1), 0, 6, 26, 4};  // Response/MSCHAPv2 Failure acknowledgement
        r2 = ini.open_response(h.deliver(kClientNatt, ini.request(ExchangeType::IKE_AUTH, {{PayloadType::EAP, false, wire::EapPayload{ack}}})));
    }
    REQUIRE(notify_in(r2) == static_cast<std::uint16_t>(NotifyType::AUTHENTICATION_FAILED));
    REQUIRE(h.kernel.sas().empty());
    REQUIRE(h.kernel.policies().empty());
    REQUIRE(h.gateway->pools().at("p").used() == 0);
    REQUIRE(live_sas(h) == 0);
    REQUIRE(h.gateway->counters().auth_failures == 1);
}

TEST_CASE("wrong PSK: AUTHENTICATION_FAILED and a session already up keeps working") {
    GatewayHarness h;
    TestInitiator good(kClient, h.local);
    connect_psk(h, good);
    REQUIRE(h.kernel.sas().size() == 2);

    Endpoint other{IpAddress::from_string("192.0.2.12"), 500};
    TestInitiator bad(other, h.local);
    sa_init(h, bad);
    auto out = h.deliver(Endpoint{other.addr, 4500}, bad.request(ExchangeType::IKE_AUTH, bad.auth_payloads("site@psk.test", std::string("not the key"), true)));
    auto resp = bad.open_response(out);
    REQUIRE(notify_in(resp) == static_cast<std::uint16_t>(NotifyType::AUTHENTICATION_FAILED));
    REQUIRE(h.kernel.sas().size() == 2);
    REQUIRE(h.gateway->pools().at("p").used() == 1);

    // The first client is still answered (an empty INFORMATIONAL = liveness check).
    auto alive = good.open_response(h.deliver(kClientNatt, good.request(ExchangeType::INFORMATIONAL, {})));
    REQUIRE(alive.empty());
}

TEST_CASE("IKE_SA_INIT: INVALID_KE_PAYLOAD names our group, NO_PROPOSAL_CHOSEN for legacy-only clients") {
    GatewayHarness h;
    TestInitiator a(kClient, h.local);
    InitiatorProposal p;
    p.groups = {iana::DhGroup::MODP_2048, iana::DhGroup::ECP_256};
    auto out = h.deliver(kClient, a.sa_init_request(p));
    REQUIRE(out.size() == 1);
    auto m = wire::parse_message(out[0]);
    REQUIRE(m);
    const auto* n = m->find_notify(NotifyType::INVALID_KE_PAYLOAD);
    REQUIRE(n);
    REQUIRE(n->data == Bytes{0x00, 0x13});
    REQUIRE(live_sas(h) == 0);

    TestInitiator w(Endpoint{IpAddress::from_string("192.0.2.13"), 500}, h.local);
    InitiatorProposal windows;
    windows.encr = iana::EncrId::AES_CBC;
    windows.key_bits = 128;
    windows.integ = iana::IntegId::HMAC_SHA1_96;
    windows.prf = iana::PrfId::HMAC_SHA1;
    windows.groups = {iana::DhGroup::MODP_1024};
    out = h.deliver(w.self(), w.sa_init_request(windows));
    m = wire::parse_message(out.at(0));
    REQUIRE(m);
    REQUIRE(m->find_notify(NotifyType::NO_PROPOSAL_CHOSEN));
    REQUIRE(live_sas(h) == 0);
}

TEST_CASE("cookies are demanded past the half-open threshold and honoured") {
    std::string toml = kTestConfig;
    toml.replace(toml.find("half_open_cookie_threshold = 100"), 32, "half_open_cookie_threshold = 0  ");
    GatewayHarness h(toml);
    TestInitiator ini(kClient, h.local);
    InitiatorProposal p;
    auto out = h.deliver(kClient, ini.sa_init_request(p));
    auto m = wire::parse_message(out.at(0));
    REQUIRE(m);
    const auto* cookie = m->find_notify(NotifyType::COOKIE);
    REQUIRE(cookie);
    REQUIRE(live_sas(h) == 0);
    REQUIRE(h.gateway->counters().cookies_sent == 1);
    // A forged cookie is refused again; the right one creates the SA.
    Bytes forged = cookie->data;
    forged.back() ^= 1;
    out = h.deliver(kClient, ini.sa_init_request(p, std::nullopt, forged));
    REQUIRE(wire::parse_message(out.at(0))->find_notify(NotifyType::COOKIE));
    REQUIRE(live_sas(h) == 0);
    out = h.deliver(kClient, ini.sa_init_request(p, std::nullopt, cookie->data));
    ini.process_sa_init_response(out.at(0));
    REQUIRE(ini.keyed());
    REQUIRE(live_sas(h) == 1);
}

TEST_CASE("RFC 7383 fragmentation both ways, and a retransmitted fragmented request") {
    std::string toml = kTestConfig;
    toml.replace(toml.find("fragment_mtu = 1280"), 19, "fragment_mtu = 576  ");
    GatewayHarness h(toml);
    TestInitiator ini(kClient, h.local);
    sa_init(h, ini, {}, true);
    // Our request in fragments of 100 bytes; the answer (certificate inside) in fragments too.
    auto req = ini.request(ExchangeType::IKE_AUTH, ini.auth_payloads("alice", std::nullopt, true), 100);
    REQUIRE(req.size() > 1);
    auto out = h.deliver(kClientNatt, req);
    REQUIRE(out.size() > 1);
    for (const auto& pkt : out) REQUIRE(pkt.size() <= 576 - 20 - 8 - 4);
    auto resp = ini.open_response(out);
    REQUIRE(find_payload<wire::CertPayload>(resp, PayloadType::CERT));
    REQUIRE(find_payload<wire::EapPayload>(resp, PayloadType::EAP));
    REQUIRE(h.gateway->counters().fragments_received >= 1);
    // The whole request again: answered once, with the same fragments.
    auto again = h.deliver(kClientNatt, req);
    REQUIRE(again == out);
}

TEST_CASE("DPD: idle peers are probed and torn down when they stop answering") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    connect_psk(h, ini);
    REQUIRE(h.advance(5'000).empty());
    auto probe = h.advance(6'000);
    REQUIRE(probe.size() == 1);
    auto [payloads, answer] = ini.answer_request(probe[0], {});
    REQUIRE(payloads.empty());  // a liveness check is an empty INFORMATIONAL
    h.deliver(kClientNatt, answer);
    REQUIRE(live_sas(h) == 1);
    // Now the peer is gone: the probe, `retries` retransmissions, then the SA goes.
    std::size_t probes = 0;
    for (int i = 0; i < 10 && live_sas(h) == 1; ++i) probes += h.advance(5'000).size();
    REQUIRE(live_sas(h) == 0);
    REQUIRE(probes == 3);
    REQUIRE(h.kernel.sas().empty());
    REQUIRE(h.gateway->pools().at("p").used() == 0);
    REQUIRE(h.gateway->counters().dpd_timeouts == 1);
}

TEST_CASE("an IKE SA whose IKE_AUTH never comes is dropped after the auth timeout") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    sa_init(h, ini);
    REQUIRE(h.gateway->half_open() == 1);
    h.advance(29'000);
    REQUIRE(live_sas(h) == 1);
    h.advance(2'000);
    REQUIRE(live_sas(h) == 0);
    REQUIRE(h.gateway->half_open() == 0);
}

TEST_CASE("garbage does not disturb an established session") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    connect_psk(h, ini);
    Bytes junk(200, 0xab);
    REQUIRE(h.deliver(kClientNatt, junk).empty());
    REQUIRE(h.deliver(kClientNatt, Bytes{1, 2, 3}).empty());
    // Right SPIs, wrong contents: fails integrity and is dropped.
    auto forged = ini.request(ExchangeType::INFORMATIONAL, {});
    forged[0][forged[0].size() - 1] ^= 0x55;
    REQUIRE(h.deliver(kClientNatt, forged).empty());
    ini.set_message_id(2);
    auto alive = ini.open_response(h.deliver(kClientNatt, ini.request(ExchangeType::INFORMATIONAL, {})));
    REQUIRE(alive.empty());
    REQUIRE(h.kernel.sas().size() == 2);
    REQUIRE(h.gateway->counters().invalid_packets >= 3);
}

TEST_CASE("INITIAL_CONTACT replaces the user's older IKE SA, which frees its address first") {
    GatewayHarness h;
    TestInitiator first(kClient, h.local);
    connect_psk(h, first);
    REQUIRE(live_sas(h) == 1);

    // The same user again (e.g. the laptop rebooted behind its NAT), from other ports
    // than the first SA's (500/4500), with INITIAL_CONTACT.
    const Endpoint again{kClient.addr, 1500}, again_natt{kClient.addr, 4501};
    TestInitiator second(again, h.local);
    sa_init(h, second);
    auto payloads = second.auth_payloads("site@psk.test", kPsk, true);
    wire::NotifyPayload ic;
    ic.type = static_cast<std::uint16_t>(NotifyType::INITIAL_CONTACT);
    payloads.push_back({PayloadType::Notify, false, ic});
    auto resp = second.open_response(h.deliver(again_natt, second.request(ExchangeType::IKE_AUTH, payloads)));
    REQUIRE(cp_address(resp).to_string() == "10.2.2.1");  // the address the old SA held
    REQUIRE(live_sas(h) == 1);
    // The one left is the new SA at the new port; the first one is gone with its Child SAs.
    for (const auto& [spi, sa] : h.gateway->sas()) {
        if (sa->state == ike::IkeSaState::Dead) continue;
        CHECK(sa->spi_i == second.spi_i());
        CHECK(sa->remote == again_natt);
    }
    REQUIRE(h.kernel.sas().size() == 2);
    for (const auto& [key, child] : h.kernel.sas())
        CHECK((!child.natt_ports || child.natt_ports->second == again_natt.port || child.natt_ports->first == again_natt.port));
}

TEST_CASE("client certificate: a chain to a trusted CA and a valid signature get in, others do not") {
    const char* data = std::getenv("IKEV2D_TEST_DATA");
    REQUIRE(data != nullptr);
    const std::string pki = std::string(data) + "/pki/";
    std::string toml = kTestConfig;
    toml.replace(toml.find("default_group = \"eap\""), 21, "default_group = \"cert\"");
    // The test PKI's root (README there); the gateway's own credentials come from the harness.
    toml += "\n[trustpoint]\nself_signed = true\nca_certificates = [\"" + pki + "ca.pem\"]\n";
    toml += "\n[group.cert]\npool = \"p\"\nclient_auth = \"certificate\"\nlocal_networks = [\"198.51.100.0/24\"]\n";

    auto attempt = [&](const std::string& cert_file, const std::string& key_file, const std::string& id) {
        GatewayHarness h(toml);
        TestInitiator ini(kClient, h.local);
        sa_init(h, ini);
        auto payloads = ini.auth_payloads(id, std::nullopt, true);  // IDi first, then CP, SA, TS
        auto key = crypto::PrivateKey::load_file(pki + key_file);
        auto scheme = crypto::choose_auth_scheme(key, {});
        Bytes signature = crypto::sign_auth(key, scheme, ini.initiator_octets());
        std::vector<wire::Payload> request{payloads.front()};
        for (const auto& c : crypto::Certificate::load_file(pki + cert_file))
            request.push_back({PayloadType::CERT, false, wire::CertPayload{4, c.der()}});
        request.push_back({PayloadType::CERT, false, wire::CertPayload{4, crypto::Certificate::load_file(pki + "inter.pem").front().der()}});
        request.push_back({PayloadType::AUTH, false, wire::AuthPayload{scheme.method, signature}});
        request.insert(request.end(), payloads.begin() + 1, payloads.end());
        auto resp = ini.open_response(h.deliver(kClientNatt, ini.request(ExchangeType::IKE_AUTH, request)));
        return std::make_pair(resp, h.kernel.sas().size());
    };

    auto [ok, ok_sas] = attempt("client.pem", "client.key", "alice@example.com");
    REQUIRE(notify_in(ok) == 0);
    const auto* auth = find_payload<wire::AuthPayload>(ok, PayloadType::AUTH);
    REQUIRE(auth);
    REQUIRE(auth->method != iana::AuthMethod::SHARED_KEY);  // the gateway signs too
    REQUIRE(cp_address(ok).to_string() == "10.2.2.1");
    REQUIRE(ok_sas == 2);

    // IDi that the certificate does not name; a certificate from an untrusted CA.
    auto [wrong_id, wrong_id_sas] = attempt("client.pem", "client.key", "mallory@example.com");
    REQUIRE(notify_in(wrong_id) == static_cast<std::uint16_t>(NotifyType::AUTHENTICATION_FAILED));
    REQUIRE(wrong_id_sas == 0);
    auto [rogue, rogue_sas] = attempt("rogue-client.pem", "client.key", "mallory@example.com");
    REQUIRE(notify_in(rogue) == static_cast<std::uint16_t>(NotifyType::AUTHENTICATION_FAILED));
    REQUIRE(rogue_sas == 0);
}
