// CREATE_CHILD_SA for a new Child SA (RFC 7296 1.3.1) on an IKE SA that has none left:
// a client that deleted its only Child SA (after a rekey collision, say) asks for a new
// one instead of starting over. A remote-access client gets one tunnel with its one
// address, so while a Child SA is installed the answer stays NO_ADDITIONAL_SAS.
#pragma once

#include <vector>

#include "ike/context.hpp"
#include "ike/exchange.hpp"
#include "ike/ike_sa.hpp"
#include "wire/payloads.hpp"

namespace ikev2d::ike {

// `request` is the CREATE_CHILD_SA request without REKEY_SA whose SA payload offers ESP.
// The new Child SA gets the IKE SA's lease and the selector narrowing of IKE_AUTH (TSi:
// the client's virtual address, TSr: the group's local networks), keys from this
// exchange's nonces (and g^ir with PFS, per the ipsec proposal's `pfs`), and is appended
// to sa.children. Answer: SA, Nr, [KEr,] TSi, TSr, or an error notify.
ExchangeResult handle_new_child(GatewayContext& ctx, IkeSa& sa, const std::vector<wire::Payload>& request,
                                const wire::SaPayload& offered, const wire::NoncePayload& ni);

}  // namespace ikev2d::ike
