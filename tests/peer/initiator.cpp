#include "initiator.hpp"

#include <nettle/memops.h>

#include <algorithm>

#include "eap_client.hpp"
#include "eap_mschapv2.hpp"
#include "iana.hpp"

namespace peer {
namespace {

constexpr std::size_t kNonceSize = 32;
constexpr int kMaxRetries = 4;

std::uint64_t random_spi() {
    Bytes b = random_bytes(8);
    std::uint64_t v = get64(b.data());
    return v ? v : 1;
}

std::vector<Transform> ike_transforms(const InitiatorConfig& c) {
    std::vector<Transform> t;
    if (c.cipher == SkCipher::AesGcm16_256) {
        t.push_back({iana::kTransEncr, iana::kEncrAesGcm16, 256, {}});
    } else {
        t.push_back({iana::kTransEncr, iana::kEncrAesCbc, 256, {}});
        t.push_back({iana::kTransInteg, iana::kIntegHmacSha256_128, std::nullopt, {}});
    }
    t.push_back({iana::kTransPrf, c.prf == PrfAlg::HmacSha1 ? iana::kPrfHmacSha1 : iana::kPrfHmacSha256, std::nullopt, {}});
    for (std::uint16_t g : c.groups) t.push_back({iana::kTransDh, g, std::nullopt, {}});
    return t;
}

// The first error notify (types below 16384 are errors, RFC 7296 3.10.1), if any.
const Payload* error_notify(const std::vector<Payload>& payloads, Notify& out) {
    for (const Payload& p : payloads) {
        if (p.type != iana::kNotify) continue;
        auto n = parse_notify(p.body);
        if (n && n->type < 16384) {
            out = *n;
            return &p;
        }
    }
    return nullptr;
}

}  // namespace

Initiator::~Initiator() { wipe(msk_); }
Initiator::Initiator(Initiator&&) noexcept = default;
Initiator& Initiator::operator=(Initiator&&) noexcept = default;

Initiator::Initiator(InitiatorConfig config) : config_(std::move(config)) {
    spi_i_ = random_spi();
    nonce_i_ = random_bytes(kNonceSize);
    ke_group_ = config_.groups.empty() ? 0 : config_.groups.front();
    if (config_.key_exchange && config_.key_exchange->group() == ke_group_) kex_ = config_.key_exchange;
    else kex_ = KeyExchange::create(ke_group_);
}

Initiator::Step Initiator::fail(std::string why) {
    error_ = std::move(why);
    return Step::Failed;
}

std::vector<Payload> Initiator::sa_init_payloads() {
    std::vector<Payload> p;
    if (!cookie_.empty()) p.push_back(make_payload(iana::kNotify, notify_body(iana::kCookie, cookie_)));
    p.push_back(make_payload(iana::kSA, sa_body({Proposal{1, iana::kProtoIke, {}, ike_transforms(config_)}})));
    Bytes pub = kex_ ? kex_->public_value() : Bytes(KeyExchange::public_size(ke_group_), 0x55);
    p.push_back(make_payload(iana::kKE, ke_body(ke_group_, pub)));
    p.push_back(make_payload(iana::kNonce, nonce_i_));
    if (config_.fragmentation) p.push_back(make_payload(iana::kNotify, notify_body(iana::kFragmentationSupported)));
    if (config_.childless) p.push_back(make_payload(iana::kNotify, notify_body(iana::kChildlessIkev2Supported)));
    return p;
}

Header Initiator::sa_init_header() const {
    Header h;
    h.spi_i = spi_i_;
    h.exchange = iana::kIkeSaInit;
    h.flags = iana::kFlagInitiator;
    return h;
}

Bytes Initiator::sa_init_request() {
    init_request_ = encode_message(sa_init_header(), sa_init_payloads());
    return init_request_;
}

Initiator::Step Initiator::on_sa_init_response(ByteView packet) {
    auto msg = decode_message(packet);
    if (!msg) return fail("malformed IKE_SA_INIT response");
    const Header& h = msg->header;
    if (h.spi_i != spi_i_ || h.exchange != iana::kIkeSaInit || !(h.flags & iana::kFlagResponse) || h.message_id != 0)
        return fail("not a response to our IKE_SA_INIT");
    for (const Payload& p : msg->payloads) {
        if (p.type != iana::kNotify) continue;
        auto n = parse_notify(p.body);
        if (!n) return fail("malformed notify");
        if (n->type == iana::kCookie) {
            if (n->data.empty() || n->data.size() > 64) return fail("COOKIE of bad length");
            if (++cookie_rounds_ > kMaxRetries) return fail("too many COOKIE rounds");
            cookie_ = n->data;
            return Step::Retry;
        }
        if (n->type == iana::kInvalidKePayload) {
            if (n->data.size() != 2) return fail("INVALID_KE_PAYLOAD without a group");
            const std::uint16_t want = get16(n->data.data());
            if (std::find(config_.groups.begin(), config_.groups.end(), want) == config_.groups.end() ||
                want == ke_group_ || !KeyExchange::create(want))
                return fail("INVALID_KE_PAYLOAD asks for group " + std::to_string(want));
            if (++ke_rounds_ > kMaxRetries) return fail("too many INVALID_KE_PAYLOAD rounds");
            ke_group_ = want;
            kex_ = KeyExchange::create(want);
            return Step::Retry;
        }
        if (n->type < 16384) return fail("gateway answered " + notify_name(n->type));
    }
    if (h.spi_r == 0) return fail("responder SPI is zero");
    const Payload* sa = find(msg->payloads, iana::kSA);
    const Payload* ke = find(msg->payloads, iana::kKE);
    const Payload* nr = find(msg->payloads, iana::kNonce);
    if (!sa || !ke || !nr) return fail("IKE_SA_INIT response without SA, KE or Nonce");
    auto props = parse_sa(sa->body);
    if (!props || props->size() != 1) return fail("response SA is not one proposal");
    auto ke_b = parse_ke(ke->body);
    if (!ke_b || ke_b->group != ke_group_) return fail("response KE of another group");
    if (nr->body.size() < 16 || nr->body.size() > 256) return fail("responder nonce length");
    if (!kex_) return fail("no key exchange for group " + std::to_string(ke_group_));
    auto shared = kex_->shared_secret(ke_b->data);
    if (!shared) return fail("invalid responder KE value");
    spi_r_ = h.spi_r;
    nonce_r_ = nr->body;
    init_response_.assign(packet.begin(), packet.end());
    Bytes seed = skeyseed(config_.prf, nonce_i_, nonce_r_, *shared);
    keys_ = derive_ike_keys(config_.prf, seed, nonce_i_, nonce_r_, spi_i_, spi_r_, sk_integ_key_size(config_.cipher),
                            sk_encr_key_size(config_.cipher));
    wipe(seed);
    wipe(*shared);
    keys_ready_ = true;
    return Step::Done;
}

Bytes Initiator::id_payload_body() const {
    const std::string& id = config_.eap_user.empty() ? config_.id : config_.eap_user;
    const bool email = id.find('@') != std::string::npos;
    return id_body(email ? iana::kIdRfc822 : iana::kIdFqdn, as_bytes(id));
}

Bytes Initiator::signed_octets(ByteView real_message, ByteView nonce, ByteView prf_key, ByteView id_body) const {
    return concat({real_message, nonce, prf(config_.prf, prf_key, id_body)});
}

Bytes Initiator::shared_key_mic(ByteView secret, ByteView octets) const {
    Bytes key = prf(config_.prf, secret, as_bytes("Key Pad for IKEv2"));
    Bytes out = prf(config_.prf, key, octets);
    wipe(key);
    return out;
}

Bytes Initiator::psk_auth(ByteView octets) const { return shared_key_mic(as_bytes(config_.psk), octets); }

std::vector<Payload> Initiator::auth_payloads() {
    Bytes idb = id_payload_body();
    child_spi_i_ = random_bytes(4);
    std::vector<Transform> esp;
    if (config_.cipher == SkCipher::AesGcm16_256) {
        esp.push_back({iana::kTransEncr, iana::kEncrAesGcm16, 256, {}});
    } else {
        esp.push_back({iana::kTransEncr, iana::kEncrAesCbc, 256, {}});
        esp.push_back({iana::kTransInteg, iana::kIntegHmacSha256_128, std::nullopt, {}});
    }
    esp.push_back({iana::kTransEsn, 0, std::nullopt, {}});
    std::vector<Payload> inner{make_payload(iana::kIDi, idb)};
    if (config_.eap_user.empty())
        inner.push_back(make_payload(
            iana::kAUTH, auth_body(iana::kAuthSharedKey, psk_auth(signed_octets(init_request_, nonce_r_, keys_.pi, idb)))));
    if (config_.childless) return inner;
    for (auto& p : std::vector<Payload>{
        make_payload(iana::kCP, cp_request_ipv4_body()),
        make_payload(iana::kSA, sa_body({Proposal{1, iana::kProtoEsp, child_spi_i_, esp}})),
        make_payload(iana::kTSi, ts_ipv4_any_body()),
        make_payload(iana::kTSr, ts_ipv4_any_body())})
        inner.push_back(std::move(p));
    return inner;
}

Bytes Initiator::auth_request() {
    std::vector<Payload> inner = auth_payloads();
    next_mid_ = 2;
    auth_mid_ = 1;
    phase_ = config_.eap_user.empty() ? AuthPhase::Psk : AuthPhase::EapFirst;
    if (!config_.eap_user.empty()) {
        if (config_.eap_method == InitiatorConfig::EapMethod::MsChapV2)
            eap_ = std::make_unique<EapMsChapV2Client>(config_.eap_user, config_.eap_password);
        else if (config_.eap_method == InitiatorConfig::EapMethod::Gtc)
            eap_ = std::make_unique<EapGtcClient>(config_.eap_user, config_.eap_password);
        else
            eap_ = std::make_unique<EapMd5Client>(config_.eap_user, config_.eap_password);
    }
    return seal(iana::kIkeAuth, 1, iana::kFlagInitiator, inner.front().type, encode_chain(inner));
}

Initiator::Step Initiator::on_auth_response(ByteView packet) {
    auto inner = open_response(packet, auth_mid_);
    if (!inner) return fail("IKE_AUTH response not decryptable or not ours");
    Notify err;
    if (error_notify(*inner, err)) {
        // RFC 7296 2.21.2: with AUTH in the final answer the error refuses only the Child SA.
        const bool final_round = phase_ == AuthPhase::Psk || phase_ == AuthPhase::EapFinal;
        if (!final_round || !config_.accept_refused_child || !find(*inner, iana::kAUTH))
            return fail("gateway answered " + notify_name(err.type));
        child_refusal_ = err.type;
    }
    switch (phase_) {
        case AuthPhase::Psk: {
            const Payload* auth = find(*inner, iana::kAUTH);
            if (!auth || auth->body.size() < 4 || auth->body[0] != iana::kAuthSharedKey)
                return fail("the gateway did not authenticate with the PSK");
            return finish_auth(*inner, as_bytes(config_.psk));
        }
        case AuthPhase::EapFirst: {
            const Payload* idr = find(*inner, iana::kIDr);
            if (!idr || !find(*inner, iana::kAUTH)) return fail("first IKE_AUTH response without IDr or AUTH");
            idr_body_ = idr->body;
            phase_ = AuthPhase::Eap;
            return eap_round(*inner);
        }
        case AuthPhase::Eap: return eap_round(*inner);
        case AuthPhase::EapFinal: return finish_auth(*inner, msk_.empty() ? keys_.pr : msk_);
    }
    return fail("unreachable");
}

Initiator::Step Initiator::eap_round(const std::vector<Payload>& inner) {
    const Payload* eap = find(inner, iana::kEAP);
    if (!eap) return fail("IKE_AUTH response without EAP");
    EapResult r = eap_->process(eap->body);
    std::vector<Payload> next;
    switch (r.kind) {
        case EapResult::Kind::Invalid: return fail("malformed EAP packet");
        case EapResult::Kind::Failure: return fail("EAP failure");
        case EapResult::Kind::Respond: next.push_back(make_payload(iana::kEAP, r.response)); break;
        case EapResult::Kind::Success: {
            // RFC 7296 2.16: the shared-key MIC uses the MSK, or SK_pi for methods without
            // one (EAP-MD5).
            if (auto msk = eap_->msk()) msk_ = std::move(*msk);
            Bytes mic = shared_key_mic(msk_.empty() ? keys_.pi : msk_,
                                       signed_octets(init_request_, nonce_r_, keys_.pi, id_payload_body()));
            next.push_back(make_payload(iana::kAUTH, auth_body(iana::kAuthSharedKey, mic)));
            phase_ = AuthPhase::EapFinal;
            break;
        }
    }
    auth_mid_ = next_mid_++;
    continuation_ = seal(iana::kIkeAuth, auth_mid_, iana::kFlagInitiator, next.front().type, encode_chain(next));
    return Step::Retry;
}

Initiator::Step Initiator::finish_auth(const std::vector<Payload>& inner, ByteView auth_key) {
    const Payload* idr = find(inner, iana::kIDr);
    if (idr) idr_body_ = idr->body;
    const Payload* auth = find(inner, iana::kAUTH);
    if (idr_body_.empty() || !auth || auth->body.size() < 4) return fail("IKE_AUTH response without IDr or AUTH");
    Bytes expect = shared_key_mic(auth_key, signed_octets(init_response_, nonce_i_, keys_.pr, idr_body_));
    ByteView got = ByteView(auth->body).subspan(4);
    if (got.size() != expect.size() || !memeql_sec(got.data(), expect.data(), expect.size()))
        return fail("the gateway's AUTH does not verify");
    const Payload* sa = find(inner, iana::kSA);
    if (!sa && (config_.childless || child_refusal_ != 0)) {
        established_ = true;
        peer_next_mid_ = 0;
        return Step::Done;
    }
    if (!sa) return fail("no Child SA in the IKE_AUTH response");
    auto props = parse_sa(sa->body);
    if (!props || props->size() != 1 || props->front().protocol != iana::kProtoEsp || props->front().spi.size() != 4)
        return fail("malformed Child SA proposal");
    child_spi_r_ = props->front().spi;
    if (const Payload* cp = find(inner, iana::kCP)) assigned_address_ = cp_reply_ipv4(cp->body);
    established_ = true;
    peer_next_mid_ = 0;
    return Step::Done;
}

Bytes Initiator::informational_request(const std::vector<Payload>& inner) {
    const std::uint32_t mid = next_mid_++;
    return seal(iana::kInformational, mid, iana::kFlagInitiator, inner.empty() ? iana::kNone : inner.front().type,
                encode_chain(inner));
}

Bytes Initiator::delete_request() { return informational_request({make_payload(iana::kDelete, delete_ike_body())}); }

std::optional<std::vector<Payload>> Initiator::open_response(ByteView packet, std::uint32_t message_id) const {
    auto msg = open(packet);
    if (!msg) return std::nullopt;
    const Header& h = msg->header;
    if (h.spi_i != spi_i_ || h.spi_r != spi_r_ || !(h.flags & iana::kFlagResponse) || (h.flags & iana::kFlagInitiator) ||
        h.message_id != message_id)
        return std::nullopt;
    return std::move(msg->payloads);
}

std::optional<Bytes> Initiator::answer_request(ByteView packet) {
    auto msg = open(packet);
    if (!msg) return std::nullopt;
    const Header& h = msg->header;
    if (h.spi_i != spi_i_ || h.spi_r != spi_r_ || (h.flags & iana::kFlagResponse) || (h.flags & iana::kFlagInitiator))
        return std::nullopt;
    if (last_answer_ && last_answer_->first == h.message_id) return last_answer_->second;  // a retransmission
    if (h.message_id != peer_next_mid_) return std::nullopt;
    for (const Payload& p : msg->payloads)
        if (p.type == iana::kDelete && !p.body.empty() && p.body[0] == iana::kProtoIke) deleted_by_peer_ = true;
    Bytes answer = seal(h.exchange, h.message_id, iana::kFlagInitiator | iana::kFlagResponse, iana::kNone, {});
    last_answer_ = std::make_pair(h.message_id, answer);
    ++peer_next_mid_;
    return answer;
}

Bytes Initiator::seal(std::uint8_t exchange, std::uint32_t message_id, std::uint8_t flags, std::uint8_t inner_first,
                      ByteView plaintext) const {
    Header h;
    h.spi_i = spi_i_;
    h.spi_r = spi_r_;
    h.next = iana::kSK;
    h.exchange = exchange;
    h.flags = flags;
    h.message_id = message_id;
    const std::size_t body = sk_sealed_size(config_.cipher, plaintext.size());
    h.length = static_cast<std::uint32_t>(kHeaderSize + kGenericHeaderSize + body);
    Bytes packet = encode_header(h);
    put8(packet, inner_first);
    put8(packet, 0);
    put16(packet, static_cast<std::uint16_t>(kGenericHeaderSize + body));
    append(packet, sk_seal(config_.cipher, keys_.ei, keys_.ai, packet, plaintext));
    return packet;
}

Bytes Initiator::seal_fragment(std::uint8_t exchange, std::uint32_t message_id, std::uint8_t flags,
                               std::uint8_t inner_first, ByteView plaintext, std::uint16_t number,
                               std::uint16_t total) const {
    Header h;
    h.spi_i = spi_i_;
    h.spi_r = spi_r_;
    h.next = iana::kSKF;
    h.exchange = exchange;
    h.flags = flags;
    h.message_id = message_id;
    const std::size_t body = 4 + sk_sealed_size(config_.cipher, plaintext.size());
    h.length = static_cast<std::uint32_t>(kHeaderSize + kGenericHeaderSize + body);
    Bytes packet = encode_header(h);
    put8(packet, number == 1 ? inner_first : iana::kNone);  // RFC 7383 2.5: only the first names it
    put8(packet, 0);
    put16(packet, static_cast<std::uint16_t>(kGenericHeaderSize + body));
    put16(packet, number);
    put16(packet, total);
    append(packet, sk_seal(config_.cipher, keys_.ei, keys_.ai, packet, plaintext));
    return packet;
}

std::optional<Message> Initiator::open(ByteView packet) const {
    if (!keys_ready_) return std::nullopt;
    auto msg = decode_message(packet);
    if (!msg || msg->payloads.size() != 1 || msg->payloads.front().type != iana::kSK) return std::nullopt;
    const Payload& sk = msg->payloads.front();
    ByteView preceding = packet.first(packet.size() - sk.body.size());
    auto plain = sk_open(config_.cipher, keys_.er, keys_.ar, preceding, sk.body);
    if (!plain) return std::nullopt;
    auto inner = decode_chain(sk.inner_first, *plain);
    if (!inner) return std::nullopt;
    return Message{msg->header, std::move(*inner)};
}

}  // namespace peer
