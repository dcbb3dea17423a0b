// Internal: the per-family constructors behind KeyExchange::create*. `priv` empty = random.
#pragma once

#include <memory>

#include "crypto/key_exchange.hpp"

namespace ikev2d::crypto::detail {

std::unique_ptr<KeyExchange> make_modp_key_exchange(iana::DhGroup g, ByteView priv);
std::unique_ptr<KeyExchange> make_ecp_key_exchange(iana::DhGroup g, ByteView priv);
std::unique_ptr<KeyExchange> make_montgomery_key_exchange(iana::DhGroup g, ByteView priv);

}  // namespace ikev2d::crypto::detail
