#include "ike/address_lease.hpp"

namespace ikev2d::ike {

bool lease_address(GatewayContext& ctx, IkeSa& sa, const config::GroupConfig& group) {
    if (sa.assigned_address) return true;
    // A RADIUS server may name the pool (Framed-Pool) or the address itself (Framed-IP-Address,
    // which must be a free address of that pool: two sessions never share one).
    const std::string& pool_name = sa.radius && !sa.radius->framed_pool.empty() ? sa.radius->framed_pool : group.pool;
    auto pool = ctx.pools->find(pool_name);
    if (pool == ctx.pools->end()) return false;
    if (sa.radius && sa.radius->framed_ip) {
        if (!pool->second.acquire_exact(*sa.radius->framed_ip, sa.username)) return false;
        sa.assigned_address = *sa.radius->framed_ip;
        sa.pool = pool_name;
        return true;
    }
    auto lease = pool->second.acquire(sa.username);
    if (!lease) return false;
    sa.assigned_address = *lease;
    sa.pool = pool_name;
    return true;
}

void release_address(GatewayContext& ctx, IkeSa& sa) {
    if (!sa.assigned_address) return;
    auto pool = ctx.pools->find(sa.pool);
    if (pool != ctx.pools->end()) pool->second.release(*sa.assigned_address);
    sa.assigned_address.reset();
}

}  // namespace ikev2d::ike
