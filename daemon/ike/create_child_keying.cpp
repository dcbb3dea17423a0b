#include "ike/create_child_keying.hpp"

#include <algorithm>

#include "ike/payload_helpers.hpp"
#include "ike/session_policy.hpp"
#include "util/log.hpp"

namespace ikev2d::ike {

ExchangeResult refuse(iana::NotifyType type, Bytes data) {
    ExchangeResult r;
    r.payloads.push_back(notify_payload(type, std::move(data)));
    return r;
}
namespace {

// The groups PFS may use when an IPsec proposal lists none: the IKE SA's own (which
// the client is known to do), then those of the IKE policies in priority order.
std::vector<iana::DhGroup> ike_groups(const config::Config& cfg, const IkeSa& sa) {
    std::vector<iana::DhGroup> out;
    if (sa.algs.dh != iana::DhGroup::NONE) out.push_back(sa.algs.dh);
    for (const auto& policy : cfg.ike_policies)
        for (iana::DhGroup g : policy.groups)
            if (std::find(out.begin(), out.end(), g) == out.end()) out.push_back(g);
    return out;
}

}  // namespace

std::optional<KeyExchangeOutcome> complete_key_exchange(const wire::KePayload& ke, std::string& why) {
    const auto group = static_cast<iana::DhGroup>(ke.group);
    if (ke.data.size() != crypto::KeyExchange::public_size(group)) {
        why = "KE payload has the wrong length for " + iana::name(group);
        return std::nullopt;
    }
    KeyExchangeOutcome out;
    out.kex = crypto::KeyExchange::create(group);
    if (!out.kex) {
        why = "KE group " + iana::name(group) + " not supported";
        return std::nullopt;
    }
    try {
        out.shared = out.kex->shared_secret(ke.data);
    } catch (const std::exception& e) {
        why = std::string("invalid KE public value: ") + e.what();
        return std::nullopt;
    }
    return out;
}

wire::Payload ke_payload(const crypto::KeyExchange& kex) {
    ByteView pub = kex.public_value();
    return {iana::PayloadType::KE, false,
            wire::KePayload{static_cast<std::uint16_t>(kex.group()), Bytes(pub.begin(), pub.end())}};
}

std::vector<const config::IpsecProposal*> ipsec_proposals_for(const config::Config& cfg, const IkeSa& sa) {
    return ipsec_proposals_of(cfg, cfg.group(sa.group));
}

ChildKeying negotiate_child_keying(const GatewayContext& ctx, const IkeSa& sa, const wire::SaPayload& offered,
                                   const wire::KePayload* ke, const char* what) {
    ChildKeying out;
    ChildPfsContext pfs;
    pfs.ike_groups = ike_groups(*ctx.config, sa);
    if (ke) pfs.ke_group = static_cast<iana::DhGroup>(ke->group);
    pfs.admin_order = ctx.config->global.proposal_selection == config::ProposalSelection::Admin;
    EspOutcome selected = select_child_proposal(ipsec_proposals_for(*ctx.config, sa), offered, pfs);
    if (!selected.choice) {
        if (selected.ke_group_wanted) {
            LOG_EXCH(Protocol, "(%u): %s: KE group %s, PFS group %s wanted", sa.unique_id, what,
                     ke ? iana::name(static_cast<iana::DhGroup>(ke->group)).c_str() : "(none)",
                     iana::name(*selected.ke_group_wanted).c_str());
            out.refusal = iana::NotifyType::INVALID_KE_PAYLOAD;
            out.refusal_data = u16_bytes(static_cast<std::uint16_t>(*selected.ke_group_wanted));
        } else {
            LOG_EXCH(Protocol, "(%u): %s: no acceptable ESP proposal", sa.unique_id, what);
            out.refusal = iana::NotifyType::NO_PROPOSAL_CHOSEN;
        }
        return out;
    }
    if (selected.choice->pfs != iana::DhGroup::NONE) {
        // select_child_proposal takes a PFS group only when it is the KE payload's.
        std::string why;
        out.dh = complete_key_exchange(*ke, why);
        if (!out.dh) {
            LOG_EXCH(Protocol, "(%u): %s: %s", sa.unique_id, what, why.c_str());
            out.refusal = iana::NotifyType::INVALID_SYNTAX;
            return out;
        }
    }
    out.esp = std::move(selected.choice);
    return out;
}

}  // namespace ikev2d::ike
