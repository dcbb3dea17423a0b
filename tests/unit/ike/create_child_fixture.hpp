// The fixture of the CREATE_CHILD_SA tests (test_create_child.cpp, test_child_pfs.cpp):
// a PSK client brought up through the real Gateway (IKE_SA_INIT, IKE_AUTH, fake kernel),
// and handle_create_child called on the gateway's IKE SA with a GatewayContext over the
// same fake kernel; request and response payloads go through the wire codec.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <optional>

#include "crypto/key_exchange.hpp"
#include "crypto/prf.hpp"
#include "crypto/random.hpp"
#include "crypto/sk_crypter.hpp"
#include "gateway_harness.hpp"
#include "ike/child_negotiation.hpp"
#include "ike/create_child.hpp"
#include "ike/informational.hpp"
#include "ike/message_protection.hpp"
#include "ike/payload_helpers.hpp"
#include "test_initiator.hpp"
#include "wire/builder.hpp"
#include "wire/parser.hpp"

namespace test_ike::child {

using ikev2d::ike::find_notify;
using ikev2d::ike::find_payload;
using ikev2d::ike::make_transform;
using iana::ExchangeType;
using iana::NotifyType;
using iana::PayloadType;
using iana::TransformType;


inline const Endpoint kClient{IpAddress::from_string("192.0.2.11"), 500};
inline const Endpoint kClientNatt{IpAddress::from_string("192.0.2.11"), 4500};
inline const IpAddress kGatewayAddr = IpAddress::from_string("192.0.2.1");
inline const IpAddress kClientAddr = IpAddress::from_string("192.0.2.11");
inline const std::string kPsk = "a long and secret pre-shared key";
inline constexpr std::size_t kGcm256KeyBytes = 36;  // AES-GCM-16 256-bit key + 4-byte salt (RFC 4106 8.1)

inline Bytes be32(std::uint32_t v) { return ikev2d::ike::u32_bytes(v); }

inline std::uint32_t u32_of(const Bytes& b) {
    REQUIRE(b.size() == 4);
    return static_cast<std::uint32_t>(b[0]) << 24 | static_cast<std::uint32_t>(b[1]) << 16 |
           static_cast<std::uint32_t>(b[2]) << 8 | b[3];
}

inline std::uint64_t u64_of(const Bytes& b) {
    REQUIRE(b.size() == 8);
    std::uint64_t v = 0;
    for (auto x : b) v = v << 8 | x;
    return v;
}

inline Bytes be64(std::uint64_t v) {
    Bytes out;
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    return out;
}

inline Bytes cat(std::initializer_list<ByteView> parts) {
    Bytes out;
    for (auto p : parts) append(out, p);
    return out;
}

// Encodes and parses again, so that everything exchanged is valid on the wire.
inline std::vector<wire::Payload> over_the_wire(const std::vector<wire::Payload>& payloads) {
    Bytes encoded = wire::encode_payloads(payloads);
    auto parsed = wire::parse_payloads(payloads.empty() ? PayloadType::None : payloads.front().type, encoded);
    REQUIRE(parsed);
    return parsed.value();
}

inline std::uint16_t error_notify(const std::vector<wire::Payload>& payloads) {
    for (const auto& p : payloads)
        if (const auto* n = std::get_if<wire::NotifyPayload>(&p.body); n && n->type < iana::kFirstStatusNotify) return n->type;
    return 0;
}

inline wire::Payload rekey_sa_notify(std::uint32_t spi) {
    wire::NotifyPayload n;
    n.protocol = static_cast<std::uint8_t>(iana::ProtocolId::ESP);
    n.spi = be32(spi);
    n.type = static_cast<std::uint16_t>(NotifyType::REKEY_SA);
    return {PayloadType::Notify, false, n};
}

inline wire::Proposal esp_proposal(std::uint32_t spi, const std::vector<std::uint16_t>& dh_groups = {},
                            iana::EncrId encr = iana::EncrId::AES_GCM_16) {
    wire::Proposal p;
    p.number = 1;
    p.protocol = iana::ProtocolId::ESP;
    p.spi = be32(spi);
    p.transforms.push_back(make_transform(TransformType::ENCR, static_cast<std::uint16_t>(encr), 256));
    if (encr == iana::EncrId::AES_CBC)
        p.transforms.push_back(make_transform(TransformType::INTEG, static_cast<std::uint16_t>(iana::IntegId::HMAC_SHA1_96)));
    for (auto g : dh_groups) p.transforms.push_back(make_transform(TransformType::DH, g));
    p.transforms.push_back(make_transform(TransformType::ESN, 0));
    return p;
}

inline wire::Payload ke_of(const crypto::KeyExchange& kex) {
    ByteView pub = kex.public_value();
    return {PayloadType::KE, false, wire::KePayload{static_cast<std::uint16_t>(kex.group()), Bytes(pub.begin(), pub.end())}};
}

inline wire::TsPayload ts(const char* first, const char* last) {
    wire::TrafficSelector s;
    s.type = iana::TsType::IPV4_ADDR_RANGE;
    s.ip_protocol = 0;
    s.start_port = 0;
    s.end_port = 65535;
    const IpAddress a = IpAddress::from_string(first), b = IpAddress::from_string(last);
    s.start_addr.assign(a.view().begin(), a.view().end());
    s.end_addr.assign(b.view().begin(), b.view().end());
    return wire::TsPayload{{s}};
}

// The PSK client's tunnel: TSi = its address from the pool, TSr = the psk group's network.
inline const wire::TsPayload kTunnelTsi = ts("10.2.2.1", "10.2.2.1");
inline const wire::TsPayload kTunnelTsr = ts("198.51.100.0", "198.51.100.255");

struct ChildRekeyRequest {
    std::uint32_t old_peer_spi = 0;
    std::uint32_t new_peer_spi = 0x55667788;
    std::vector<std::uint16_t> dh_groups;
    const crypto::KeyExchange* kex = nullptr;
    Bytes ni = crypto::random_nonce(32);
    wire::TsPayload tsi = kTunnelTsi, tsr = kTunnelTsr;
    bool with_rekey_notify = true;

    std::vector<wire::Payload> payloads() const {
        std::vector<wire::Payload> out;
        if (with_rekey_notify) out.push_back(rekey_sa_notify(old_peer_spi));
        out.push_back({PayloadType::SA, false, wire::SaPayload{{esp_proposal(new_peer_spi, dh_groups)}}});
        out.push_back({PayloadType::Nonce, false, wire::NoncePayload{ni}});
        if (kex) out.push_back(ke_of(*kex));
        out.push_back({PayloadType::TSi, false, tsi});
        out.push_back({PayloadType::TSr, false, tsr});
        return out;
    }
};

// Gateway with one PSK client connected, and a context for calling the handler directly.
struct Connected {
    explicit Connected(const std::string& toml = kTestConfig) : h(toml), ini(kClient, h.local) {
        auto out = h.deliver(ini.self(), ini.sa_init_request(InitiatorProposal{}));
        REQUIRE(out.size() == 1);
        ini.process_sa_init_response(out[0]);
        REQUIRE(ini.keyed());
        auto resp = ini.open_response(
            h.deliver(kClientNatt, ini.request(ExchangeType::IKE_AUTH, ini.auth_payloads("site@psk.test", kPsk, true))));
        const auto* sa_p = find_payload<wire::SaPayload>(resp, PayloadType::SA);
        REQUIRE(sa_p);
        first_child_spi_in = u32_of(sa_p->proposals.at(0).spi);
        REQUIRE(h.gateway->sas().size() == 1);
        sa = h.gateway->sas().begin()->second.get();
        REQUIRE(sa->state == ike::IkeSaState::Established);
        REQUIRE(sa->children.size() == 1);

        ctx.config = h.config;
        ctx.credentials = h.credentials;
        ctx.kernel = &h.kernel;
        ctx.pools = &pools;
        ctx.counters = &counters;
        ctx.now_ms = [this] { return h.now_ms; };
        ctx.now_unix = [this] { return h.now_ms / 1000; };
        ctx.reqids = ike::ReqidAllocator(1000);  // clear of the gateway's own numbering
        ctx.next_child_id = 1000;
    }

    std::vector<wire::Payload> exchange(ike::IkeSa& on, const std::vector<wire::Payload>& request,
                                        std::unique_ptr<ike::IkeSa>* successor = nullptr) {
        ike::ExchangeResult r = ike::handle_create_child(ctx, on, over_the_wire(request), successor);
        REQUIRE_FALSE(r.close_after);
        return over_the_wire(r.payloads);
    }

    GatewayHarness h;
    TestInitiator ini;
    std::map<std::string, config::AddressPool> pools;  // CREATE_CHILD_SA leases nothing
    ike::Counters counters;
    ike::GatewayContext ctx;
    ike::IkeSa* sa = nullptr;
    std::uint32_t first_child_spi_in = 0;
};

// The test configuration with lines added to [ipsec_proposal.default].
inline std::string with_ipsec(const std::string& lines, std::string toml = kTestConfig) {
    const std::string anchor = "encryption = [\"aes-gcm-256\", \"aes-gcm-128\"]";
    const auto at = toml.find(anchor);
    REQUIRE(at != std::string::npos);
    toml.insert(at + anchor.size(), "\n" + lines);
    return toml;
}

inline std::string with_pfs(const std::string& groups) {
    std::string toml = kTestConfig;
    const std::string anchor = "encryption = [\"aes-gcm-256\", \"aes-gcm-128\"]";
    toml.replace(toml.find(anchor), anchor.size(), anchor + "\npfs_groups = " + groups);
    return toml;
}

// KEYMAT = prf+(SK_d, [g^ir |] Ni | Nr) (RFC 7296 2.17) for AES-GCM-256 both ways.
inline SecureBytes expected_keymat(ByteView sk_d, ByteView shared, ByteView ni, ByteView nr) {
    auto prf = crypto::Prf::create(iana::PrfId::HMAC_SHA2_256);
    return prf->plus(sk_d, cat({shared, ni, nr}), 2 * kGcm256KeyBytes);
}

// Our inbound SA takes the initiator's keys (first), the outbound one the responder's.
inline void require_child_keys(const kernel::FakeKernel& k, std::uint32_t spi_in, std::uint32_t spi_out, const SecureBytes& keymat) {
    const auto* in = k.find_sa(kGatewayAddr, spi_in);
    const auto* out = k.find_sa(kClientAddr, spi_out);
    REQUIRE(in);
    REQUIRE(out);
    REQUIRE(in->inbound);
    REQUIRE_FALSE(out->inbound);
    REQUIRE(ct_equal(in->encr_key.view(), keymat.subview(0, kGcm256KeyBytes)));
    REQUIRE(ct_equal(out->encr_key.view(), keymat.subview(kGcm256KeyBytes, kGcm256KeyBytes)));
}

struct ChildAnswer {
    std::uint32_t spi_in = 0;
    Bytes nr;
    std::optional<wire::KePayload> ke;  // a copy: answers are often temporaries
};

inline ChildAnswer parse_child_answer(const std::vector<wire::Payload>& resp) {
    REQUIRE(error_notify(resp) == 0);
    REQUIRE(resp.size() >= 4);
    REQUIRE(resp[0].type == PayloadType::SA);  // SA, Nr, [KEr,] TSi, TSr (RFC 7296 1.3.1)
    REQUIRE(resp[1].type == PayloadType::Nonce);
    const auto* sa_p = find_payload<wire::SaPayload>(resp, PayloadType::SA);
    REQUIRE(sa_p->proposals.size() == 1);
    REQUIRE(sa_p->proposals[0].protocol == iana::ProtocolId::ESP);
    ChildAnswer a;
    a.spi_in = u32_of(sa_p->proposals[0].spi);
    a.nr = find_payload<wire::NoncePayload>(resp, PayloadType::Nonce)->data;
    REQUIRE(a.nr.size() >= 16);
    if (const auto* ke = find_payload<wire::KePayload>(resp, PayloadType::KE)) a.ke = *ke;
    // Same selectors as the old Child SA.
    REQUIRE(*find_payload<wire::TsPayload>(resp, PayloadType::TSi) == kTunnelTsi);
    REQUIRE(*find_payload<wire::TsPayload>(resp, PayloadType::TSr) == kTunnelTsr);
    return a;
}

inline ike::ExchangeResult delete_child(Connected& c, std::uint32_t peer_spi) {
    wire::DeletePayload del;
    del.protocol = static_cast<std::uint8_t>(iana::ProtocolId::ESP);
    del.spi_size = 4;
    del.spis.push_back(be32(peer_spi));
    return ike::handle_informational(c.ctx, *c.sa, {{PayloadType::Delete, false, del}});
}

}  // namespace test_ike::child
