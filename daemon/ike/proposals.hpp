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

// admin_order: config::GlobalConfig::proposal_selection == Admin (see there).
IkeChoice select_ike_proposal(const std::vector<config::IkePolicy>& policies, const wire::SaPayload& offered,
                              iana::DhGroup ke_group, bool admin_order = false);

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

// For the Child SA of IKE_AUTH, `with_pfs` is false: DH transforms are ignored (RFC 7296
// 1.2). With `with_pfs` true it is select_child_proposal without a KE payload or IKE groups.
std::optional<EspChoice> select_esp_proposal(const std::vector<const config::IpsecProposal*>& proposals,
                                             const wire::SaPayload& offered, bool with_pfs, bool admin_order = false);

// ---- Child SAs of CREATE_CHILD_SA: ESP with PFS (issue 15) ----
struct ChildPfsContext {
    // The groups PFS may use when an IPsec proposal has no pfs_groups: the IKE SA's own
    // group first, then those of the IKE policies in their order.
    std::vector<iana::DhGroup> ike_groups;
    std::optional<iana::DhGroup> ke_group;  // of the request's KE payload, if any
    bool admin_order = false;               // proposal_selection = admin
};

struct EspOutcome {
    std::optional<EspChoice> choice;
    // No choice, but a proposal was acceptable with this DH group had the KE been of it:
    // answer INVALID_KE_PAYLOAD naming it (RFC 7296 1.3). Neither: NO_PROPOSAL_CHOSEN.
    std::optional<iana::DhGroup> ke_group_wanted;
};

// Our IPsec proposals in order, against the client's; each proposal's `pfs` decides what
// its DH transforms may do (config::PfsPolicy). A proposal whose PFS group is the KE's
// is preferred to asking for another group with INVALID_KE_PAYLOAD.
EspOutcome select_child_proposal(const std::vector<const config::IpsecProposal*>& proposals,
                                 const wire::SaPayload& offered, const ChildPfsContext& pfs);
// ---- end Child SAs of CREATE_CHILD_SA ----

}  // namespace ikev2d::ike
