// An EAP-MSCHAPv2 login of the test initiator through a whole IKE_AUTH (with an optional
// EAP-Identity round and INITIAL_CONTACT), for the exchange tests that need EAP users.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "../eap/mschapv2_peer.hpp"
#include "exchange_helpers.hpp"
#include "gateway_harness.hpp"
#include "ike/payload_helpers.hpp"
#include "test_initiator.hpp"

namespace test_ike {

using ikev2d::ike::find_payload;

inline void add_initial_contact(std::vector<wire::Payload>& payloads) {
    wire::NotifyPayload ic;
    ic.type = static_cast<std::uint16_t>(iana::NotifyType::INITIAL_CONTACT);
    payloads.push_back({iana::PayloadType::Notify, false, ic});
}

// Every client of the test initiator proposes the same ESP SPI; distinct clients get distinct ones.
inline void set_esp_spi(std::vector<wire::Payload>& payloads, std::uint32_t spi) {
    for (auto& p : payloads)
        if (auto* sa = std::get_if<wire::SaPayload>(&p.body)) sa->proposals.at(0).spi = ikev2d::ike::u32_bytes(spi);
}

struct EapLogin {
    std::string idi;
    std::string eap_identity;  // empty: the IDi names the user and no EAP-Identity round is run
    std::string user, password;
    bool initial_contact = false;
    std::uint32_t esp_spi = 0x11223344;
};

// IKE_AUTH with EAP-MSCHAPv2 to the end; returns the last response (AUTH + child, or an error notify).
inline std::vector<wire::Payload> connect_eap(GatewayHarness& h, TestInitiator& ini, const EapLogin& login) {
    sa_init_ok(h, ini);
    const Endpoint from = natt_of(ini.self());
    auto payloads = ini.auth_payloads(login.idi, std::nullopt, true);
    set_esp_spi(payloads, login.esp_spi);
    if (login.initial_contact) add_initial_contact(payloads);
    auto resp = ini.open_response(h.deliver(from, ini.request(iana::ExchangeType::IKE_AUTH, payloads)));
    test_peer::MsChapV2Peer peer(login.user, login.password);
    for (int round = 0; round < 6; ++round) {
        if (error_notify(resp) != 0) return resp;
        const auto* eap = find_payload<wire::EapPayload>(resp, iana::PayloadType::EAP);
        REQUIRE(eap);
        const Bytes& req = eap->data;
        REQUIRE(req.size() >= 4);
        std::optional<Bytes> answer;
        if (req[0] == 3) {  // EAP-Success: AUTH keyed with the MSK
            wire::AuthPayload auth{iana::AuthMethod::SHARED_KEY, ini.shared_key_auth(peer.msk())};
            return ini.open_response(h.deliver(from, ini.request(iana::ExchangeType::IKE_AUTH, {{iana::PayloadType::AUTH, false, auth}})));
        }
        REQUIRE(req[0] == 1);
        REQUIRE(req.size() >= 5);
        if (req[4] == 1) {  // Identity
            REQUIRE_FALSE(login.eap_identity.empty());
            Bytes id = {2, req[1], 0, static_cast<std::uint8_t>(5 + login.eap_identity.size()), 1};
            id.insert(id.end(), login.eap_identity.begin(), login.eap_identity.end());
            answer = id;
        } else if (req[4] == 26 && req.size() > 5 && req[5] == 1) {
            answer = peer.answer_challenge(req);
        } else if (req[4] == 26 && req.size() > 5 && req[5] == 3) {
            answer = peer.answer_success(req);
        } else if (req[4] == 26 && req.size() > 5 && req[5] == 4) {  // MSCHAPv2 Failure: acknowledged
            answer = Bytes{2, req[1], 0, 6, 26, 4};
        }
        REQUIRE(answer);
        resp = ini.open_response(h.deliver(from, ini.request(iana::ExchangeType::IKE_AUTH, {{iana::PayloadType::EAP, false, wire::EapPayload{*answer}}})));
    }
    FAIL("EAP did not finish");
    return resp;
}

}  // namespace test_ike
