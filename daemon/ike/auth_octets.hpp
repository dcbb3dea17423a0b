// The octets each side signs or MACs in IKE_AUTH (RFC 7296 2.15) and the
// shared-key AUTH value (PSK, or the EAP MSK; SK_pi/SK_pr when EAP gave no MSK).
#pragma once

#include "ike/ike_sa.hpp"

namespace ikev2d::ike {

// RealMessage1 | NonceRData | prf(SK_pi, RestOfInitIDPayload)
Bytes initiator_signed_octets(const IkeSa& sa);
// RealMessage2 | NonceIData | prf(SK_pr, RestOfRespIDPayload)
Bytes responder_signed_octets(const IkeSa& sa);

// prf(prf(secret, "Key Pad for IKEv2"), octets)
Bytes shared_key_auth(const crypto::Prf& prf, ByteView secret, ByteView octets);

}  // namespace ikev2d::ike
