#include "ike/child_negotiation.hpp"

#include "ike/address_lease.hpp"
#include "ike/child_install.hpp"
#include "ike/config_request.hpp"
#include "ike/payload_helpers.hpp"
#include "ike/session_policy.hpp"
#include "ike/proposals.hpp"
#include "ike/traffic_selectors.hpp"
#include "util/log.hpp"

namespace ikev2d::ike {

using iana::NotifyType;
using iana::PayloadType;

ExchangeResult negotiate_first_child(GatewayContext& ctx, IkeSa& sa, const config::GroupConfig& group,
                                     const std::vector<wire::Payload>& request, AfterFirstChild then) {
    FirstChild result;
    std::vector<wire::Payload>& out = result.payloads;
    const auto* sa_p = find_payload<wire::SaPayload>(request, PayloadType::SA);
    const auto* tsi = find_payload<wire::TsPayload>(request, PayloadType::TSi);
    const auto* tsr = find_payload<wire::TsPayload>(request, PayloadType::TSr);
    const auto* cp = find_payload<wire::CpPayload>(request, PayloadType::CP);
    if (!sa_p || !tsi || !tsr) {
        // A childless IKE SA (RFC 6023) is fine; nothing to install.
        return then(ctx, sa, std::move(result));
    }

    if (cp && cp->cfg_type == iana::CfgType::CFG_REQUEST) {
        auto reply = answer_config_request(ctx, sa, group, *cp);
        if (!reply) {
            out.push_back(notify_payload(NotifyType::INTERNAL_ADDRESS_FAILURE));
            return then(ctx, sa, std::move(result));
        }
        out.push_back(std::move(*reply));
    }

    auto esp = select_esp_proposal(ipsec_proposals_of(*ctx.config, &group), *sa_p, false,
                                   ctx.config->global.proposal_selection == config::ProposalSelection::Admin);
    if (!esp) {
        LOG_EXCH(Protocol, "(%u): no acceptable ESP proposal", sa.unique_id);
        out.clear();
        out.push_back(notify_payload(NotifyType::NO_PROPOSAL_CHOSEN));
        return then(ctx, sa, std::move(result));
    }
    auto narrowed = narrow_selectors(*tsi, *tsr, inner_addresses(sa), local_networks_of(group));
    if (!narrowed) {
        LOG_EXCH(Protocol, "(%u): traffic selectors unacceptable", sa.unique_id);
        out.clear();
        out.push_back(notify_payload(NotifyType::TS_UNACCEPTABLE));
        return then(ctx, sa, std::move(result));
    }
    // The kernel's part runs on the kernel lane (child_install.hpp); the answer is made here after it.
    return install_child_sa(
        ctx, sa, *esp, *narrowed, sa.nonce_i, sa.nonce_r, {},
        [result = std::move(result), esp = *esp, narrowed = *narrowed, then = std::move(then)](
            GatewayContext& ctx, IkeSa& sa, InstalledChild installed) mutable {
            std::vector<wire::Payload>& out = result.payloads;
            try {
                ChildSa child = installed.take();
                esp.proposal.spi = u32_bytes(child.spi_in);
                sa.children.push_back(child);
                LOG_EXCH(Platform, "(%u): Child SA installed, ESP spi in/out 0x%08x/0x%08x, %s <-> %s", sa.unique_id,
                         child.spi_in, child.spi_out, to_string(child.local_ts).c_str(),
                         to_string(child.remote_ts).c_str());
            } catch (const SelectorsInUse& e) {
                LOG_EXCH(Protocol, "(%u): traffic selectors in use by another Child SA: %s", sa.unique_id, e.what());
                out.clear();
                out.push_back(notify_payload(NotifyType::TS_UNACCEPTABLE));
                return then(ctx, sa, std::move(result));
            } catch (const NoRouteToClient& e) {
                LOG_ERR(Platform, "(%u): session refused: %s", sa.unique_id, e.what());
                out.clear();
                out.push_back(notify_payload(NotifyType::INTERNAL_ADDRESS_FAILURE));
                result.session_refused = e.what();
                return then(ctx, sa, std::move(result));
            } catch (const std::exception& e) {
                LOG_ERR(Platform, "(%u): installing the Child SA failed: %s", sa.unique_id, e.what());
                out.clear();
                out.push_back(notify_payload(NotifyType::TEMPORARY_FAILURE));
                return then(ctx, sa, std::move(result));
            }
            out.push_back({PayloadType::SA, false, wire::SaPayload{{esp.proposal}}});
            out.push_back({PayloadType::TSi, false, payload_from_ranges(narrowed.remote)});
            out.push_back({PayloadType::TSr, false, payload_from_ranges(narrowed.local)});
            return then(ctx, sa, std::move(result));
        });
}

}  // namespace ikev2d::ike
