// CREATE_CHILD_SA, responder side (RFC 7296 1.3): rekeying a Child SA (1.3.3, 2.17)
// and rekeying the IKE SA (1.3.2, 2.18). A remote-access client gets one tunnel, so a
// request for an additional Child SA is answered with NO_ADDITIONAL_SAS, unless the IKE
// SA has no Child SA left (new_child.hpp).
#pragma once

#include <memory>
#include <vector>

#include "ike/context.hpp"
#include "ike/exchange.hpp"
#include "ike/ike_sa.hpp"
#include "wire/payloads.hpp"

namespace ikev2d::ike {

// `request` is the decrypted payload list of a CREATE_CHILD_SA request on the
// established IKE SA `sa`. The response payloads are to be sent on `sa` (old keys).
//
// Child SA rekey (N(REKEY_SA) naming the peer's inbound SPI = our ChildSa::spi_out):
// a new ChildSa with fresh keys is installed with the old one's selectors and reqid
// (its kernel policies are shared, not added again) and appended to sa.children; the
// old one stays until the peer deletes it.
//
// IKE SA rekey (SA payload with protocol IKE and an 8-byte SPI, KE, Nonce): on success
// *new_ike_sa receives the successor (new SPIs, our spi_r random; keys from RFC 7296
// 2.18; message IDs from 0; state Established) and the caller must put it in its
// table. The successor takes over from `sa` its Child SAs and its address lease
// (so `sa` holds none of them any more, and releasing `sa` later removes nothing from
// the kernel), the user, group and identities; `sa` itself is otherwise unchanged and
// answers the peer's Delete as usual. With new_ike_sa == nullptr an IKE rekey is
// refused with NO_ADDITIONAL_SAS.
ExchangeResult handle_create_child(GatewayContext& ctx, IkeSa& sa, const std::vector<wire::Payload>& request,
                                   std::unique_ptr<IkeSa>* new_ike_sa);

}  // namespace ikev2d::ike
