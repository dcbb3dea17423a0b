// INFORMATIONAL requests from the peer (RFC 7296 1.4): liveness checks (empty),
// Delete of Child SAs or of the whole IKE SA, and notifies.
#pragma once

#include "ike/context.hpp"
#include "ike/exchange.hpp"
#include "ike/ike_sa.hpp"

namespace ikev2d::ike {

ExchangeResult handle_informational(GatewayContext& ctx, IkeSa& sa, const std::vector<wire::Payload>& request);

// Our own requests.
std::vector<wire::Payload> delete_ike_request();

}  // namespace ikev2d::ike
