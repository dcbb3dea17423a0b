// The client's CFG_REQUEST in IKE_AUTH (RFC 7296 2.19): its addresses leased from the
// group's pools (address_lease.hpp) and the CFG_REPLY that carries them with DNS and
// split networks (config_payload.hpp).
#pragma once

#include <optional>

#include "config/config.hpp"
#include "ike/context.hpp"
#include "ike/ike_sa.hpp"
#include "wire/message.hpp"

namespace ikev2d::ike {

// The CP payload of the answer; nullopt (logged) when the client asked for an address
// and gets none: the answer is then INTERNAL_ADDRESS_FAILURE.
std::optional<wire::Payload> answer_config_request(GatewayContext& ctx, IkeSa& sa, const config::GroupConfig& group,
                                                   const wire::CpPayload& request);

}  // namespace ikev2d::ike
