// Negotiating the first Child SA from a client's SA/TSi/TSr (and CP) payloads: the
// CFG_REPLY with the leased address, the ESP proposal, selector narrowing and kernel
// installation. Used by IKE_AUTH.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "ike/context.hpp"
#include "ike/exchange.hpp"
#include "ike/ike_sa.hpp"

namespace ikev2d::ike {

struct FirstChild {
    // For the response: CP (if requested), SA, TSi, TSr on success; an error notify
    // (NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE, INTERNAL_ADDRESS_FAILURE, ...) otherwise.
    std::vector<wire::Payload> payloads;
    // Non-empty when the session must not stay up (no route back to the client's
    // address: the tunnel would be dead): why.
    std::string session_refused;
};

// Makes the exchange's answer from the first Child SA's outcome, on the loop.
using AfterFirstChild = std::function<ExchangeResult(GatewayContext&, IkeSa&, FirstChild)>;

// On success the new ChildSa is appended to sa.children. Returns `then`'s answer, or a
// deferred one while the Child SA is installed on the kernel lane (child_install.hpp).
ExchangeResult negotiate_first_child(GatewayContext& ctx, IkeSa& sa, const config::GroupConfig& group,
                                     const std::vector<wire::Payload>& request, AfterFirstChild then);

}  // namespace ikev2d::ike
