// Redirect (RFC 5685): sending a client to another gateway.
//
//  - In IKE_SA_INIT, by the load rule of [redirect] (when = "sa_init"): the answer is
//    HDR(SPIi, 0), N(REDIRECT, gateway, Ni), nothing is kept and nothing computed (the
//    ASA's EV_CHK_REDIRECT step, before EV_CHK_CAC).
//  - In IKE_AUTH, once the client authenticated, by the load rule (when = "auth") or by
//    the RADIUS server: the last answer is IDr/AUTH and N(REDIRECT, gateway) without a
//    Child SA, and the IKE SA is closed.
//  - A live session (ikectl redirect, Gateway::redirect): an INFORMATIONAL request with
//    N(REDIRECT, gateway); the client sets up its IKE SA with the other gateway and
//    deletes this one, or the gateway deletes it after a grace time.
// Only clients that announced REDIRECT_SUPPORTED (or came with REDIRECTED_FROM) in
// IKE_SA_INIT are redirected; the others are served here.
//
// The RADIUS attribute: Cisco-AVPair (vendor 9, attribute 1) "ikev2d:redirect=<gateway>",
// an IPv4 or IPv6 address or a host name.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ike/context.hpp"
#include "ike/exchange.hpp"
#include "ike/ike_sa.hpp"
#include "wire/payloads.hpp"
#include "wire/redirect_data.hpp"

namespace ikev2d::ike {

// What the client's IKE_SA_INIT says about RFC 5685, into the SA.
void note_redirect_support(IkeSa& sa, const std::vector<wire::Payload>& request);

// IKE_SA_INIT: the REDIRECT answer's notification data when the load rule sends this
// client elsewhere (nullopt: serve it here). Counts and logs the redirect.
std::optional<Bytes> sa_init_redirect(GatewayContext& ctx, const std::vector<wire::Payload>& request,
                                      const Endpoint& remote, const Bytes& nonce_i);

// IKE_AUTH, the client authenticated: where it goes instead of getting its session here
// (the RADIUS server's choice, else the load rule with when = "auth"), or nullopt.
std::optional<wire::GatewayIdentity> auth_redirect_target(GatewayContext& ctx, const IkeSa& sa);
// The IKE_AUTH answer that redirects: `head` (IDr, CERT, AUTH) and the REDIRECT notify.
ExchangeResult redirect_after_auth(GatewayContext& ctx, IkeSa& sa, std::vector<wire::Payload> head,
                                   const wire::GatewayIdentity& to);

// The INFORMATIONAL request that redirects a live session.
std::vector<wire::Payload> redirect_request(const wire::GatewayIdentity& to);

}  // namespace ikev2d::ike
