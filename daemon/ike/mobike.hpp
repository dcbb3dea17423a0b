// MOBIKE (RFC 4555) on the responder side: a client that changes its address (Wi-Fi to
// LTE, a new DHCP lease, a NAT that rebinds) keeps its IKE SA and Child SAs. It is
// announced in IKE_AUTH when the client offers it ([global] mobike); afterwards the
// client decides the path: only an authenticated INFORMATIONAL with UPDATE_SA_ADDRESSES
// moves the IKE SA's endpoints, the kernel's SAs and policies and the client's route
// (3.5), other requests from elsewhere are answered where they came from but move
// nothing (the gateway's message window sets IkeSa::local/remote only without MOBIKE).
// The gateway has one address per client and announces no additional addresses (3.4).
#pragma once

#include <vector>

#include "ike/context.hpp"
#include "ike/exchange.hpp"
#include "ike/ike_sa.hpp"
#include "wire/payloads.hpp"

namespace ikev2d::ike {

// The IKE_AUTH answer that establishes the SA: MOBIKE_SUPPORTED when the client's first
// IKE_AUTH request (`first_request`) offered it and the configuration allows it; then
// sa.mobike is set.
void announce_mobike(const GatewayContext& ctx, IkeSa& sa, const std::vector<wire::Payload>& first_request,
                     std::vector<wire::Payload>& answer);

// An INFORMATIONAL request on an SA with MOBIKE (nothing otherwise): COOKIE2 echoed
// (RFC 4555 3.7), NAT detection answered for the request's own addresses (3.5, 3.10), and
// UPDATE_SA_ADDRESSES carried out (3.5, NO_NATS_ALLOWED per 3.9). The request's addresses
// are sa.request_local / sa.request_remote. What it adds to the answer goes to `answer`;
// a move the kernel refused ends the IKE SA (answer.delete_after).
void handle_mobike_request(GatewayContext& ctx, IkeSa& sa, const std::vector<wire::Payload>& request,
                           ExchangeResult& answer);

}  // namespace ikev2d::ike
