// Small helpers shared by the in-process exchange tests against hostile peers: bring a
// client up, look at error notifies, count live SAs, edit a request before sending it.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "gateway_harness.hpp"
#include "ike/payload_helpers.hpp"
#include "test_initiator.hpp"
#include "wire/builder.hpp"
#include "wire/parser.hpp"

namespace test_ike {

inline const std::string kTestPsk = "a long and secret pre-shared key";

inline Endpoint natt_of(const Endpoint& e) { return Endpoint{e.addr, 4500}; }

// The test configuration with one `key = value` line replaced (the key must be in it).
inline std::string config_with(std::string toml, const std::string& key, const std::string& line) {
    auto at = toml.find("\n" + key + " = ");
    REQUIRE(at != std::string::npos);
    auto end = toml.find('\n', at + 1);
    toml.replace(at + 1, end - at - 1, line);
    return toml;
}

// The test configuration with lines added to [global].
inline std::string config_with_global(std::string toml, const std::string& lines) {
    auto at = toml.find("[global]\n");
    REQUIRE(at != std::string::npos);
    toml.insert(at + 9, lines);
    return toml;
}

inline void sa_init_ok(GatewayHarness& h, TestInitiator& ini, bool fragmentation = false) {
    auto out = h.deliver(ini.self(), ini.sa_init_request({}, std::nullopt, {}, fragmentation));
    REQUIRE(out.size() == 1);
    ini.process_sa_init_response(out[0]);
    REQUIRE(ini.keyed());
}

// IKE_AUTH with the PSK group after sa_init_ok; returns the decrypted answer.
inline std::vector<wire::Payload> auth_psk(GatewayHarness& h, TestInitiator& ini) {
    auto out = h.deliver(natt_of(ini.self()), ini.request(iana::ExchangeType::IKE_AUTH,
                                                          ini.auth_payloads("site@psk.test", kTestPsk, true)));
    REQUIRE(out.size() == 1);
    return ini.open_response(out);
}

inline std::vector<wire::Payload> connect_psk_client(GatewayHarness& h, TestInitiator& ini, bool fragmentation = false) {
    sa_init_ok(h, ini, fragmentation);
    return auth_psk(h, ini);
}

// The first error notify (type below 16384) of a payload list, 0 if none.
inline std::uint16_t error_notify(const std::vector<wire::Payload>& payloads) {
    for (const auto& p : payloads)
        if (const auto* n = std::get_if<wire::NotifyPayload>(&p.body); n && n->type < iana::kFirstStatusNotify) return n->type;
    return 0;
}

inline std::uint16_t code(iana::NotifyType t) { return static_cast<std::uint16_t>(t); }

inline std::size_t live_sas(const GatewayHarness& h) {
    std::size_t n = 0;
    for (const auto& [spi, sa] : h.gateway->sas()) n += sa->state != ike::IkeSaState::Dead;
    return n;
}

inline std::size_t established_sas(const GatewayHarness& h) {
    std::size_t n = 0;
    for (const auto& [spi, sa] : h.gateway->sas()) n += sa->state == ike::IkeSaState::Established;
    return n;
}

// An unencrypted answer (IKE_SA_INIT): its notify of type t, or nullptr.
inline const wire::NotifyPayload* plain_notify(const wire::Message& m, iana::NotifyType t) { return m.find_notify(t); }
// Not on a temporary: the notify points into the message.
const wire::NotifyPayload* plain_notify(wire::Message&& m, iana::NotifyType t) = delete;

inline wire::Message parsed(const Bytes& packet) {
    auto m = wire::parse_message(packet);
    REQUIRE(m);
    return m.value();
}

// The response's message ID.
inline std::uint32_t message_id_of(const Bytes& packet) { return parsed(packet).header.message_id; }

}  // namespace test_ike
