// The algorithm choices used when the file names none, and by embedded_default()
// (internal to daemon/config). Modern only: AES-GCM/AES-CBC with SHA-2, ECP/Curve25519/MODP-2048.
#pragma once

#include "config/config.hpp"

namespace ikev2d::config::detail {

IkePolicy modern_ike_policy();
IpsecProposal modern_ipsec_proposal();  // named "default"

}  // namespace ikev2d::config::detail
