// IKE_AUTH, responder side (RFC 7296 1.2, 2.15, 2.16): the gateway proves itself with
// its certificate (or a PSK), the client with EAP (several round trips), a PSK or a
// certificate; then the first Child SA and the configuration payload.
#pragma once

#include "ike/context.hpp"
#include "ike/exchange.hpp"
#include "ike/ike_sa.hpp"

namespace ikev2d::ike {

ExchangeResult handle_ike_auth(GatewayContext& ctx, IkeSa& sa, std::vector<wire::Payload> request);

}  // namespace ikev2d::ike
