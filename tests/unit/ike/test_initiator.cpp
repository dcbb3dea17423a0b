#include "test_initiator.hpp"

#include <map>
#include <stdexcept>

#include "crypto/random.hpp"
#include "ike/payload_helpers.hpp"
#include "net/nat_detection.hpp"
#include "wire/builder.hpp"
#include "wire/parser.hpp"

namespace test_ike {
namespace {

using iana::PayloadType;
using iana::TransformType;
using ikev2d::ike::make_transform;

wire::Payload notify(iana::NotifyType t, Bytes data = {}) {
    wire::NotifyPayload n;
    n.type = static_cast<std::uint16_t>(t);
    n.data = std::move(data);
    return {PayloadType::Notify, false, n};
}

wire::TsPayload any_ts() {
    wire::TrafficSelector s;
    s.type = iana::TsType::IPV4_ADDR_RANGE;
    s.ip_protocol = 0;
    s.start_port = 0;
    s.end_port = 65535;
    s.start_addr = {0, 0, 0, 0};
    s.end_addr = {255, 255, 255, 255};
    return wire::TsPayload{{s}};
}

// The PRFs tests/peer implements; the unit tests' proposals use these.
peer::PrfAlg independent_prf(iana::PrfId prf) {
    switch (prf) {
        case iana::PrfId::HMAC_SHA1: return peer::PrfAlg::HmacSha1;
        case iana::PrfId::HMAC_SHA2_256: return peer::PrfAlg::HmacSha256;
        default: throw std::runtime_error("test initiator: PRF " + iana::name(prf) + " not in tests/peer");
    }
}

// AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>) (RFC 7296 2.15).
Bytes independent_shared_key_auth(peer::PrfAlg alg, ByteView key, ByteView octets) {
    static const std::string pad = "Key Pad for IKEv2";
    return peer::prf(alg, peer::prf(alg, key, as_bytes(pad)), octets);
}

}  // namespace

TestInitiator::TestInitiator(Endpoint self, Endpoint gateway) : self_(self), gateway_(gateway) {
    spi_i_ = crypto::random_spi();
}

Bytes TestInitiator::sa_init_request(const InitiatorProposal& proposal, std::optional<iana::DhGroup> ke_group,
                                     const Bytes& cookie, bool fragmentation) {
    proposal_ = proposal;
    iana::DhGroup group = ke_group.value_or(proposal.groups.front());
    kex_ = crypto::KeyExchange::create(group);
    if (nonce_i_.empty()) nonce_i_ = crypto::random_nonce(32);
    wire::Message m;
    m.header.spi_i = spi_i_;
    m.header.exchange = iana::ExchangeType::IKE_SA_INIT;
    m.header.flags = iana::kFlagInitiator;
    if (!cookie.empty()) m.payloads.push_back(notify(iana::NotifyType::COOKIE, cookie));
    wire::Proposal p;
    p.number = 1;
    p.protocol = iana::ProtocolId::IKE;
    wire::Transform encr = make_transform(TransformType::ENCR, static_cast<std::uint16_t>(proposal.encr));
    if (proposal.encr != iana::EncrId::TRIPLE_DES && proposal.encr != iana::EncrId::CHACHA20_POLY1305)
        encr.key_length = proposal.key_bits;
    p.transforms.push_back(encr);
    p.transforms.push_back(make_transform(TransformType::PRF, static_cast<std::uint16_t>(proposal.prf)));
    if (proposal.integ != iana::IntegId::NONE)
        p.transforms.push_back(make_transform(TransformType::INTEG, static_cast<std::uint16_t>(proposal.integ)));
    for (auto g : proposal.groups) p.transforms.push_back(make_transform(TransformType::DH, static_cast<std::uint16_t>(g)));
    m.payloads.push_back({PayloadType::SA, false, wire::SaPayload{{p}}});
    ByteView pub = kex_->public_value();
    m.payloads.push_back({PayloadType::KE, false, wire::KePayload{static_cast<std::uint16_t>(group), Bytes(pub.begin(), pub.end())}});
    m.payloads.push_back({PayloadType::Nonce, false, wire::NoncePayload{nonce_i_}});
    m.payloads.push_back(notify(iana::NotifyType::NAT_DETECTION_SOURCE_IP, net::nat_detection_hash(spi_i_, 0, self_)));
    m.payloads.push_back(notify(iana::NotifyType::NAT_DETECTION_DESTINATION_IP, net::nat_detection_hash(spi_i_, 0, gateway_)));
    if (fragmentation) m.payloads.push_back(notify(iana::NotifyType::IKEV2_FRAGMENTATION_SUPPORTED));
    for (const auto& p : extra_sa_init_payloads) m.payloads.push_back(p);
    for (const auto& vid : sa_init_vids_) m.payloads.push_back({PayloadType::VendorID, false, wire::VendorIdPayload{vid}});
    init_request_ = wire::encode_message(m);
    return init_request_;
}

std::vector<wire::Payload> TestInitiator::nat_detection(const Endpoint& from, const Endpoint& to) const {
    return {notify(iana::NotifyType::NAT_DETECTION_SOURCE_IP, net::nat_detection_hash(spi_i_, spi_r_, from)),
            notify(iana::NotifyType::NAT_DETECTION_DESTINATION_IP, net::nat_detection_hash(spi_i_, spi_r_, to))};
}

wire::Message TestInitiator::process_sa_init_response(ByteView response) {
    auto parsed = wire::parse_message(response);
    if (!parsed) throw std::runtime_error("SA_INIT response: " + parsed.error().detail);
    wire::Message m = parsed.value();
    const auto* ke = m.find<wire::KePayload>(PayloadType::KE);
    const auto* nr = m.find<wire::NoncePayload>(PayloadType::Nonce);
    const auto* sa = m.find<wire::SaPayload>(PayloadType::SA);
    if (!ke || !nr || !sa) return m;  // an error notify: the caller looks at it
    spi_r_ = m.header.spi_r;
    nonce_r_ = nr->data;
    init_response_.assign(response.begin(), response.end());
    iana::EncrId encr{};
    std::uint16_t bits = 0;
    iana::IntegId integ = iana::IntegId::NONE;
    iana::PrfId prf{};
    for (const auto& t : sa->proposals.front().transforms) {
        if (t.type == TransformType::ENCR) {
            encr = static_cast<iana::EncrId>(t.id);
            bits = t.key_length.value_or(proposal_.key_bits);
        } else if (t.type == TransformType::INTEG) {
            integ = static_cast<iana::IntegId>(t.id);
        } else if (t.type == TransformType::PRF) {
            prf = static_cast<iana::PrfId>(t.id);
        }
    }
    prf_alg_ = independent_prf(prf);
    crypter_ = crypto::SkCrypter::create(encr, bits, integ);
    SecureBytes shared = kex_->shared_secret(ke->data);
    // SKEYSEED and the SK_* keys from tests/peer's KDF (nettle's HMAC, not the daemon's
    // crypto layer): a key-derivation bug in the daemon cannot be mirrored here.
    peer::Bytes skeyseed = peer::skeyseed(prf_alg_, nonce_i_, nonce_r_, shared.view());
    peer::IkeKeys k = peer::derive_ike_keys(prf_alg_, skeyseed, nonce_i_, nonce_r_, spi_i_, spi_r_,
                                            crypter_->integ_key_size(), crypter_->encr_key_size());
    peer::wipe(skeyseed);
    keys_.sk_d = SecureBytes(ByteView(k.d));
    keys_.sk_ai = SecureBytes(ByteView(k.ai));
    keys_.sk_ar = SecureBytes(ByteView(k.ar));
    keys_.sk_ei = SecureBytes(ByteView(k.ei));
    keys_.sk_er = SecureBytes(ByteView(k.er));
    keys_.sk_pi = SecureBytes(ByteView(k.pi));
    keys_.sk_pr = SecureBytes(ByteView(k.pr));
    return m;
}

Bytes TestInitiator::seal(const wire::Header& h, PayloadType outer, PayloadType first, ByteView plain,
                          std::optional<std::pair<std::uint16_t, std::uint16_t>> frag) const {
    std::size_t sealed = crypter_->sealed_size(plain.size());
    std::size_t payload_len = 4 + (frag ? 4 : 0) + sealed;
    Bytes pkt = wire::encode_header(h, outer, static_cast<std::uint32_t>(28 + payload_len));
    append(pkt, wire::encode_generic_header(first, false, static_cast<std::uint16_t>(payload_len)));
    if (frag) {
        pkt.push_back(static_cast<std::uint8_t>(frag->first >> 8));
        pkt.push_back(static_cast<std::uint8_t>(frag->first));
        pkt.push_back(static_cast<std::uint8_t>(frag->second >> 8));
        pkt.push_back(static_cast<std::uint8_t>(frag->second));
    }
    append(pkt, crypter_->seal(keys_.sk_ei.view(), keys_.sk_ai.view(), pkt, plain));
    return pkt;
}

std::vector<Bytes> TestInitiator::request(iana::ExchangeType exchange, const std::vector<wire::Payload>& payloads,
                                          std::size_t fragment_size) {
    Bytes plain = wire::encode_payloads(payloads);
    return request_raw(exchange, payloads.empty() ? PayloadType::None : payloads.front().type, plain, fragment_size);
}

std::vector<Bytes> TestInitiator::request_raw(iana::ExchangeType exchange, PayloadType first, ByteView plain,
                                              std::size_t fragment_size) {
    wire::Header h;
    h.spi_i = spi_i_;
    h.spi_r = spi_r_;
    h.exchange = exchange;
    h.flags = iana::kFlagInitiator;
    h.message_id = next_mid_++;
    if (fragment_size == 0 || plain.size() <= fragment_size) return {seal(h, PayloadType::SK, first, plain, std::nullopt)};
    std::vector<Bytes> out;
    std::size_t n = (plain.size() + fragment_size - 1) / fragment_size;
    for (std::size_t i = 0; i < n; ++i) {
        ByteView slice = plain.subspan(i * fragment_size, std::min(fragment_size, plain.size() - i * fragment_size));
        out.push_back(seal(h, PayloadType::SKF, i == 0 ? first : PayloadType::None, slice,
                           std::make_pair(static_cast<std::uint16_t>(i + 1), static_cast<std::uint16_t>(n))));
    }
    return out;
}

std::vector<Bytes> TestInitiator::cisco_split(ByteView message, std::size_t slice, std::uint16_t fragment_id) {
    if (message.size() < 28 || slice == 0) throw std::invalid_argument("cisco_split");
    std::vector<Bytes> out;
    const std::size_t count = (message.size() + slice - 1) / slice;
    for (std::size_t i = 0; i < count; ++i) {
        const ByteView part = message.subspan(i * slice, std::min(slice, message.size() - i * slice));
        const std::size_t total = 28 + 8 + part.size();
        Bytes pkt(message.begin(), message.begin() + 28);
        pkt[16] = 132;  // next payload: the Cisco fragment
        for (int b = 0; b < 4; ++b) pkt[24 + b] = static_cast<std::uint8_t>(total >> (8 * (3 - b)));
        const std::size_t len = 8 + part.size();
        const Bytes fields = {0, 0, static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len),
                              static_cast<std::uint8_t>(fragment_id >> 8), static_cast<std::uint8_t>(fragment_id),
                              static_cast<std::uint8_t>(i + 1), static_cast<std::uint8_t>(i + 1 == count ? 1 : 0)};
        append(pkt, fields);
        append(pkt, part);
        out.push_back(std::move(pkt));
    }
    return out;
}

Bytes TestInitiator::cisco_join(const std::vector<Bytes>& fragments) {
    std::map<std::uint8_t, Bytes> parts;
    int last = -1;
    std::optional<std::uint16_t> id;
    for (const auto& f : fragments) {
        if (f.size() < 36 || f[16] != 132) throw std::runtime_error("not a Cisco fragment");
        const std::size_t len = std::size_t{f[30]} << 8 | f[31];
        if (len != f.size() - 28) throw std::runtime_error("Cisco fragment length");
        const std::uint16_t fid = static_cast<std::uint16_t>(f[32] << 8 | f[33]);
        if (id && *id != fid) throw std::runtime_error("Cisco fragments of two IDs");
        id = fid;
        if (f[35] & 1) last = f[34];
        parts[f[34]] = Bytes(f.begin() + 36, f.end());
    }
    if (last < 1 || parts.size() != static_cast<std::size_t>(last) || parts.rbegin()->first != last)
        throw std::runtime_error("Cisco fragments incomplete");
    Bytes whole;
    for (auto& [n, p] : parts) append(whole, p);
    return whole;
}

std::vector<wire::Payload> TestInitiator::open_response(const std::vector<Bytes>& packets) {
    if (!packets.empty() && packets.front().size() > 16 && packets.front()[16] == 132)
        return open_response({cisco_join(packets)});
    std::map<std::uint16_t, SecureBytes> parts;
    PayloadType first = PayloadType::None;
    for (const auto& pkt : packets) {
        auto m = wire::parse_message(pkt);
        if (!m) throw std::runtime_error("response: " + m.error().detail);
        if (!m->header.is_response()) throw std::runtime_error("not a response");
        const auto& body = m->payloads.back().body;
        if (const auto* sk = std::get_if<wire::SkPayload>(&body)) {
            auto plain = crypter_->open(keys_.sk_er.view(), keys_.sk_ar.view(), ByteView(pkt).first(pkt.size() - sk->data.size()), sk->data);
            if (!plain) throw std::runtime_error("response does not decrypt");
            auto inner = wire::parse_payloads(sk->inner_first, plain->view());
            if (!inner) throw std::runtime_error("inner: " + inner.error().detail);
            return inner.value();
        }
        const auto* skf = std::get_if<wire::SkfPayload>(&body);
        if (!skf) throw std::runtime_error("response not encrypted");
        auto plain = crypter_->open(keys_.sk_er.view(), keys_.sk_ar.view(), ByteView(pkt).first(pkt.size() - skf->data.size()), skf->data);
        if (!plain) throw std::runtime_error("fragment does not decrypt");
        if (skf->fragment_number == 1) first = skf->inner_first;
        parts.emplace(skf->fragment_number, std::move(*plain));
    }
    SecureBytes whole;
    for (auto& [n, p] : parts) whole.append(p.view());
    auto inner = wire::parse_payloads(first, whole.view());
    if (!inner) throw std::runtime_error("reassembled: " + inner.error().detail);
    return inner.value();
}

std::pair<std::vector<wire::Payload>, Bytes> TestInitiator::answer_request(ByteView packet,
                                                                          const std::vector<wire::Payload>& answer) {
    auto m = wire::parse_message(packet);
    if (!m) throw std::runtime_error("request: " + m.error().detail);
    const auto* sk = std::get_if<wire::SkPayload>(&m->payloads.back().body);
    if (!sk) throw std::runtime_error("request not encrypted");
    auto plain = crypter_->open(keys_.sk_er.view(), keys_.sk_ar.view(), packet.first(packet.size() - sk->data.size()), sk->data);
    if (!plain) throw std::runtime_error("request does not decrypt");
    auto inner = wire::parse_payloads(sk->inner_first, plain->view());
    if (!inner) throw std::runtime_error("request inner: " + inner.error().detail);
    wire::Header h = m->header;
    h.flags = iana::kFlagInitiator | iana::kFlagResponse;
    Bytes plain_answer = wire::encode_payloads(answer);
    PayloadType first = answer.empty() ? PayloadType::None : answer.front().type;
    return {inner.value(), seal(h, PayloadType::SK, first, plain_answer, std::nullopt)};
}

std::vector<wire::Payload> TestInitiator::auth_payloads(const std::string& id, const std::optional<std::string>& psk,
                                                       bool want_address) {
    std::vector<wire::Payload> out;
    wire::IdPayload idi{iana::IdType::RFC822_ADDR, Bytes(id.begin(), id.end())};
    if (id.find('@') == std::string::npos) idi.type = iana::IdType::FQDN;
    idi_body_ = idi.raw_body();
    out.push_back({PayloadType::IDi, false, idi});
    if (psk) {
        Bytes key(psk->begin(), psk->end());
        out.push_back({PayloadType::AUTH, false, wire::AuthPayload{iana::AuthMethod::SHARED_KEY, shared_key_auth(key)}});
    }
    if (want_address) {
        wire::CpPayload cp;
        cp.cfg_type = iana::CfgType::CFG_REQUEST;
        cp.attributes.push_back({static_cast<std::uint16_t>(iana::CfgAttr::INTERNAL_IP4_ADDRESS), {}});
        cp.attributes.push_back({static_cast<std::uint16_t>(iana::CfgAttr::INTERNAL_IP4_DNS), {}});
        cp.attributes.push_back({28704, {}});  // one of AnyConnect's undocumented ones: must be ignored
        out.push_back({PayloadType::CP, false, cp});
    }
    wire::Proposal esp;
    esp.number = 1;
    esp.protocol = iana::ProtocolId::ESP;
    esp.spi = {static_cast<std::uint8_t>(esp_spi_ >> 24), static_cast<std::uint8_t>(esp_spi_ >> 16),
               static_cast<std::uint8_t>(esp_spi_ >> 8), static_cast<std::uint8_t>(esp_spi_)};
    esp.transforms.push_back(make_transform(TransformType::ENCR, static_cast<std::uint16_t>(iana::EncrId::AES_GCM_16), 256));
    esp.transforms.push_back(make_transform(TransformType::ESN, 0));
    out.push_back({PayloadType::SA, false, wire::SaPayload{{esp}}});
    out.push_back({PayloadType::TSi, false, any_ts()});
    out.push_back({PayloadType::TSr, false, any_ts()});
    return out;
}

bool TestInitiator::set_idi_body(const std::vector<wire::Payload>& payloads) {
    for (const auto& p : payloads)
        if (const auto* id = std::get_if<wire::IdPayload>(&p.body); id && p.type == PayloadType::IDi) {
            idi_body_ = id->raw_body();
            return true;
        }
    return false;
}

Bytes TestInitiator::initiator_octets() const {
    Bytes octets = init_request_;
    append(octets, nonce_r_);
    append(octets, peer::prf(prf_alg_, keys_.sk_pi.view(), idi_body_));
    return octets;
}

Bytes TestInitiator::shared_key_auth(ByteView key) const {
    Bytes octets = initiator_octets();
    return independent_shared_key_auth(prf_alg_, key, octets);
}

Bytes TestInitiator::responder_octets(const wire::IdPayload& idr) const {
    Bytes octets = init_response_;
    append(octets, nonce_i_);
    append(octets, peer::prf(prf_alg_, keys_.sk_pr.view(), idr.raw_body()));
    return octets;
}

bool TestInitiator::verify_responder_shared_auth(ByteView key, const wire::IdPayload& idr, ByteView auth) const {
    Bytes octets = responder_octets(idr);
    const Bytes expect = independent_shared_key_auth(prf_alg_, key, octets);
    return ct_equal(expect, auth);
}

}  // namespace test_ike
