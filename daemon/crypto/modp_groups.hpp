// The MODP groups of RFC 2409 (1, 2) and RFC 3526 (5, 14..18), all with generator 2.
#pragma once

#include <cstddef>

#include "util/iana.hpp"

namespace ikev2d::crypto {

struct ModpGroup {
    iana::DhGroup id;
    std::size_t bits;           // prime size; the KE data is bits/8 bytes
    std::size_t exponent_bits;  // random private exponent size: at least twice the group's strength
    const char* prime_hex;
};

// nullptr if `g` is not a MODP group.
const ModpGroup* find_modp_group(iana::DhGroup g);

}  // namespace ikev2d::crypto
