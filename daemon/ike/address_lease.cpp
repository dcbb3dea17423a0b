#include "ike/address_lease.hpp"

namespace ikev2d::ike {

bool lease_address(GatewayContext& ctx, IkeSa& sa, const config::GroupConfig& group) {
    if (sa.assigned_address) return true;
    auto pool = ctx.pools->find(group.pool);
    if (pool == ctx.pools->end()) return false;
    auto lease = pool->second.acquire(sa.username);
    if (!lease) return false;
    sa.assigned_address = *lease;
    sa.pool = group.pool;
    return true;
}

void release_address(GatewayContext& ctx, IkeSa& sa) {
    if (!sa.assigned_address) return;
    auto pool = ctx.pools->find(sa.pool);
    if (pool != ctx.pools->end()) pool->second.release(*sa.assigned_address);
    sa.assigned_address.reset();
}

}  // namespace ikev2d::ike
