#include "ike/sa_init.hpp"

#include <chrono>

#include "crypto/algorithms.hpp"
#include "crypto/auth_signature.hpp"
#include "crypto/key_exchange.hpp"
#include "crypto/random.hpp"
#include "ike/payload_helpers.hpp"
#include "ike/proposals.hpp"
#include "ike/redirect.hpp"
#include "ike/vendor_ids.hpp"
#include "net/nat_detection.hpp"
#include "util/log.hpp"
#include "wire/builder.hpp"
#include "wire/dump.hpp"

namespace ikev2d::ike {
namespace {

using iana::NotifyType;
using iana::PayloadType;

constexpr std::size_t kNonceSize = 32;

wire::Header response_header(const wire::Header& request, std::uint64_t spi_r) {
    wire::Header h;
    h.spi_i = request.spi_i;
    h.spi_r = spi_r;
    h.exchange = iana::ExchangeType::IKE_SA_INIT;
    h.flags = iana::kFlagResponse;
    h.message_id = 0;
    return h;
}

wire::Payload vendor_id(ByteView data) {
    return wire::Payload{PayloadType::VendorID, false, wire::VendorIdPayload{Bytes(data.begin(), data.end())}};
}

std::vector<iana::HashAlgorithm> parse_hash_list(const Bytes& data) {
    std::vector<iana::HashAlgorithm> out;
    for (std::size_t i = 0; i + 1 < data.size(); i += 2)
        out.push_back(static_cast<iana::HashAlgorithm>(data[i] << 8 | data[i + 1]));
    return out;
}

}  // namespace

Bytes sa_init_error_response(const wire::Header& request, iana::NotifyType type, Bytes data) {
    wire::Message m;
    m.header = response_header(request, 0);
    m.payloads.push_back(notify_payload(type, std::move(data)));
    return wire::encode_message(m);
}

SaInitOutcome prepare_sa_init(GatewayContext& ctx, const CookieJar& cookies, bool require_cookie,
                              const Endpoint& local, const Endpoint& remote, ByteView packet,
                              const wire::Message& request) {
    SaInitOutcome out;
    const wire::Header& hdr = request.header;
    if (!hdr.is_initiator() || hdr.is_response() || hdr.message_id != 0 || hdr.spi_r != 0 || hdr.spi_i == 0) {
        out.failure = "IKE_SA_INIT with bad flags, SPI or message ID";
        return out;
    }
    const auto& payloads = request.payloads;
    // Nothing is encrypted yet: an SK, SKF or Cisco fragment payload here is a syntax error,
    // not something to skip (RFC 7296 3.14 needs keys that do not exist before this exchange).
    for (const auto& p : payloads) {
        if (p.type == PayloadType::SK || p.type == PayloadType::SKF || p.type == PayloadType::CiscoFragment) {
            out.failure = "encrypted payload " + iana::name(p.type) + " in IKE_SA_INIT";
            out.response = sa_init_error_response(hdr, NotifyType::INVALID_SYNTAX);
            return out;
        }
    }
    const auto* sa_p = find_payload<wire::SaPayload>(payloads, PayloadType::SA);
    const auto* ke_p = find_payload<wire::KePayload>(payloads, PayloadType::KE);
    const auto* ni_p = find_payload<wire::NoncePayload>(payloads, PayloadType::Nonce);
    if (!sa_p || !ke_p || !ni_p) {
        out.failure = "IKE_SA_INIT without SA, KE or Nonce";
        out.response = sa_init_error_response(hdr, NotifyType::INVALID_SYNTAX);
        return out;
    }
    if (ni_p->data.size() < 16 || ni_p->data.size() > 256) {
        out.failure = "nonce length out of range";
        out.response = sa_init_error_response(hdr, NotifyType::INVALID_SYNTAX);
        return out;
    }
    if (auto redirect = sa_init_redirect(ctx, payloads, remote, ni_p->data)) {
        out.response = sa_init_error_response(hdr, NotifyType::REDIRECT, std::move(*redirect));
        out.failure = "redirected";
        out.redirected = true;
        return out;
    }
    if (require_cookie) {
        const wire::NotifyPayload* cookie = nullptr;
        if (!payloads.empty() && payloads.front().type == PayloadType::Notify) {
            const auto& n = std::get<wire::NotifyPayload>(payloads.front().body);
            if (n.type == static_cast<std::uint16_t>(NotifyType::COOKIE)) cookie = &n;
        }
        if (cookie == nullptr || !cookies.check(cookie->data, hdr.spi_i, ni_p->data, remote.addr)) {
            out.response =
                sa_init_error_response(hdr, NotifyType::COOKIE, cookies.make(hdr.spi_i, ni_p->data, remote.addr));
            out.cookie_sent = true;
            out.failure = "cookie required";
            return out;
        }
    }

    const auto ke_group = static_cast<iana::DhGroup>(ke_p->group);
    IkeChoice choice = select_ike_proposal(ctx.config->ike_policies, *sa_p, ke_group,
                                           ctx.config->global.proposal_selection == config::ProposalSelection::Admin);
    if (!choice.proposal) {
        if (choice.ke_group_wanted) {
            out.failure = "KE group " + iana::name(ke_group) + " not acceptable, asking for " + iana::name(*choice.ke_group_wanted);
            out.response = sa_init_error_response(hdr, NotifyType::INVALID_KE_PAYLOAD,
                                                  u16_bytes(static_cast<std::uint16_t>(*choice.ke_group_wanted)));
        } else {
            out.failure = "no acceptable IKE proposal";
            out.response = sa_init_error_response(hdr, NotifyType::NO_PROPOSAL_CHOSEN);
        }
        return out;
    }
    if (ke_p->data.size() != crypto::KeyExchange::public_size(ke_group)) {
        out.failure = "KE payload has the wrong length for its group";
        out.response = sa_init_error_response(hdr, NotifyType::INVALID_SYNTAX);
        return out;
    }

    auto sa = std::make_unique<IkeSa>();
    sa->spi_i = hdr.spi_i;
    // Drawn again on the (unlikely) collision with an SA we hold: the SPI is the table's key.
    do sa->spi_r = ctx.random_spi ? ctx.random_spi() : crypto::random_spi();
    while (sa->spi_r == 0 || (ctx.ike_spi_in_use && ctx.ike_spi_in_use(sa->spi_r)));
    sa->local = local;
    sa->remote = remote;
    sa->algs = choice.algs;
    sa->lifetime_s = choice.lifetime_s;
    sa->prf = crypto::Prf::create(choice.algs.prf);
    sa->crypter = crypto::SkCrypter::create(choice.algs.encr, choice.algs.encr_key_bits, choice.algs.integ);
    if (!sa->prf || !sa->crypter) {
        out.failure = "selected algorithms not available";
        out.response = sa_init_error_response(hdr, NotifyType::NO_PROPOSAL_CHOSEN);
        return out;
    }
    sa->nonce_i = ni_p->data;
    sa->nonce_r = crypto::random_nonce(kNonceSize);
    auto keying = std::make_shared<SaInitKeying>();
    keying->group = ke_group;
    keying->peer_public = ke_p->data;
    keying->prf = choice.algs.prf;
    keying->nonce_i = sa->nonce_i;
    keying->nonce_r = sa->nonce_r;
    keying->spi_i = sa->spi_i;
    keying->spi_r = sa->spi_r;
    keying->integ_key_size = sa->crypter->integ_key_size();
    keying->encr_key_size = sa->crypter->encr_key_size();

    // NAT detection (RFC 7296 2.23): the request's hashes use SPIr = 0.
    auto src_hashes = [&] {
        std::vector<const wire::NotifyPayload*> v;
        for (const auto* n : find_all_payloads<wire::NotifyPayload>(payloads, PayloadType::Notify))
            if (n->type == static_cast<std::uint16_t>(NotifyType::NAT_DETECTION_SOURCE_IP)) v.push_back(n);
        return v;
    }();
    const auto* dst_hash = find_notify(payloads, NotifyType::NAT_DETECTION_DESTINATION_IP);
    if (!src_hashes.empty() && dst_hash) {
        Bytes expect_src = net::nat_detection_hash(hdr.spi_i, 0, remote);
        bool src_match = false;
        for (const auto* n : src_hashes) src_match = src_match || ct_equal(n->data, expect_src);
        sa->nat_remote = !src_match;
        sa->nat_local = !ct_equal(dst_hash->data, net::nat_detection_hash(hdr.spi_i, 0, local));
    }
    sa->peer_fragmentation = find_notify(payloads, NotifyType::IKEV2_FRAGMENTATION_SUPPORTED) != nullptr;
    note_redirect_support(*sa, payloads);
    if (const auto* h = find_notify(payloads, NotifyType::SIGNATURE_HASH_ALGORITHMS))
        sa->peer_signature_hashes = parse_hash_list(h->data);
    for (const auto* vid : find_all_payloads<wire::VendorIdPayload>(payloads, PayloadType::VendorID)) {
        if (vendor::equals(vid->data, vendor::kCiscoAnyConnectEap) || vendor::equals(vid->data, vendor::kCiscoCopyright))
            sa->peer_is_anyconnect = true;
        if (vendor::is_cisco_fragmentation(vid->data)) sa->peer_cisco_fragmentation = true;
    }

    sa->init_request.assign(packet.begin(), packet.end());
    PendingSaInit pending;
    pending.sa = std::move(sa);
    pending.proposal = *choice.proposal;
    pending.ke_group = ke_p->group;
    pending.keying = std::move(keying);
    out.pending = std::move(pending);
    return out;
}

void compute_sa_init_keying(SaInitKeying& job) {
    if (job.cancelled.load(std::memory_order_relaxed)) {
        job.error = "dropped before its keys were computed";
        return;
    }
    const auto started = std::chrono::steady_clock::now();
    try {
        auto kex = crypto::KeyExchange::create(job.group);
        SecureBytes shared;
        try {
            shared = kex->shared_secret(job.peer_public);
        } catch (const std::exception& e) {
            job.error = std::string("invalid KE public value: ") + e.what();
        }
        if (job.error.empty()) {
            // Our own PRF instance: the SA's belongs to the loop.
            auto prf = crypto::Prf::create(job.prf);
            if (!prf) throw std::runtime_error("PRF not available");
            SecureBytes skeyseed = crypto::ike_skeyseed(*prf, job.nonce_i, job.nonce_r, shared.view());
            job.keys = crypto::ike_derive_keys(*prf, skeyseed.view(), job.nonce_i, job.nonce_r, job.spi_i, job.spi_r,
                                               job.integ_key_size, job.encr_key_size);
            ByteView pub = kex->public_value();
            job.own_public.assign(pub.begin(), pub.end());
        }
    } catch (const std::exception& e) {
        job.error = std::string("key exchange failed: ") + e.what();
    }
    job.worker_us = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count());
}

bool finish_sa_init(const GatewayContext& ctx, PendingSaInit& pending, std::string& failure, Bytes& error_response) {
    IkeSa& sa = *pending.sa;
    SaInitKeying& keying = *pending.keying;
    wire::Header hdr;
    hdr.spi_i = sa.spi_i;
    hdr.message_id = 0;
    if (!keying.error.empty()) {
        failure = keying.error;
        error_response = sa_init_error_response(hdr, NotifyType::INVALID_SYNTAX);
        return false;
    }
    sa.keys = std::move(keying.keys);
    LOG_SECRET(Protocol, "SK_d %s", to_hex(sa.keys.sk_d.view()).c_str());

    wire::Message resp;
    resp.header = response_header(hdr, sa.spi_r);
    resp.payloads.push_back({PayloadType::SA, false, wire::SaPayload{{pending.proposal}}});
    resp.payloads.push_back({PayloadType::KE, false, wire::KePayload{pending.ke_group, std::move(keying.own_public)}});
    resp.payloads.push_back({PayloadType::Nonce, false, wire::NoncePayload{sa.nonce_r}});
    resp.payloads.push_back(notify_payload(NotifyType::NAT_DETECTION_SOURCE_IP,
                                           net::nat_detection_hash(sa.spi_i, sa.spi_r, sa.local)));
    resp.payloads.push_back(notify_payload(NotifyType::NAT_DETECTION_DESTINATION_IP,
                                           net::nat_detection_hash(sa.spi_i, sa.spi_r, sa.remote)));
    if (ctx.credentials) {
        Bytes authorities;
        for (const Bytes& h : ctx.credentials->trusted.trusted_spki_sha1()) append(authorities, h);
        if (!authorities.empty())
            resp.payloads.push_back({PayloadType::CERTREQ, false,
                                     wire::CertReqPayload{static_cast<std::uint8_t>(iana::CertEncoding::X509_SIGNATURE),
                                                          std::move(authorities)}});
    }
    if (sa.peer_fragmentation) resp.payloads.push_back(notify_payload(NotifyType::IKEV2_FRAGMENTATION_SUPPORTED));
    if (!sa.peer_signature_hashes.empty()) {
        Bytes list;
        for (auto h : crypto::supported_signature_hashes()) append(list, u16_bytes(static_cast<std::uint16_t>(h)));
        resp.payloads.push_back(notify_payload(NotifyType::SIGNATURE_HASH_ALGORITHMS, std::move(list)));
    }
    if (sa.peer_is_anyconnect) {
        // What the seed's ASA answers an AnyConnect client with.
        resp.payloads.push_back(vendor_id(as_bytes(vendor::kCiscoDeleteReason)));
        resp.payloads.push_back(vendor_id(as_bytes(vendor::kCiscoCopyright)));
        if (sa.peer_cisco_fragmentation) resp.payloads.push_back(vendor_id(ByteView(vendor::kCiscoFragmentation)));
    }
    sa.init_response = wire::encode_message(resp);
    LOG_DUMP(Protocol, "Tx IKE_SA_INIT response\n%s", wire::dump(resp).c_str());
    return true;
}

}  // namespace ikev2d::ike
