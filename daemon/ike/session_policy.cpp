#include "ike/session_policy.hpp"

#include <algorithm>

#include "config/psk_identity.hpp"

namespace ikev2d::ike {

const config::GroupConfig* group_for_identity(const config::Config& cfg, std::string_view id) {
    if (const auto* g = group_of_user(cfg, id)) return g;
    if (const auto* g = group_of_psk_identity(cfg, id)) return g;
    if (const auto* g = cfg.group(cfg.default_group)) return g;
    return cfg.groups.empty() ? nullptr : &cfg.groups.front();
}

const config::GroupConfig* group_of_psk_identity(const config::Config& cfg, std::string_view id) {
    // Exact entries first; the loader lets at most one group's wildcards match.
    for (const bool wildcards : {false, true})
        for (const auto& group : cfg.groups)
            for (const auto& pattern : group.psk_identities)
                if (config::is_psk_identity_wildcard(pattern) == wildcards && config::psk_identity_matches(pattern, id))
                    return &group;
    return nullptr;
}

const config::GroupConfig* group_of_user(const config::Config& cfg, std::string_view user) {
    const auto* u = cfg.user(user);
    return u ? cfg.group(u->group) : nullptr;
}

const config::GroupConfig* group_after_eap(const config::Config& cfg, std::string_view user, iana::EapType method) {
    const config::GroupConfig* group = group_of_user(cfg, user);
    // EAP-TLS users need no [user] entry (the certificate is the credential): like
    // certificate clients, they get the group their identity picks.
    if (!group && method == iana::EapType::TLS) group = group_for_identity(cfg, user);
    if (!group || group->client_auth != config::ClientAuth::Eap) return nullptr;
    const auto& allowed = group->eap_methods;
    return std::find(allowed.begin(), allowed.end(), method) != allowed.end() ? group : nullptr;
}

bool same_user(const IkeSa& older, const IkeSa& fresh) {
    if (fresh.peer_auth == PeerAuth::Psk || fresh.peer_auth == PeerAuth::None) return false;
    if (older.peer_auth != fresh.peer_auth) return false;
    if (fresh.peer_auth == PeerAuth::Eap && !(older.eap_succeeded && fresh.eap_succeeded)) return false;
    return !fresh.username.empty() && older.username == fresh.username && older.group == fresh.group;
}

namespace {
config::ClientAuth client_auth_of(PeerAuth how) {
    switch (how) {
        case PeerAuth::Psk: return config::ClientAuth::Psk;
        case PeerAuth::Certificate: return config::ClientAuth::Certificate;
        default: return config::ClientAuth::Eap;
    }
}
}  // namespace

bool still_admitted(const config::Config& cfg, const IkeSa& sa) {
    if (sa.peer_auth == PeerAuth::None) return true;  // not authenticated yet: IKE_AUTH checks the new config
    // RADIUS users are not in the file: their group must still exist and still use RADIUS.
    if (sa.radius) {
        const config::GroupConfig* now = cfg.group(sa.group);
        return now != nullptr && now->radius_authentication;
    }
    // EAP: the authenticated user decides the group; PSK and certificates: the IDi, as in IKE_AUTH.
    const config::GroupConfig* now =
        sa.peer_auth != PeerAuth::Eap ? group_for_identity(cfg, sa.peer_id)
        : sa.eap_tls                  ? group_after_eap(cfg, sa.username, iana::EapType::TLS)
                                      : group_of_user(cfg, sa.username);
    return now != nullptr && now->name == sa.group && now->client_auth == client_auth_of(sa.peer_auth);
}

std::vector<IpPrefix> local_networks_of(const config::GroupConfig& group) {
    if (!group.local_networks.empty()) return group.local_networks;
    return {*IpPrefix::parse("0.0.0.0/0")};
}

std::vector<const config::IpsecProposal*> ipsec_proposals_of(const config::Config& cfg, const config::GroupConfig* group) {
    std::vector<const config::IpsecProposal*> out;
    if (group && !group->ipsec_proposal.empty()) {
        if (const auto* p = cfg.proposal(group->ipsec_proposal)) out.push_back(p);
        return out;
    }
    for (const auto& p : cfg.ipsec_proposals) out.push_back(&p);
    return out;
}

}  // namespace ikev2d::ike
