// The one exception type of the crypto layer: a primitive failed or a peer value was invalid.
#pragma once

#include <stdexcept>

namespace ikev2d::crypto {

struct CryptoError : std::runtime_error {
    using runtime_error::runtime_error;
};

}  // namespace ikev2d::crypto
