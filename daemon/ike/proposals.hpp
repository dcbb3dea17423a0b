// Proposal selection: the client's SA payload against the configured IKE policies
// (IKE_SA_INIT) or IPsec proposals (Child SAs). The gateway's order of preference wins,
// like the ASA's numbered `crypto ikev2 policy` entries.
#pragma once

#include <optional>
#include <vector>

#include "config/config.hpp"
#include "ike/ike_sa.hpp"
#include "wire/payloads.hpp"

namespace ikev2d::ike {

struct IkeChoice {
    std::optional<wire::Proposal> proposal;  // the single proposal to answer with
    IkeAlgorithms algs;
    std::uint32_t lifetime_s = 0;  // of the matched policy
    // Set when a proposal matched except for the KE payload's group: answer
    // INVALID_KE_PAYLOAD naming this group.
    std::optional<iana::DhGroup> ke_group_wanted;
};

IkeChoice select_ike_proposal(const std::vector<config::IkePolicy>& policies, const wire::SaPayload& offered,
                              iana::DhGroup ke_group);

struct EspChoice {
    wire::Proposal proposal;  // to answer with; spi = our inbound SPI is filled in by the caller
    std::uint32_t peer_spi = 0;
    iana::EncrId encr{};
    std::uint16_t key_bits = 0;
    iana::IntegId integ = iana::IntegId::NONE;
    bool esn = false;
    iana::DhGroup pfs = iana::DhGroup::NONE;
    std::uint32_t lifetime_s = 0;        // from the matched IPsec proposal
    std::uint64_t lifetime_kbytes = 0;
};

// For the Child SA of IKE_AUTH, `with_pfs` is false: DH transforms are ignored.
std::optional<EspChoice> select_esp_proposal(const std::vector<const config::IpsecProposal*>& proposals,
                                             const wire::SaPayload& offered, bool with_pfs);

}  // namespace ikev2d::ike
