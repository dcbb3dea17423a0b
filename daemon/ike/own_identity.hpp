// The gateway's side of IKE_AUTH: its IDr and how it proves it (RFC 7296 2.15) — a
// signature with the trustpoint's key and the certificate chain, or the group PSK.
#pragma once

#include <vector>

#include "ike/context.hpp"
#include "ike/ike_sa.hpp"
#include "wire/payloads.hpp"

namespace ikev2d::ike {

// Our IDr: the trustpoint's identity (IP address, e-mail or FQDN) or else our certificate's DN.
wire::IdPayload own_id_payload(const GatewayContext& ctx);

// Appends IDr, our CERT chain and a signature AUTH over ResponderSignedOctets; records the
// IDr in `sa`. False when there is no certificate and key to sign with.
bool add_signed_identity(const GatewayContext& ctx, IkeSa& sa, std::vector<wire::Payload>& out);

// Appends IDr and a shared-key AUTH with `psk`.
void add_psk_identity(const GatewayContext& ctx, IkeSa& sa, ByteView psk, std::vector<wire::Payload>& out);

}  // namespace ikev2d::ike
