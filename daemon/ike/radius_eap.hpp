// IKE_AUTH's EAP for groups with authentication = "radius": each EAP packet of the client
// goes to the RADIUS servers and their answer comes back (aaa/eap_relay.hpp); the
// Access-Accept's attributes then shape the session (group, address, DNS, limits).
#pragma once

#include <optional>

#include "eap/method.hpp"
#include "ike/context.hpp"
#include "ike/ike_sa.hpp"

namespace ikev2d::ike {

// The relay for `sa` and the first EAP packet for the client (Request/Identity).
Bytes start_radius_eap(GatewayContext& ctx, IkeSa& sa);
// One round, in two halves around the server's answer (which the caller awaits off the
// loop): the Access-Request for the client's EAP packet (nullopt and `refusal` when the
// packet does not answer our last request, or there is no RADIUS client), then the
// server's answer as an EAP outcome (no answer ends in Failure).
std::optional<aaa::AccessRequest> radius_access_request(GatewayContext& ctx, IkeSa& sa, ByteView client_packet,
                                                        std::string& refusal);
eap::Outcome radius_outcome(GatewayContext& ctx, IkeSa& sa, const aaa::AccessReply& reply);
// AnyConnect's aggregate-auth password for a group with authentication = "radius" (RADIUS
// cannot run Cisco's EAP method): the gateway runs the method and asks the server with
// PAP, as the ASA does. The request (nullopt and `refusal` without a RADIUS client), then
// the answer as a password check; an Access-Accept's attributes shape the session as above.
std::optional<aaa::AccessRequest> radius_password_request(GatewayContext& ctx, const IkeSa& sa,
                                                          const eap::PasswordCheckRequest& check, std::string& refusal);
eap::PasswordCheck radius_password_outcome(IkeSa& sa, const aaa::AccessReply& reply);
// After Success: the session's group: the configured group the server's Filter-Id names
// (with authentication = "radius"), else the group the IKE identity picked.
const config::GroupConfig* group_after_radius(const config::Config& cfg, const IkeSa& sa);

}  // namespace ikev2d::ike
