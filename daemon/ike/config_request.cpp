#include "ike/config_request.hpp"

#include <string>

#include "ike/address_lease.hpp"
#include "ike/config_payload.hpp"
#include "util/log.hpp"
#include "util/printable.hpp"

namespace ikev2d::ike {

std::optional<wire::Payload> answer_config_request(GatewayContext& ctx, IkeSa& sa, const config::GroupConfig& group,
                                                   const wire::CpPayload& request) {
    CfgRequestInfo info = inspect_cfg_request(request);
    if (!info.application_version.empty()) sa.client_version = info.application_version;
    std::string failure;
    if ((info.wants_ip4 || info.wants_ip6) && !lease_addresses(ctx, sa, group, info.wants_ip4, info.wants_ip6, failure)) {
        LOG_EXCH(Protocol, "(%u): no address for %s: %s", sa.unique_id, printable(sa.username).c_str(), failure.c_str());
        return std::nullopt;
    }
    const config::PoolConfig* pool = ctx.config->pool(sa.pool.empty() ? group.pool : sa.pool);
    config::GroupConfig with_server_dns;
    const config::GroupConfig* shown = &group;
    if (sa.radius && !sa.radius->dns.empty()) {  // the RADIUS server's DNS servers win
        with_server_dns = group;
        with_server_dns.dns = sa.radius->dns;
        shown = &with_server_dns;
    }
    return wire::Payload{iana::PayloadType::CP, false,
                         build_cfg_reply(request, sa.assigned_address, sa.assigned_address6, pool, *shown, sa.peer_is_anyconnect)};
}

}  // namespace ikev2d::ike
