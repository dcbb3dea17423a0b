#include "ike/create_child.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include "crypto/algorithms.hpp"
#include "crypto/kdf.hpp"
#include "crypto/key_exchange.hpp"
#include "crypto/random.hpp"
#include "ike/child_install.hpp"
#include "ike/create_child_keying.hpp"
#include "ike/new_child.hpp"
#include "ike/payload_helpers.hpp"
#include "ike/proposals.hpp"
#include "ike/traffic_selectors.hpp"
#include "util/log.hpp"

namespace ikev2d::ike {
namespace {

using iana::NotifyType;
using iana::PayloadType;
using iana::ProtocolId;
using iana::TransformType;


Bytes u64_bytes(std::uint64_t v) {
    Bytes out(8);
    for (std::size_t i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
    return out;
}

bool nonce_ok(const wire::NoncePayload& n) { return n.data.size() >= 16 && n.data.size() <= 256; }  // RFC 7296 3.9

// ---------------------------------------------------------------- Child SA rekey

bool covers(const TsRange& outer, const TsRange& inner) {
    return outer.start.family == inner.start.family && !(inner.start < outer.start) && !(outer.end < inner.end) &&
           (outer.ip_protocol == 0 || outer.ip_protocol == inner.ip_protocol) && outer.start_port <= inner.start_port &&
           inner.end_port <= outer.end_port;
}

bool any_covers(const std::vector<TsRange>& offered, const TsRange& r) {
    return std::any_of(offered.begin(), offered.end(), [&r](const TsRange& o) { return covers(o, r); });
}

// RFC 7296 2.9.2: a rekeyed Child SA keeps its selectors. The peer's TSi/TSr must still
// contain them (our answer may only narrow what it proposed).
bool request_keeps_selectors(const wire::TsPayload& tsi, const wire::TsPayload& tsr, const ChildSa& old) {
    const auto remote = ranges_from_payload(tsi);
    const auto local = ranges_from_payload(tsr);
    if (!std::all_of(old.remote_ts.begin(), old.remote_ts.end(), [&remote](const TsRange& r) { return any_covers(remote, r); }))
        return false;
    return std::all_of(old.local_ts.begin(), old.local_ts.end(), [&local](const TsRange& l) { return any_covers(local, l); });
}

// The answer once the rekeyed Child SA's SAs are installed (child_install.hpp:
// install_rekeyed_child): SA, Nr, [KEr,] TSi, TSr, or TEMPORARY_FAILURE.
ExchangeResult answer_rekeyed_child(GatewayContext& ctx, IkeSa& sa, std::uint32_t old_spi, EspChoice& esp,
                                    const std::optional<KeyExchangeOutcome>& dh, const Bytes& nr, InstalledChild installed) {
    ChildSa fresh;
    try {
        fresh = installed.take();
    } catch (const std::exception& e) {
        LOG_ERR(Platform, "(%u): installing the rekeyed Child SA failed: %s", sa.unique_id, e.what());
        return refuse(NotifyType::TEMPORARY_FAILURE);
    }
    auto old_it = std::find_if(sa.children.begin(), sa.children.end(), [old_spi](const ChildSa& c) { return c.spi_out == old_spi; });
    if (old_it == sa.children.end()) {  // gone while the kernel worked (its lifetime ran out)
        LOG_ERR(Platform, "(%u): Child SA 0x%08x went away during its rekey", sa.unique_id, old_spi);
        for (const auto& [dst, spi] : fresh.kernel_sas) {  // its SAs only: reqid and policies went with the old one
            try {
                ctx.kernel->del_sa(dst, spi);
            } catch (const std::exception& e) {
                LOG_INFO(Platform, "(%u): removing SA 0x%08x: %s", sa.unique_id, spi, e.what());
            }
        }
        return refuse(NotifyType::TEMPORARY_FAILURE);
    }
    const ChildSa& old = *old_it;
    LOG_EXCH(Platform, "(%u): Child SA 0x%08x/0x%08x rekeyed: new ESP spi in/out 0x%08x/0x%08x%s%s", sa.unique_id,
             old.spi_in, old.spi_out, fresh.spi_in, fresh.spi_out, dh ? ", PFS " : "",
             dh ? iana::name(esp.pfs).c_str() : "");

    ExchangeResult r;
    esp.proposal.spi = u32_bytes(fresh.spi_in);
    r.payloads.push_back({PayloadType::SA, false, wire::SaPayload{{esp.proposal}}});
    r.payloads.push_back({PayloadType::Nonce, false, wire::NoncePayload{nr}});
    if (dh) r.payloads.push_back(ke_payload(*dh->kex));
    r.payloads.push_back({PayloadType::TSi, false, payload_from_ranges(old.remote_ts)});
    r.payloads.push_back({PayloadType::TSr, false, payload_from_ranges(old.local_ts)});
    sa.children.push_back(std::move(fresh));  // invalidates `old`
    return r;
}

ExchangeResult rekey_child(GatewayContext& ctx, IkeSa& sa, const std::vector<wire::Payload>& request,
                           const wire::NotifyPayload& rekey, const wire::SaPayload& offered, const wire::NoncePayload& ni) {
    if (rekey.spi.size() != 4) return refuse(NotifyType::INVALID_SYNTAX);
    const std::uint32_t old_spi = load_be32(rekey.spi);
    auto old_it = std::find_if(sa.children.begin(), sa.children.end(), [old_spi](const ChildSa& c) { return c.spi_out == old_spi; });
    if (rekey.protocol != static_cast<std::uint8_t>(ProtocolId::ESP) || old_it == sa.children.end()) {
        LOG_EXCH(Protocol, "(%u): rekey of unknown Child SA 0x%08x", sa.unique_id, old_spi);
        // RFC 7296 2.25: the notify names the SA that was asked for.
        wire::NotifyPayload n;
        n.protocol = rekey.protocol;
        n.spi = rekey.spi;
        n.type = static_cast<std::uint16_t>(NotifyType::CHILD_SA_NOT_FOUND);
        ExchangeResult r;
        r.payloads.push_back({PayloadType::Notify, false, std::move(n)});
        return r;
    }
    const auto* tsi = find_payload<wire::TsPayload>(request, PayloadType::TSi);
    const auto* tsr = find_payload<wire::TsPayload>(request, PayloadType::TSr);
    if (!tsi || !tsr) return refuse(NotifyType::INVALID_SYNTAX);
    const auto* ke = find_payload<wire::KePayload>(request, PayloadType::KE);

    ChildKeying keying = negotiate_child_keying(ctx, sa, offered, ke, "Child SA rekey");
    if (!keying.esp) return refuse(keying.refusal, std::move(keying.refusal_data));
    if (!request_keeps_selectors(*tsi, *tsr, *old_it)) {
        LOG_EXCH(Protocol, "(%u): Child SA rekey with selectors that exclude the old ones", sa.unique_id);
        return refuse(NotifyType::TS_UNACCEPTABLE);
    }
    const Bytes nr = crypto::random_nonce(kNonceSize);
    auto kept = std::make_shared<ChildKeying>(std::move(keying));  // for the answer, after the install
    // The new SAs are installed on the kernel lane; the answer is made once they are in.
    return install_rekeyed_child(ctx, sa, *old_it, *kept->esp, ni.data, nr, kept->dh ? kept->dh->shared.view() : ByteView{},
                                 [kept, nr, old_spi](GatewayContext& ctx, IkeSa& sa, InstalledChild installed) {
                                     return answer_rekeyed_child(ctx, sa, old_spi, *kept->esp, kept->dh, nr,
                                                                 std::move(installed));
                                 });
}

// ---------------------------------------------------------------- IKE SA rekey

// The successor of `old` (RFC 7296 2.18): new SPIs and keys, message IDs from 0, and
// everything the session is made of moved over from the old SA.
std::unique_ptr<IkeSa> make_successor(GatewayContext& ctx, IkeSa& old, const IkeChoice& choice, std::uint64_t peer_spi,
                                      const Bytes& ni, const Bytes& nr, ByteView shared) {
    auto sa = std::make_unique<IkeSa>();
    sa->prf = crypto::Prf::create(choice.algs.prf);
    sa->crypter = crypto::SkCrypter::create(choice.algs.encr, choice.algs.encr_key_bits, choice.algs.integ);
    if (!sa->prf || !sa->crypter) return nullptr;
    sa->algs = choice.algs;
    sa->spi_i = peer_spi;  // the peer initiated the rekey, so it is the new SA's initiator
    // A fresh SPI that no IKE SA of the gateway uses (RFC 7296 2.6).
    do sa->spi_r = ctx.random_spi ? ctx.random_spi() : crypto::random_spi();
    while (sa->spi_r == old.spi_r || (ctx.ike_spi_in_use && ctx.ike_spi_in_use(sa->spi_r)));
    sa->nonce_i = ni;
    sa->nonce_r = nr;
    {
        // SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) with the old PRF; the rest as in 2.14 with the new one.
        SecureBytes skeyseed = crypto::rekey_skeyseed(*old.prf, old.keys.sk_d.view(), shared, ni, nr);
        sa->keys = crypto::ike_derive_keys(*sa->prf, skeyseed.view(), ni, nr, sa->spi_i, sa->spi_r,
                                           sa->crypter->integ_key_size(), sa->crypter->encr_key_size());
    }
    LOG_SECRET(Protocol, "(%u): rekeyed SK_d %s", old.unique_id, to_hex(sa->keys.sk_d.view()).c_str());

    sa->unique_id = old.unique_id;  // the same session
    sa->state = IkeSaState::Established;
    sa->local = old.local;
    sa->remote = old.remote;
    sa->init_remote = old.remote;
    sa->nat_local = old.nat_local;
    sa->nat_remote = old.nat_remote;
    sa->peer_fragmentation = old.peer_fragmentation;
    sa->peer_cisco_fragmentation = old.peer_cisco_fragmentation;
    sa->peer_is_anyconnect = old.peer_is_anyconnect;
    sa->mobike = old.mobike;
    sa->peer_signature_hashes = old.peer_signature_hashes;
    sa->peer_redirect_supported = old.peer_redirect_supported;  // RFC 5685: the session can still be redirected
    sa->peer_redirected_from = old.peer_redirected_from;
    // Message IDs restart at 0 in both directions on the new SA.
    sa->next_peer_request_id = 0;
    sa->next_own_request_id = 0;

    sa->peer_auth = old.peer_auth;
    sa->peer_id_body = old.peer_id_body;
    sa->peer_id = old.peer_id;
    sa->own_id_body = old.own_id_body;
    sa->own_id = old.own_id;
    sa->eap_succeeded = old.eap_succeeded;
    sa->username = old.username;
    sa->client_services_token = SecureBytes(old.client_services_token.view());  // the same session
    sa->group = old.group;
    sa->client_version = old.client_version;
    sa->auth_sign = old.auth_sign;
    sa->auth_verify = old.auth_verify;

    // The lease and the Child SAs now belong to the successor: releasing the old SA when
    // the peer deletes it must leave them alone.
    sa->assigned_address = old.assigned_address;
    sa->pool = old.pool;
    old.assigned_address.reset();
    sa->assigned_address6 = old.assigned_address6;
    sa->pool6 = old.pool6;
    old.assigned_address6.reset();
    sa->children = std::move(old.children);
    old.children.clear();

    const std::uint64_t now = ctx.now_ms();
    sa->created_ms = now;
    sa->established_ms = now;
    sa->established_unix = ctx.now_unix();
    sa->last_peer_activity_ms = now;
    sa->next_dpd_ms = now + ctx.config->dpd.interval_s * 1000ull;
    sa->esp_bytes_in_seen = old.esp_bytes_in_seen;
    sa->lifetime_s = old.lifetime_s;
    sa->limits = old.limits;  // a rekey does not restart the session's clocks
    if (old.radius) sa->radius = std::make_unique<RadiusGrant>(*old.radius);
    return sa;
}

ExchangeResult rekey_ike(GatewayContext& ctx, IkeSa& sa, const std::vector<wire::Payload>& request,
                         const wire::SaPayload& offered, const wire::NoncePayload& ni, std::unique_ptr<IkeSa>* new_ike_sa) {
    if (new_ike_sa == nullptr) return refuse(NotifyType::NO_ADDITIONAL_SAS);
    const auto* ke = find_payload<wire::KePayload>(request, PayloadType::KE);
    if (!ke) return refuse(NotifyType::INVALID_SYNTAX);

    // select_ike_proposal expects IKE_SA_INIT's empty SPIs: offer it the proposals with
    // a valid 8-byte SPI, stripped of it, and find the SPI again by proposal number.
    wire::SaPayload stripped;
    for (const auto& p : offered.proposals) {
        if (p.protocol != ProtocolId::IKE || p.spi.size() != 8) continue;
        stripped.proposals.push_back(p);
        stripped.proposals.back().spi.clear();
    }
    const auto ke_group = static_cast<iana::DhGroup>(ke->group);
    IkeChoice choice = select_ike_proposal(ctx.config->ike_policies, stripped, ke_group,
                                           ctx.config->global.proposal_selection == config::ProposalSelection::Admin);
    if (!choice.proposal) {
        if (choice.ke_group_wanted) {
            LOG_EXCH(Protocol, "(%u): IKE SA rekey: KE group %s, asking for %s", sa.unique_id, iana::name(ke_group).c_str(),
                     iana::name(*choice.ke_group_wanted).c_str());
            return refuse(NotifyType::INVALID_KE_PAYLOAD, u16_bytes(static_cast<std::uint16_t>(*choice.ke_group_wanted)));
        }
        LOG_EXCH(Protocol, "(%u): no acceptable IKE proposal to rekey the IKE SA", sa.unique_id);
        return refuse(NotifyType::NO_PROPOSAL_CHOSEN);
    }
    auto chosen = std::find_if(offered.proposals.begin(), offered.proposals.end(), [&](const wire::Proposal& p) {
        return p.number == choice.proposal->number && p.protocol == ProtocolId::IKE && p.spi.size() == 8;
    });
    const std::uint64_t peer_spi = load_be64(chosen->spi);
    if (peer_spi == 0) return refuse(NotifyType::INVALID_SYNTAX);

    std::string why;
    auto dh = complete_key_exchange(*ke, why);
    if (!dh) {
        LOG_EXCH(Protocol, "(%u): IKE SA rekey: %s", sa.unique_id, why.c_str());
        return refuse(NotifyType::INVALID_SYNTAX);
    }
    const Bytes nr = crypto::random_nonce(kNonceSize);
    auto successor = make_successor(ctx, sa, choice, peer_spi, ni.data, nr, dh->shared.view());
    if (!successor) return refuse(NotifyType::NO_PROPOSAL_CHOSEN);
    LOG_EXCH(Protocol, "(%u): IKE SA rekeyed: SPIs %016llx/%016llx -> %016llx/%016llx, %s-%u/%s/%s/%s", sa.unique_id,
             static_cast<unsigned long long>(sa.spi_i), static_cast<unsigned long long>(sa.spi_r),
             static_cast<unsigned long long>(successor->spi_i), static_cast<unsigned long long>(successor->spi_r),
             iana::name(choice.algs.encr).c_str(), choice.algs.encr_key_bits, iana::name(choice.algs.integ).c_str(),
             iana::name(choice.algs.prf).c_str(), iana::name(choice.algs.dh).c_str());

    ExchangeResult r;
    wire::Proposal answer = *choice.proposal;
    answer.spi = u64_bytes(successor->spi_r);
    r.payloads.push_back({PayloadType::SA, false, wire::SaPayload{{std::move(answer)}}});
    r.payloads.push_back({PayloadType::Nonce, false, wire::NoncePayload{nr}});
    r.payloads.push_back(ke_payload(*dh->kex));
    *new_ike_sa = std::move(successor);
    return r;
}

}  // namespace

ExchangeResult handle_create_child(GatewayContext& ctx, IkeSa& sa, const std::vector<wire::Payload>& request,
                                   std::unique_ptr<IkeSa>* new_ike_sa) {
    const auto* offered = find_payload<wire::SaPayload>(request, PayloadType::SA);
    const auto* ni = find_payload<wire::NoncePayload>(request, PayloadType::Nonce);
    if (!offered || offered->proposals.empty() || !ni || !nonce_ok(*ni)) {
        LOG_EXCH(Protocol, "(%u): CREATE_CHILD_SA without a usable SA or Nonce payload", sa.unique_id);
        return refuse(NotifyType::INVALID_SYNTAX);
    }
    // RFC 7296 1.3.2: an SA payload of protocol IKE rekeys the IKE SA.
    if (offered->proposals.front().protocol == ProtocolId::IKE) return rekey_ike(ctx, sa, request, *offered, *ni, new_ike_sa);
    if (const auto* rekey = find_notify(request, NotifyType::REKEY_SA)) return rekey_child(ctx, sa, request, *rekey, *offered, *ni);
    // A remote-access client gets one tunnel (with its one address): a new Child SA only
    // when it has none left.
    return handle_new_child(ctx, sa, request, *offered, *ni);
}

}  // namespace ikev2d::ike
