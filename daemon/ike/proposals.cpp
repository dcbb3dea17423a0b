#include "ike/proposals.hpp"

#include <algorithm>

#include "crypto/algorithms.hpp"
#include "crypto/key_exchange.hpp"
#include "ike/payload_helpers.hpp"

namespace ikev2d::ike {
namespace {

using iana::TransformType;

// RFC 7296 3.3.6: a proposal with a transform type the responder does not understand
// (only ENCR, PRF, INTEG, DH and ESN are defined in it) is unacceptable as a whole.
bool only_understood_transforms(const wire::Proposal& p) {
    return std::all_of(p.transforms.begin(), p.transforms.end(), [](const wire::Transform& t) {
        const auto type = static_cast<unsigned>(t.type);
        return type >= static_cast<unsigned>(TransformType::ENCR) && type <= static_cast<unsigned>(TransformType::ESN);
    });
}

bool offered_has(const wire::Proposal& p, TransformType t) {
    return std::any_of(p.transforms.begin(), p.transforms.end(), [t](const wire::Transform& x) { return x.type == t; });
}

// The key length a transform carries, or the algorithm's fixed one.
bool encr_matches(const config::EncrSpec& want, const wire::Transform& t) {
    if (t.type != TransformType::ENCR || t.has_unknown_attribute) return false;
    if (static_cast<iana::EncrId>(t.id) != want.id) return false;
    const crypto::EncrInfo* info = crypto::encr_info(want.id);
    if (info == nullptr) return false;
    if (info->key_length_attribute) return t.key_length && *t.key_length == want.key_bits;
    return !t.key_length || *t.key_length == want.key_bits;
}

wire::Transform encr_transform(const config::EncrSpec& e) {
    wire::Transform t = make_transform(TransformType::ENCR, static_cast<std::uint16_t>(e.id));
    const crypto::EncrInfo* info = crypto::encr_info(e.id);
    if (info && info->key_length_attribute) t.key_length = e.key_bits;
    return t;
}

template <class Id>
std::optional<Id> pick(const std::vector<Id>& preference, const wire::Proposal& p, TransformType type) {
    for (Id want : preference)
        for (const auto& t : p.transforms)
            if (t.type == type && !t.has_unknown_attribute && t.id == static_cast<std::uint16_t>(want)) return want;
    return std::nullopt;
}

std::optional<config::EncrSpec> pick_encr(const std::vector<config::EncrSpec>& preference, const wire::Proposal& p) {
    for (const auto& want : preference)
        for (const auto& t : p.transforms)
            if (encr_matches(want, t)) return want;
    return std::nullopt;
}

bool is_aead(iana::EncrId id) {
    const crypto::EncrInfo* info = crypto::encr_info(id);
    return info && info->aead;
}

// An AEAD cipher takes no integrity transform, or only NONE (RFC 5282 section 8).
bool integ_ok_for_aead(const wire::Proposal& p) {
    for (const auto& t : p.transforms)
        if (t.type == TransformType::INTEG && t.id != static_cast<std::uint16_t>(iana::IntegId::NONE)) return false;
    return true;
}

// The (client proposal, our cipher) pairs to try under one policy or IPsec proposal, in
// the order of preference: the client's proposals in its order, each with the first of
// our ciphers it offers; with admin order our ciphers in order, each with the client's
// proposals that offer it.
std::vector<std::pair<const wire::Proposal*, config::EncrSpec>> cipher_candidates(
    const std::vector<config::EncrSpec>& ours, const wire::SaPayload& offered, bool admin_order) {
    std::vector<std::pair<const wire::Proposal*, config::EncrSpec>> out;
    if (!admin_order) {
        for (const auto& prop : offered.proposals)
            if (auto e = pick_encr(ours, prop)) out.emplace_back(&prop, *e);
        return out;
    }
    for (const auto& want : ours)
        for (const auto& prop : offered.proposals)
            if (std::any_of(prop.transforms.begin(), prop.transforms.end(),
                            [&want](const wire::Transform& t) { return encr_matches(want, t); }))
                out.emplace_back(&prop, want);
    return out;
}

}  // namespace

IkeChoice select_ike_proposal(const std::vector<config::IkePolicy>& policies, const wire::SaPayload& offered,
                              iana::DhGroup ke_group, bool admin_order) {
    IkeChoice choice;
    for (const auto& policy : policies) {
        for (const auto& [prop_ptr, encr] : cipher_candidates(policy.encryption, offered, admin_order)) {
            const wire::Proposal& prop = *prop_ptr;
            if (prop.protocol != iana::ProtocolId::IKE || !prop.spi.empty() || !only_understood_transforms(prop)) continue;
            auto prf = pick(policy.prf, prop, TransformType::PRF);
            if (!prf) continue;
            std::optional<iana::IntegId> integ = iana::IntegId::NONE;
            if (is_aead(encr.id)) {
                if (!integ_ok_for_aead(prop)) continue;
            } else {
                integ = pick(policy.integrity, prop, TransformType::INTEG);
                if (!integ) continue;
            }
            // Client order: the group the client already sent a KE for, when this policy
            // allows it. Admin order: the policy's first group the client offers.
            std::optional<iana::DhGroup> dh;
            for (iana::DhGroup g : policy.groups) {
                if (!crypto::KeyExchange::supported(g)) continue;
                bool in_offer = std::any_of(prop.transforms.begin(), prop.transforms.end(), [g](const wire::Transform& t) {
                    return t.type == TransformType::DH && t.id == static_cast<std::uint16_t>(g);
                });
                if (!in_offer) continue;
                if (g == ke_group) {
                    dh = g;
                    break;
                }
                if (!choice.ke_group_wanted) choice.ke_group_wanted = g;
                if (admin_order) return choice;  // the admin's first combination wants another KE
            }
            if (!dh) continue;

            wire::Proposal answer;
            answer.number = prop.number;
            answer.protocol = iana::ProtocolId::IKE;
            answer.transforms.push_back(encr_transform(encr));
            answer.transforms.push_back(make_transform(TransformType::PRF, static_cast<std::uint16_t>(*prf)));
            if (*integ != iana::IntegId::NONE)
                answer.transforms.push_back(make_transform(TransformType::INTEG, static_cast<std::uint16_t>(*integ)));
            answer.transforms.push_back(make_transform(TransformType::DH, static_cast<std::uint16_t>(*dh)));
            choice.proposal = std::move(answer);
            choice.algs = IkeAlgorithms{encr.id, encr.key_bits, *integ, *prf, *dh};
            choice.lifetime_s = policy.lifetime_seconds;
            choice.ke_group_wanted.reset();
            return choice;
        }
    }
    return choice;
}

namespace {

// What a client's ESP proposal gets for its DH transforms.
struct PfsDecision {
    enum class Kind { Take, Want, Unacceptable } kind = Kind::Unacceptable;
    iana::DhGroup group = iana::DhGroup::NONE;  // Take: the PFS group (NONE = no PFS); Want: the group to ask for
};

// `pfs` is nullptr for IKE_AUTH's Child SA: DH transforms are ignored (RFC 7296 1.2).
PfsDecision decide_pfs(const config::IpsecProposal& conf, const wire::Proposal& prop, const ChildPfsContext* pfs) {
    using Kind = PfsDecision::Kind;
    if (pfs == nullptr) return {Kind::Take, iana::DhGroup::NONE};
    bool has_dh = false, none_offered = false;
    std::vector<iana::DhGroup> offered;
    for (const auto& t : prop.transforms) {
        if (t.type != TransformType::DH) continue;
        has_dh = true;
        if (t.has_unknown_attribute) continue;
        if (t.id == 0) none_offered = true;
        else offered.push_back(static_cast<iana::DhGroup>(t.id));
    }
    if (!has_dh) return conf.pfs == config::PfsPolicy::Require ? PfsDecision{} : PfsDecision{Kind::Take, iana::DhGroup::NONE};
    if (conf.pfs == config::PfsPolicy::Refuse) return none_offered ? PfsDecision{Kind::Take, iana::DhGroup::NONE} : PfsDecision{};
    // The allowed groups the client offers, in our order of preference.
    const auto& allowed = conf.pfs_groups.empty() ? pfs->ike_groups : conf.pfs_groups;
    std::vector<iana::DhGroup> usable;
    for (iana::DhGroup g : allowed)
        if (crypto::KeyExchange::supported(g) && std::find(offered.begin(), offered.end(), g) != offered.end() &&
            std::find(usable.begin(), usable.end(), g) == usable.end())
            usable.push_back(g);
    const bool ke_usable = pfs->ke_group && std::find(usable.begin(), usable.end(), *pfs->ke_group) != usable.end();
    // Admin order: the KE must be of our first usable group.
    if (ke_usable && (!pfs->admin_order || *pfs->ke_group == usable.front())) return {Kind::Take, *pfs->ke_group};
    // PFS optional for both: without it, rather than a round trip for another group.
    if (none_offered && conf.pfs == config::PfsPolicy::Accept && !ke_usable) return {Kind::Take, iana::DhGroup::NONE};
    if (!usable.empty()) return {Kind::Want, usable.front()};
    return {};
}

EspOutcome select_esp(const std::vector<const config::IpsecProposal*>& proposals, const wire::SaPayload& offered,
                      const ChildPfsContext* pfs, bool admin_order) {
    EspOutcome out;
    for (const config::IpsecProposal* conf : proposals) {
        for (const auto& [prop_ptr, encr_spec] : cipher_candidates(conf->encryption, offered, admin_order)) {
            const wire::Proposal& prop = *prop_ptr;
            const config::EncrSpec* encr = &encr_spec;
            if (prop.protocol != iana::ProtocolId::ESP || prop.spi.size() != 4 || !only_understood_transforms(prop)) continue;
            std::optional<iana::IntegId> integ = iana::IntegId::NONE;
            if (is_aead(encr->id)) {
                if (!integ_ok_for_aead(prop)) continue;
            } else {
                integ = pick(conf->integrity, prop, TransformType::INTEG);
                if (!integ) continue;
            }
            // ESN: the transform is mandatory for ESP; take ESN only when configured.
            bool esn = false;
            if (offered_has(prop, TransformType::ESN)) {
                std::vector<iana::EsnId> pref = conf->esn ? std::vector<iana::EsnId>{iana::EsnId::ESN, iana::EsnId::NO_ESN}
                                                          : std::vector<iana::EsnId>{iana::EsnId::NO_ESN};
                auto e = pick(pref, prop, TransformType::ESN);
                if (!e) continue;
                esn = *e == iana::EsnId::ESN;
            }
            const PfsDecision dh = decide_pfs(*conf, prop, pfs);
            if (dh.kind == PfsDecision::Kind::Unacceptable) continue;
            if (dh.kind == PfsDecision::Kind::Want) {
                if (!out.ke_group_wanted) out.ke_group_wanted = dh.group;
                if (admin_order) return out;  // the admin's first combination wants another KE
                continue;                     // another proposal may take the KE as it is
            }
            EspChoice c;
            c.peer_spi = load_be32(prop.spi);
            c.encr = encr->id;
            c.key_bits = encr->key_bits;
            c.integ = *integ;
            c.esn = esn;
            c.pfs = dh.group;
            c.lifetime_s = conf->lifetime_seconds;
            c.lifetime_kbytes = conf->lifetime_kbytes;
            c.proposal.number = prop.number;
            c.proposal.protocol = iana::ProtocolId::ESP;
            c.proposal.transforms.push_back(encr_transform(*encr));
            if (*integ != iana::IntegId::NONE)
                c.proposal.transforms.push_back(make_transform(TransformType::INTEG, static_cast<std::uint16_t>(*integ)));
            if (c.pfs != iana::DhGroup::NONE)
                c.proposal.transforms.push_back(make_transform(TransformType::DH, static_cast<std::uint16_t>(c.pfs)));
            if (offered_has(prop, TransformType::ESN))
                c.proposal.transforms.push_back(make_transform(TransformType::ESN, static_cast<std::uint16_t>(esn ? 1 : 0)));
            out.choice = std::move(c);
            out.ke_group_wanted.reset();
            return out;
        }
    }
    return out;
}

}  // namespace

std::optional<EspChoice> select_esp_proposal(const std::vector<const config::IpsecProposal*>& proposals,
                                             const wire::SaPayload& offered, bool with_pfs, bool admin_order) {
    ChildPfsContext no_ke;
    no_ke.admin_order = admin_order;
    return select_esp(proposals, offered, with_pfs ? &no_ke : nullptr, admin_order).choice;
}

EspOutcome select_child_proposal(const std::vector<const config::IpsecProposal*>& proposals,
                                 const wire::SaPayload& offered, const ChildPfsContext& pfs) {
    return select_esp(proposals, offered, &pfs, pfs.admin_order);
}

}  // namespace ikev2d::ike
