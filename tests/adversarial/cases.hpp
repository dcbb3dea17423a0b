// The prober's case batches (one file each). Every case names the answer RFC 7296 (or the
// RFC named beside it) requires.
#pragma once

#include "initiator.hpp"
#include "probe.hpp"

namespace adversarial {

// Header: truncations at every length, lying lengths, versions, flags, exchange types, SPIs.
void header_cases(Prober& prober);
// Payload chain: payload lengths, Next Payload errors, unknown (critical) payloads, SK/SKF
// in IKE_SA_INIT, nonce lengths, notifies.
void payload_cases(Prober& prober);
// SA payloads: structure, unknown/missing transforms, key lengths, oversized SAs, KE groups.
void proposal_cases(Prober& prober);
// KE values: low-order X25519 points, invalid ECP-256 points, wrong lengths.
void ke_cases(Prober& prober);
// Protected messages on half-open and established IKE SAs: tampered SK, wrong message
// IDs and SPIs, malformed inner payloads, RFC 7383 fragments. `legit` has the PSK.
void sk_cases(Prober& prober, const peer::InitiatorConfig& legit);

// COOKIE checks (RFC 7296 2.6); first holds `threshold` half-open SAs so that cookies
// are demanded. Only for a gateway whose half_open_cookie_threshold is `threshold`.
void cookie_cases(Prober& prober, int threshold);

// A fresh initiator offering AES-GCM-256/SHA-256 and `groups` (no PSK).
peer::Initiator fresh_initiator(std::vector<std::uint16_t> groups = {31});

}  // namespace adversarial
