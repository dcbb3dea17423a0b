// IKE_AUTH after the first message (RFC 7296 2.16): the EAP conversation, one round per
// request, with the gateway's own EAP server or relayed to RADIUS, and the client's final
// AUTH keyed with the MSK.
#pragma once

#include <vector>

#include "ike/context.hpp"
#include "ike/exchange.hpp"
#include "ike/ike_sa.hpp"

namespace ikev2d::ike {

ExchangeResult eap_round(GatewayContext& ctx, IkeSa& sa, const std::vector<wire::Payload>& request);

}  // namespace ikev2d::ike
