// An AnyConnect-style login of the test initiator through a whole IKE_AUTH: the Cisco
// vendor IDs in IKE_SA_INIT (FRAGMENTATION among them), IDi "*$AnyConnectClient$*"
// without AUTH, the aggregate-auth XML rounds of shared/protocol/anyconnect-ikev2.md
// written here by hand, and the final AUTH keyed with SK_pi (no MSK, RFC 7296 2.16).
// Every message the gateway sends may come back in Cisco fragments; open_response()
// reassembles them with the test's own code.
#pragma once

#include <string>
#include <vector>

#include "exchange_helpers.hpp"
#include "gateway_harness.hpp"
#include "ike/payload_helpers.hpp"
#include "test_initiator.hpp"

namespace test_ike {

inline const Bytes kCiscoFragmentationVid = {0x40, 0x48, 0xb7, 0xd5, 0x6e, 0xbc, 0xe8, 0x85,
                                             0x25, 0xe7, 0xde, 0x7f, 0x00, 0xd6, 0xc2, 0xd3};
inline Bytes ascii(std::string_view s) { return Bytes(s.begin(), s.end()); }

// The test configuration with an AnyConnect group as the default group and fragment_mtu
// 576 (IKE messages of at most 544 bytes over NAT-T on IPv4, like the seed's ASA).
inline std::string anyconnect_config(const std::string& extra_group_lines = "") {
    std::string toml = config_with(kTestConfig, "default_group", "default_group = \"ac\"");
    toml = config_with(toml, "fragment_mtu", "fragment_mtu = 576");
    return toml + "\n[group.ac]\npool = \"p\"\nclient_auth = \"eap\"\neap_methods = [\"anyconnect\"]\n" +
           extra_group_lines + "\n[user.anu]\ngroup = \"ac\"\npassword = \"Anu-Pass-7\"\n";
}

// EAP Response, expanded type Cisco/AnyConnect, one XML TLV.
inline Bytes anyconnect_eap_response(std::uint8_t id, const std::string& xml) {
    const std::size_t len = 4 + 1 + 7 + 4 + xml.size();
    Bytes p = {2, id, static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len), 254, 0, 0, 9, 0x44, 0x42, 0x52, 0x50,
               0, 0, static_cast<std::uint8_t>(xml.size() >> 8), static_cast<std::uint8_t>(xml.size())};
    append(p, ascii(xml));
    return p;
}

inline std::string anyconnect_doc(const std::string& type, const std::string& body = "") {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config-auth client=\"vpn\" type=\"" + type +
           "\" aggregate-auth-version=\"2\">" + body + "</config-auth>";
}

// The XML text of an EAP-AnyConnect Request (after the 12-byte expanded header and the TLV header).
inline std::string anyconnect_xml_of(const Bytes& eap) {
    REQUIRE(eap.size() >= 16);
    REQUIRE(eap[0] == 1);
    REQUIRE(eap[4] == 254);
    const std::size_t len = std::size_t{eap[14]} << 8 | eap[15];
    REQUIRE(len == eap.size() - 16);
    return std::string(eap.begin() + 16, eap.end());
}

inline std::string xml_element_text(const std::string& xml, const std::string& name) {
    const auto open = xml.find("<" + name + ">");
    const auto close = xml.find("</" + name + ">");
    if (open == std::string::npos || close == std::string::npos || close < open) return {};
    return xml.substr(open + name.size() + 2, close - open - name.size() - 2);
}

struct AnyConnectLogin {
    std::string user = "anu", password = "Anu-Pass-7";
    bool cisco_fragmentation = true;  // send the FRAGMENTATION vendor ID
    std::size_t request_fragment_slice = 0;  // > 0: send the auth-reply request in Cisco fragments of this size
};

struct AnyConnectSession {
    std::vector<wire::Payload> last;  // the final IKE_AUTH answer
    std::string complete_xml;         // the aggregate-auth "complete" document
    std::string session_token;
    std::size_t first_response_datagrams = 0;  // how many datagrams the first IKE_AUTH answer took
};

inline AnyConnectSession connect_anyconnect(GatewayHarness& h, TestInitiator& ini, const AnyConnectLogin& login = {}) {
    AnyConnectSession s;
    std::vector<Bytes> vids = {ascii("CISCO-DELETE-REASON"), ascii("CISCO(COPYRIGHT)&Copyright (c) 2009 Cisco Systems, Inc."),
                               ascii("CISCO-ANYCONNECT-EAP")};
    if (login.cisco_fragmentation) vids.push_back(kCiscoFragmentationVid);
    ini.set_sa_init_vendor_ids(vids);
    sa_init_ok(h, ini);
    const Endpoint from = natt_of(ini.self());
    auto payloads = ini.auth_payloads("*$AnyConnectClient$*", std::nullopt, true);
    for (auto& p : payloads)
        if (auto* id = std::get_if<wire::IdPayload>(&p.body)) id->type = iana::IdType::CISCO_GROUP;
    // auth_payloads() remembered the IDi body for the AUTH octets: redo it with the Cisco type.
    (void)ini.set_idi_body(payloads);
    auto first = h.deliver(from, ini.request(iana::ExchangeType::IKE_AUTH, payloads));
    s.first_response_datagrams = first.size();
    auto resp = ini.open_response(first);
    REQUIRE(error_notify(resp) == 0);
    auto eap_of = [](const std::vector<wire::Payload>& r) {
        const auto* eap = ikev2d::ike::find_payload<wire::EapPayload>(r, iana::PayloadType::EAP);
        REQUIRE(eap);
        return eap->data;
    };
    auto send_eap = [&](const Bytes& eap, std::size_t slice) {
        auto packets = ini.request(iana::ExchangeType::IKE_AUTH, {{iana::PayloadType::EAP, false, wire::EapPayload{eap}}});
        REQUIRE(packets.size() == 1);
        if (slice > 0) packets = TestInitiator::cisco_split(packets.front(), slice, 7);
        return ini.open_response(h.deliver(from, packets));
    };
    Bytes hello = eap_of(resp);
    REQUIRE(anyconnect_xml_of(hello).find("type=\"hello\"") != std::string::npos);
    resp = send_eap(anyconnect_eap_response(hello[1], anyconnect_doc("init", "<version who=\"vpn\">4.10.05095</version>"
                                                                              "<device-id>linux-64</device-id>")),
                    0);
    Bytes auth_request = eap_of(resp);
    REQUIRE(anyconnect_xml_of(auth_request).find("type=\"auth-request\"") != std::string::npos);
    // A long auth-reply, as real clients send (opaque, device ids): large enough to fragment.
    std::string padding(900, 'x');
    resp = send_eap(anyconnect_eap_response(auth_request[1],
                                            anyconnect_doc("auth-reply", "<opaque is-for=\"sg\"><tunnel-group>ac</tunnel-group>"
                                                                         "<config-hash>" + padding + "</config-hash></opaque>"
                                                                         "<auth><username>" + login.user +
                                                                         "</username><password>" + login.password +
                                                                         "</password></auth>")),
                    login.request_fragment_slice);
    if (error_notify(resp) != 0) {
        s.last = resp;
        return s;
    }
    Bytes complete = eap_of(resp);
    const std::string answer_xml = anyconnect_xml_of(complete);
    if (answer_xml.find("type=\"complete\"") == std::string::npos) {
        // The form again (a refused password): the caller sees it in `last`.
        s.last = resp;
        return s;
    }
    s.complete_xml = answer_xml;
    s.session_token = xml_element_text(s.complete_xml, "session-token");
    resp = send_eap(anyconnect_eap_response(complete[1], anyconnect_doc("ack")), 0);
    Bytes success = eap_of(resp);
    REQUIRE(success[0] == 3);
    wire::AuthPayload auth{iana::AuthMethod::SHARED_KEY, ini.shared_key_auth(ini.sk_pi())};
    s.last = ini.open_response(
        h.deliver(from, ini.request(iana::ExchangeType::IKE_AUTH, {{iana::PayloadType::AUTH, false, auth}})));
    return s;
}

}  // namespace test_ike
