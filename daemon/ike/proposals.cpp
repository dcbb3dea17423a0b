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

}  // namespace

IkeChoice select_ike_proposal(const std::vector<config::IkePolicy>& policies, const wire::SaPayload& offered,
                              iana::DhGroup ke_group) {
    IkeChoice choice;
    for (const auto& policy : policies) {
        for (const auto& prop : offered.proposals) {
            if (prop.protocol != iana::ProtocolId::IKE || !prop.spi.empty() || !only_understood_transforms(prop)) continue;
            auto encr = pick_encr(policy.encryption, prop);
            if (!encr) continue;
            auto prf = pick(policy.prf, prop, TransformType::PRF);
            if (!prf) continue;
            std::optional<iana::IntegId> integ = iana::IntegId::NONE;
            if (is_aead(encr->id)) {
                if (!integ_ok_for_aead(prop)) continue;
            } else {
                integ = pick(policy.integrity, prop, TransformType::INTEG);
                if (!integ) continue;
            }
            // Prefer the group the client already sent a KE for, when this policy allows it.
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
            }
            if (!dh) continue;

            wire::Proposal answer;
            answer.number = prop.number;
            answer.protocol = iana::ProtocolId::IKE;
            answer.transforms.push_back(encr_transform(*encr));
            answer.transforms.push_back(make_transform(TransformType::PRF, static_cast<std::uint16_t>(*prf)));
            if (*integ != iana::IntegId::NONE)
                answer.transforms.push_back(make_transform(TransformType::INTEG, static_cast<std::uint16_t>(*integ)));
            answer.transforms.push_back(make_transform(TransformType::DH, static_cast<std::uint16_t>(*dh)));
            choice.proposal = std::move(answer);
            choice.algs = IkeAlgorithms{encr->id, encr->key_bits, *integ, *prf, *dh};
            choice.lifetime_s = policy.lifetime_seconds;
            choice.ke_group_wanted.reset();
            return choice;
        }
    }
    return choice;
}

std::optional<EspChoice> select_esp_proposal(const std::vector<const config::IpsecProposal*>& proposals,
                                             const wire::SaPayload& offered, bool with_pfs) {
    for (const config::IpsecProposal* conf : proposals) {
        for (const auto& prop : offered.proposals) {
            if (prop.protocol != iana::ProtocolId::ESP || prop.spi.size() != 4 || !only_understood_transforms(prop)) continue;
            auto encr = pick_encr(conf->encryption, prop);
            if (!encr) continue;
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
            iana::DhGroup pfs = iana::DhGroup::NONE;
            if (with_pfs && offered_has(prop, TransformType::DH)) {
                auto g = pick(conf->pfs_groups, prop, TransformType::DH);
                if (!g) {
                    bool none_ok = std::any_of(prop.transforms.begin(), prop.transforms.end(), [](const wire::Transform& t) {
                        return t.type == TransformType::DH && t.id == 0;
                    });
                    if (!none_ok) continue;
                } else {
                    pfs = *g;
                }
            }
            EspChoice c;
            c.peer_spi = load_be32(prop.spi);
            c.encr = encr->id;
            c.key_bits = encr->key_bits;
            c.integ = *integ;
            c.esn = esn;
            c.pfs = pfs;
            c.lifetime_s = conf->lifetime_seconds;
            c.lifetime_kbytes = conf->lifetime_kbytes;
            c.proposal.number = prop.number;
            c.proposal.protocol = iana::ProtocolId::ESP;
            c.proposal.transforms.push_back(encr_transform(*encr));
            if (*integ != iana::IntegId::NONE)
                c.proposal.transforms.push_back(make_transform(TransformType::INTEG, static_cast<std::uint16_t>(*integ)));
            if (pfs != iana::DhGroup::NONE)
                c.proposal.transforms.push_back(make_transform(TransformType::DH, static_cast<std::uint16_t>(pfs)));
            if (offered_has(prop, TransformType::ESN))
                c.proposal.transforms.push_back(make_transform(TransformType::ESN, static_cast<std::uint16_t>(esn ? 1 : 0)));
            return c;
        }
    }
    return std::nullopt;
}

}  // namespace ikev2d::ike
