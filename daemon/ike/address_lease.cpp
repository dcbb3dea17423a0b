#include "ike/address_lease.hpp"

#include <utility>

#include "util/log.hpp"
#include "util/printable.hpp"

namespace ikev2d::ike {
namespace {

bool pool_of_family(const GatewayContext& ctx, const std::string& name, int family) {
    auto pool = ctx.pools->find(name);
    return pool != ctx.pools->end() && pool->second.config().first.family == family;
}

// One family's address into `slot`; the reason in `failure` when there is none.
bool lease_one(GatewayContext& ctx, IkeSa& sa, const config::GroupConfig& group, int family,
               std::optional<IpAddress>& slot, std::string& pool_name, std::string& failure) {
    const std::string name = pool_for(ctx, sa, group, family);
    const char* family_name = family == AF_INET6 ? "IPv6" : "IPv4";
    if (name.empty()) {
        failure = std::string("group '") + group.name + "' hands out no " + family_name + " addresses";
        return false;
    }
    auto pool = ctx.pools->find(name);
    // A RADIUS server may name the address itself (Framed-IP-Address, IPv4), which must
    // be a free address of that pool: two sessions never share one.
    if (family == AF_INET && sa.radius && sa.radius->framed_ip) {
        if (!pool->second.acquire_exact(*sa.radius->framed_ip, sa.username)) {
            failure = "the RADIUS Framed-IP-Address " + sa.radius->framed_ip->to_string() +
                      " is taken or outside pool '" + name + "'";
            return false;
        }
        slot = *sa.radius->framed_ip;
        pool_name = name;
        return true;
    }
    auto lease = pool->second.acquire(sa.username);
    if (!lease) {
        failure = "pool '" + name + "' is exhausted";
        return false;
    }
    slot = *lease;
    pool_name = name;
    return true;
}

}  // namespace

std::string pool_for(const GatewayContext& ctx, const IkeSa& sa, const config::GroupConfig& group, int family) {
    if (sa.radius && !sa.radius->framed_pool.empty() && pool_of_family(ctx, sa.radius->framed_pool, family))
        return sa.radius->framed_pool;
    if (pool_of_family(ctx, group.pool, family)) return group.pool;
    if (family == AF_INET6 && pool_of_family(ctx, group.ipv6_pool, family)) return group.ipv6_pool;
    return {};
}

bool lease_addresses(GatewayContext& ctx, IkeSa& sa, const config::GroupConfig& group, bool want_ip4, bool want_ip6,
                     std::string& failure) {
    if (sa.assigned_address || sa.assigned_address6) return true;  // leased for this IKE SA already
    std::string failure4, failure6;
    const bool got4 = want_ip4 && lease_one(ctx, sa, group, AF_INET, sa.assigned_address, sa.pool, failure4);
    const bool got6 = want_ip6 && lease_one(ctx, sa, group, AF_INET6, sa.assigned_address6, sa.pool6, failure6);
    if (got4 || got6) {
        // The family left out is logged when the group does hand it out (its pool is full).
        if (want_ip4 && !got4 && !pool_for(ctx, sa, group, AF_INET).empty())
            LOG_INFO(Protocol, "(%u): no IPv4 address for %s: %s", sa.unique_id, printable(sa.username).c_str(), failure4.c_str());
        if (want_ip6 && !got6 && !pool_for(ctx, sa, group, AF_INET6).empty())
            LOG_INFO(Protocol, "(%u): no IPv6 address for %s: %s", sa.unique_id, printable(sa.username).c_str(), failure6.c_str());
        return true;
    }
    failure = !failure4.empty() && !failure6.empty() ? failure4 + "; " + failure6 : failure4 + failure6;
    return false;
}

std::vector<IpAddress> inner_addresses(const IkeSa& sa) {
    std::vector<IpAddress> out;
    if (sa.assigned_address) out.push_back(*sa.assigned_address);
    if (sa.assigned_address6) out.push_back(*sa.assigned_address6);
    if (out.empty()) out.push_back(sa.remote.addr);
    return out;
}

void release_address(GatewayContext& ctx, IkeSa& sa) {
    for (auto [slot, pool_name] : {std::pair{&sa.assigned_address, &sa.pool}, std::pair{&sa.assigned_address6, &sa.pool6}}) {
        if (!*slot) continue;
        auto pool = ctx.pools->find(*pool_name);
        if (pool != ctx.pools->end()) pool->second.release(**slot);
        slot->reset();
    }
}

}  // namespace ikev2d::ike
