#include "ike/child_negotiation.hpp"

#include "ike/address_lease.hpp"
#include "ike/child_install.hpp"
#include "ike/config_payload.hpp"
#include "ike/payload_helpers.hpp"
#include "ike/session_policy.hpp"
#include "ike/proposals.hpp"
#include "ike/traffic_selectors.hpp"
#include "util/log.hpp"
#include "util/printable.hpp"

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
        CfgRequestInfo info = inspect_cfg_request(*cp);
        if (!info.application_version.empty()) sa.client_version = info.application_version;
        std::string failure;
        if ((info.wants_ip4 || info.wants_ip6) && !lease_addresses(ctx, sa, group, info.wants_ip4, info.wants_ip6, failure)) {
            LOG_EXCH(Protocol, "(%u): no address for %s: %s", sa.unique_id, printable(sa.username).c_str(), failure.c_str());
            out.push_back(notify_payload(NotifyType::INTERNAL_ADDRESS_FAILURE));
            return then(ctx, sa, std::move(result));
        }
        const config::PoolConfig* pool = ctx.config->pool(sa.pool.empty() ? group.pool : sa.pool);
        if (sa.radius && !sa.radius->dns.empty()) {
            config::GroupConfig with_server_dns = group;  // the RADIUS server's DNS servers win
            with_server_dns.dns = sa.radius->dns;
            out.push_back({PayloadType::CP, false,
                           build_cfg_reply(*cp, sa.assigned_address, sa.assigned_address6, pool, with_server_dns,
                                           sa.peer_is_anyconnect)});
        } else {
            out.push_back({PayloadType::CP, false,
                           build_cfg_reply(*cp, sa.assigned_address, sa.assigned_address6, pool, group, sa.peer_is_anyconnect)});
        }
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
