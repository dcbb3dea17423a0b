// Internal: IANA identifiers -> GnuTLS algorithm constants.
#pragma once

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include <cstdint>

#include "util/iana.hpp"

namespace ikev2d::crypto::detail {

// GNUTLS_MAC_UNKNOWN if unsupported.
gnutls_mac_algorithm_t prf_mac(iana::PrfId id);
gnutls_mac_algorithm_t integ_mac(iana::IntegId id);
// GNUTLS_CIPHER_UNKNOWN if unsupported; key_bits 0 selects the fixed size where there is one.
gnutls_cipher_algorithm_t encr_cipher(iana::EncrId id, std::uint16_t key_bits);

}  // namespace ikev2d::crypto::detail
