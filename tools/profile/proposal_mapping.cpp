#include "profile/proposal_mapping.hpp"

#include <algorithm>

namespace ikev2d::profile {
namespace {

using config::EncrSpec;
using iana::DhGroup;
using iana::EncrId;
using iana::IntegId;
using iana::PrfId;

template <class T>
void add_unique(std::vector<T>& list, const T& value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

// ---- strongSwan names (strongSwan's proposal keywords) ----
std::optional<std::string> strongswan_cipher(const EncrSpec& e) {
    const std::string bits = std::to_string(e.key_bits);
    switch (e.id) {
        case EncrId::AES_CBC: return "aes" + bits;
        case EncrId::AES_GCM_16: return "aes" + bits + "gcm16";
        case EncrId::AES_CCM_16: return "aes" + bits + "ccm16";
        case EncrId::CHACHA20_POLY1305: return std::string("chacha20poly1305");
        case EncrId::TRIPLE_DES: return std::string("3des");
        default: return std::nullopt;
    }
}

std::optional<std::string> strongswan_integrity(IntegId i) {
    switch (i) {
        case IntegId::HMAC_SHA1_96: return "sha1";
        case IntegId::HMAC_SHA2_256_128: return "sha256";
        case IntegId::HMAC_SHA2_384_192: return "sha384";
        case IntegId::HMAC_SHA2_512_256: return "sha512";
        case IntegId::HMAC_MD5_96: return "md5";
        default: return std::nullopt;
    }
}

std::optional<std::string> strongswan_prf(PrfId p) {
    switch (p) {
        case PrfId::HMAC_SHA1: return "prfsha1";
        case PrfId::HMAC_SHA2_256: return "prfsha256";
        case PrfId::HMAC_SHA2_384: return "prfsha384";
        case PrfId::HMAC_SHA2_512: return "prfsha512";
        case PrfId::HMAC_MD5: return "prfmd5";
        default: return std::nullopt;
    }
}

std::optional<std::string> strongswan_group(DhGroup g) {
    switch (g) {
        case DhGroup::MODP_768: return "modp768";
        case DhGroup::MODP_1024: return "modp1024";
        case DhGroup::MODP_1536: return "modp1536";
        case DhGroup::MODP_2048: return "modp2048";
        case DhGroup::MODP_3072: return "modp3072";
        case DhGroup::MODP_4096: return "modp4096";
        case DhGroup::MODP_6144: return "modp6144";
        case DhGroup::MODP_8192: return "modp8192";
        case DhGroup::ECP_256: return "ecp256";
        case DhGroup::ECP_384: return "ecp384";
        case DhGroup::ECP_521: return "ecp521";
        case DhGroup::CURVE25519: return "curve25519";
        case DhGroup::CURVE448: return "curve448";
        default: return std::nullopt;
    }
}

template <class T, class Name>
std::vector<std::string> names_of(const std::vector<T>& items, Name name) {
    std::vector<std::string> out;
    for (const auto& item : items)
        if (auto n = name(item)) add_unique(out, *n);
    return out;
}

std::string join(const std::vector<std::string>& parts, char sep) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : std::string(1, sep)) + p;
    return out;
}

// The groups a Child SA may use for PFS: the proposal's, else every IKE policy's.
std::vector<DhGroup> pfs_groups_of(const config::Config& config, const config::IpsecProposal& proposal) {
    if (!proposal.pfs_groups.empty()) return proposal.pfs_groups;
    std::vector<DhGroup> out;
    for (const auto& p : config.ike_policies)
        for (auto g : p.groups) add_unique(out, g);
    return out;
}

// ---- Apple names (Configuration Profile Reference, VPN.IKEv2.*SecurityAssociationParameters) ----
std::optional<std::string> apple_cipher(const EncrSpec& e) {
    if (e.id == EncrId::AES_CBC && e.key_bits == 128) return "AES-128";
    if (e.id == EncrId::AES_CBC && e.key_bits == 256) return "AES-256";
    if (e.id == EncrId::AES_GCM_16 && e.key_bits == 128) return "AES-128-GCM";
    if (e.id == EncrId::AES_GCM_16 && e.key_bits == 256) return "AES-256-GCM";
    if (e.id == EncrId::CHACHA20_POLY1305) return "ChaCha20Poly1305";
    if (e.id == EncrId::TRIPLE_DES) return "3DES";
    return std::nullopt;
}

std::optional<std::string> apple_integrity(IntegId i) {
    switch (i) {
        case IntegId::HMAC_SHA1_96: return "SHA1-96";
        case IntegId::HMAC_SHA2_256_128: return "SHA2-256";
        case IntegId::HMAC_SHA2_384_192: return "SHA2-384";
        case IntegId::HMAC_SHA2_512_256: return "SHA2-512";
        default: return std::nullopt;
    }
}

// Apple derives the PRF from IntegrityAlgorithm (also with AEAD ciphers, where it is only the PRF).
std::optional<std::string> apple_prf(PrfId p) {
    switch (p) {
        case PrfId::HMAC_SHA1: return "SHA1-160";
        case PrfId::HMAC_SHA2_256: return "SHA2-256";
        case PrfId::HMAC_SHA2_384: return "SHA2-384";
        case PrfId::HMAC_SHA2_512: return "SHA2-512";
        default: return std::nullopt;
    }
}

std::optional<PrfId> prf_of_integrity(IntegId i) {
    switch (i) {
        case IntegId::HMAC_SHA1_96: return PrfId::HMAC_SHA1;
        case IntegId::HMAC_SHA2_256_128: return PrfId::HMAC_SHA2_256;
        case IntegId::HMAC_SHA2_384_192: return PrfId::HMAC_SHA2_384;
        case IntegId::HMAC_SHA2_512_256: return PrfId::HMAC_SHA2_512;
        case IntegId::HMAC_MD5_96: return PrfId::HMAC_MD5;
        default: return std::nullopt;
    }
}

bool apple_group(DhGroup g) {
    switch (g) {
        case DhGroup::MODP_768: case DhGroup::MODP_1024: case DhGroup::MODP_1536: case DhGroup::MODP_2048:
        case DhGroup::MODP_3072: case DhGroup::MODP_4096: case DhGroup::MODP_6144: case DhGroup::MODP_8192:
        case DhGroup::ECP_256: case DhGroup::ECP_384: case DhGroup::ECP_521: case DhGroup::CURVE25519:
            return true;
        default: return false;
    }
}

std::uint32_t minutes(std::uint32_t seconds, std::uint32_t low, std::uint32_t high) {
    return std::clamp<std::uint32_t>(seconds / 60, low, high);
}

// ---- Windows names (VpnClient module, Set-VpnConnectionIPsecConfiguration) ----
std::optional<std::string> windows_cipher(const EncrSpec& e) {
    const std::string bits = std::to_string(e.key_bits);
    if (e.id == EncrId::AES_CBC) return "AES" + bits;
    if (e.id == EncrId::AES_GCM_16) return "GCMAES" + bits;
    if (e.id == EncrId::TRIPLE_DES) return std::string("DES3");
    return std::nullopt;
}

// -IntegrityCheckMethod (also the IKE PRF; with GCM only the PRF).
std::optional<std::string> windows_integrity_of_prf(PrfId p) {
    switch (p) {
        case PrfId::HMAC_SHA1: return "SHA1";
        case PrfId::HMAC_SHA2_256: return "SHA256";
        case PrfId::HMAC_SHA2_384: return "SHA384";
        case PrfId::HMAC_MD5: return "MD5";
        default: return std::nullopt;
    }
}

std::optional<std::string> windows_dh_group(DhGroup g) {
    switch (g) {
        case DhGroup::MODP_768: return "Group1";
        case DhGroup::MODP_1024: return "Group2";
        case DhGroup::MODP_2048: return "Group14";
        case DhGroup::ECP_256: return "ECP256";
        case DhGroup::ECP_384: return "ECP384";
        default: return std::nullopt;
    }
}

std::optional<std::string> windows_pfs_group(DhGroup g) {
    switch (g) {
        case DhGroup::MODP_768: return "PFS1";
        case DhGroup::MODP_1024: return "PFS2";
        case DhGroup::MODP_2048: return "PFS2048";
        case DhGroup::ECP_256: return "ECP256";
        case DhGroup::ECP_384: return "ECP384";
        default: return std::nullopt;
    }
}

// -AuthenticationTransformConstants for a non-AEAD cipher.
std::optional<std::string> windows_esp_integrity(IntegId i) {
    switch (i) {
        case IntegId::HMAC_SHA1_96: return "SHA196";
        case IntegId::HMAC_SHA2_256_128: return "SHA256128";
        case IntegId::HMAC_MD5_96: return "MD596";
        default: return std::nullopt;
    }
}

}  // namespace

std::vector<std::string> strongswan_ike_proposals(const config::Config& config) {
    // strongSwan refuses AEAD and other ciphers in one proposal (RFC 7296 3.3): two per policy.
    std::vector<std::string> out;
    for (const auto& policy : config.ike_policies) {
        std::vector<std::string> aead, cbc;
        for (const auto& e : policy.encryption)
            if (auto n = strongswan_cipher(e)) add_unique(e.is_aead() ? aead : cbc, *n);
        auto integrity = names_of(policy.integrity, strongswan_integrity);
        auto prfs = names_of(policy.prf, strongswan_prf);
        auto groups = names_of(policy.groups, strongswan_group);
        if (prfs.empty() || groups.empty()) continue;
        if (integrity.empty()) cbc.clear();
        for (auto* ciphers : {&aead, &cbc}) {
            if (ciphers->empty()) continue;
            std::vector<std::string> parts = *ciphers;
            if (ciphers == &cbc) parts.insert(parts.end(), integrity.begin(), integrity.end());
            parts.insert(parts.end(), prfs.begin(), prfs.end());
            parts.insert(parts.end(), groups.begin(), groups.end());
            add_unique(out, join(parts, '-'));
        }
    }
    if (out.empty()) throw ProfileError("no IKE policy of the configuration has algorithms strongSwan knows");
    return out;
}

std::vector<std::string> strongswan_esp_proposals(const config::Config& config, const config::IpsecProposal& proposal) {
    std::vector<std::string> aead, cbc;
    for (const auto& e : proposal.encryption)
        if (auto n = strongswan_cipher(e)) add_unique(e.is_aead() ? aead : cbc, *n);
    std::vector<std::string> suffix;
    if (proposal.pfs == config::PfsPolicy::Require) {
        suffix = names_of(pfs_groups_of(config, proposal), strongswan_group);
        if (suffix.empty()) throw ProfileError("ipsec_proposal '" + proposal.name + "' requires PFS with groups strongSwan does not know");
    }
    if (proposal.esn) suffix.push_back("esn");
    std::vector<std::string> out;
    if (!aead.empty()) {
        auto parts = aead;
        parts.insert(parts.end(), suffix.begin(), suffix.end());
        out.push_back(join(parts, '-'));
    }
    auto integrity = names_of(proposal.integrity, strongswan_integrity);
    if (!cbc.empty() && !integrity.empty()) {
        auto parts = cbc;
        parts.insert(parts.end(), integrity.begin(), integrity.end());
        parts.insert(parts.end(), suffix.begin(), suffix.end());
        out.push_back(join(parts, '-'));
    }
    if (out.empty()) throw ProfileError("ipsec_proposal '" + proposal.name + "' has no cipher strongSwan knows");
    return out;
}

AppleSaParameters apple_ike_parameters(const config::Config& config) {
    for (const auto& policy : config.ike_policies) {
        auto group = std::find_if(policy.groups.begin(), policy.groups.end(), apple_group);
        if (group == policy.groups.end()) continue;
        for (const auto& e : policy.encryption) {
            auto cipher = apple_cipher(e);
            if (!cipher) continue;
            if (e.is_aead()) {
                for (auto prf : policy.prf)
                    if (auto name = apple_prf(prf))
                        return {*cipher, *name, static_cast<int>(*group), minutes(policy.lifetime_seconds, 10, 1440)};
            } else {
                // The PRF Apple uses is the integrity algorithm's: the policy must allow both.
                for (auto integ : policy.integrity) {
                    auto name = apple_integrity(integ);
                    auto prf = prf_of_integrity(integ);
                    if (name && prf && std::find(policy.prf.begin(), policy.prf.end(), *prf) != policy.prf.end())
                        return {*cipher, *name, static_cast<int>(*group), minutes(policy.lifetime_seconds, 10, 1440)};
                }
            }
        }
    }
    throw ProfileError("no IKE policy of the configuration has a combination Apple devices can use "
                       "(AES-CBC/GCM-128/256, ChaCha20-Poly1305 or 3DES with SHA-1/SHA-2, MODP/ECP/Curve25519)");
}

AppleSaParameters apple_child_parameters(const config::Config& config, const config::IpsecProposal& proposal,
                                         bool& enable_pfs) {
    AppleSaParameters out;
    for (const auto& e : proposal.encryption) {
        auto cipher = apple_cipher(e);
        if (!cipher) continue;
        if (e.is_aead()) {
            out.encryption = *cipher;
            out.integrity = "SHA2-256";  // ignored with AEAD ciphers, but Apple wants a value
            break;
        }
        auto integ = std::find_if(proposal.integrity.begin(), proposal.integrity.end(),
                                  [](IntegId i) { return apple_integrity(i).has_value(); });
        if (integ != proposal.integrity.end()) {
            out.encryption = *cipher;
            out.integrity = *apple_integrity(*integ);
            break;
        }
    }
    if (out.encryption.empty())
        throw ProfileError("ipsec_proposal '" + proposal.name + "' has no combination Apple devices can use");
    out.lifetime_minutes = minutes(proposal.lifetime_seconds, 10, 1440);
    // The IKE SA's group for rekeys, unless the proposal limits PFS to others.
    const auto groups = pfs_groups_of(config, proposal);
    auto group = std::find_if(groups.begin(), groups.end(), apple_group);
    enable_pfs = proposal.pfs != config::PfsPolicy::Refuse && group != groups.end();
    if (proposal.pfs == config::PfsPolicy::Require && !enable_pfs)
        throw ProfileError("ipsec_proposal '" + proposal.name + "' requires PFS with groups Apple devices lack");
    out.dh_group = enable_pfs ? static_cast<int>(*group) : apple_ike_parameters(config).dh_group;
    return out;
}

WindowsIpsecConfiguration windows_ipsec_configuration(const config::Config& config,
                                                      const config::IpsecProposal& proposal) {
    WindowsIpsecConfiguration out;
    for (const auto& policy : config.ike_policies) {
        auto group = std::find_if(policy.groups.begin(), policy.groups.end(),
                                  [](DhGroup g) { return windows_dh_group(g).has_value(); });
        if (group == policy.groups.end()) continue;
        for (const auto& e : policy.encryption) {
            auto cipher = windows_cipher(e);
            if (!cipher) continue;
            // Windows negotiates the PRF of its IntegrityCheckMethod (the only hash it sends with GCM).
            for (auto prf : policy.prf) {
                auto name = windows_integrity_of_prf(prf);
                if (!name) continue;
                if (!e.is_aead()) {
                    auto integ = std::find_if(policy.integrity.begin(), policy.integrity.end(),
                                              [prf](IntegId i) { return prf_of_integrity(i) == prf; });
                    if (integ == policy.integrity.end()) continue;
                }
                out.encryption_method = *cipher;
                out.integrity_check_method = *name;
                out.dh_group = *windows_dh_group(*group);
                break;
            }
            if (!out.encryption_method.empty()) break;
        }
        if (!out.encryption_method.empty()) break;
    }
    if (out.encryption_method.empty())
        throw ProfileError("the configuration accepts no IKE proposal Windows can make: Windows needs AES-CBC/"
                           "AES-GCM (128/192/256) or 3DES, SHA-1/SHA-256/SHA-384/MD5 and group 14, ECP256 or ECP384 "
                           "(add such an [[ike_policy]])");
    for (const auto& e : proposal.encryption) {
        auto cipher = windows_cipher(e);
        if (!cipher) continue;
        if (e.is_aead()) {
            out.cipher_transform = out.authentication_transform = *cipher;
            break;
        }
        auto integ = std::find_if(proposal.integrity.begin(), proposal.integrity.end(),
                                  [](IntegId i) { return windows_esp_integrity(i).has_value(); });
        if (integ != proposal.integrity.end()) {
            out.cipher_transform = *cipher;
            out.authentication_transform = *windows_esp_integrity(*integ);
            break;
        }
    }
    if (out.cipher_transform.empty())
        throw ProfileError("ipsec_proposal '" + proposal.name + "' accepts no ESP proposal Windows can make: Windows "
                           "needs AES-GCM, or AES-CBC/3DES with SHA-1/SHA-256/MD5");
    out.pfs_group = "None";
    if (proposal.pfs != config::PfsPolicy::Refuse) {
        for (auto g : pfs_groups_of(config, proposal))
            if (auto name = windows_pfs_group(g)) {
                out.pfs_group = *name;
                break;
            }
        if (proposal.pfs == config::PfsPolicy::Require && out.pfs_group == "None")
            throw ProfileError("ipsec_proposal '" + proposal.name + "' requires PFS with groups Windows lacks "
                               "(Windows: modp1024, modp2048, ecp256, ecp384)");
    }
    return out;
}

const config::IpsecProposal& group_ipsec_proposal(const config::Config& config, const config::GroupConfig& group) {
    if (const auto* p = config.proposal(group.ipsec_proposal.empty() ? "default" : group.ipsec_proposal)) return *p;
    if (config.ipsec_proposals.empty()) throw ProfileError("the configuration has no ipsec_proposal");
    return config.ipsec_proposals.front();
}

}  // namespace ikev2d::profile
