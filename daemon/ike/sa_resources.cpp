#include "ike/sa_resources.hpp"

#include "ike/address_lease.hpp"
#include "ike/child_install.hpp"

namespace ikev2d::ike {

void release_sa_resources(GatewayContext& ctx, IkeSa& sa) {
    for (auto& child : sa.children) remove_child_sa(ctx, sa, child);
    sa.children.clear();
    release_address(ctx, sa);
}

}  // namespace ikev2d::ike
