// What IKE_AUTH's first message (ike_auth.cpp) and its EAP rounds (eap_rounds.cpp) end
// with: a refusal, work deferred off the loop, or the established IKE SA with its first
// Child SA.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "ike/context.hpp"
#include "ike/exchange.hpp"
#include "ike/ike_sa.hpp"

namespace ikev2d::ike {

// The refusal: the notify, and the IKE SA closed after the answer.
ExchangeResult fail(std::string reason, iana::NotifyType notify = iana::NotifyType::AUTHENTICATION_FAILED);

// The answer needs work off the loop: `work` runs on a worker, `finish` on the loop with
// the SA found again (the gateway drops it if the SA went meanwhile).
ExchangeResult defer(std::function<void()> work, std::function<ExchangeResult(GatewayContext&, IkeSa&)> finish);

// The client is authenticated as a member of `group`: redirect, or the answer `head`
// (our AUTH, ...) with the first Child SA negotiated from `child_request`.
ExchangeResult establish(GatewayContext& ctx, IkeSa& sa, const config::GroupConfig& group,
                         std::vector<wire::Payload> head, const std::vector<wire::Payload>& child_request);

}  // namespace ikev2d::ike
