#include "crypto/key_exchange.hpp"

#include "crypto/key_exchange_impl.hpp"
#include "crypto/modp_groups.hpp"

namespace ikev2d::crypto {

using iana::DhGroup;

namespace {

enum class Family { None, Modp, Ecp, Montgomery };

Family family(DhGroup g) {
    if (find_modp_group(g)) return Family::Modp;
    switch (g) {
    case DhGroup::ECP_256:
    case DhGroup::ECP_384:
    case DhGroup::ECP_521: return Family::Ecp;
    case DhGroup::CURVE25519:
    case DhGroup::CURVE448: return Family::Montgomery;
    default: return Family::None;
    }
}

std::unique_ptr<KeyExchange> make(DhGroup g, ByteView priv) {
    switch (family(g)) {
    case Family::Modp: return detail::make_modp_key_exchange(g, priv);
    case Family::Ecp: return detail::make_ecp_key_exchange(g, priv);
    case Family::Montgomery: return detail::make_montgomery_key_exchange(g, priv);
    case Family::None: break;
    }
    return nullptr;
}

}  // namespace

KeyExchange::~KeyExchange() = default;

bool KeyExchange::supported(DhGroup g) { return family(g) != Family::None; }

std::unique_ptr<KeyExchange> KeyExchange::create(DhGroup g) { return make(g, {}); }

std::unique_ptr<KeyExchange> KeyExchange::create_with_private(DhGroup g, ByteView priv) {
    if (priv.empty()) throw CryptoError("key exchange: empty private key");
    return make(g, priv);
}

std::size_t KeyExchange::public_size(DhGroup g) {
    if (const ModpGroup* modp = find_modp_group(g)) return modp->bits / 8;
    switch (g) {
    case DhGroup::ECP_256: return 64;   // RFC 5903 7: x | y, each the field size
    case DhGroup::ECP_384: return 96;
    case DhGroup::ECP_521: return 132;  // 2 * 66
    case DhGroup::CURVE25519: return 32;  // RFC 8031 2
    case DhGroup::CURVE448: return 56;
    default: return 0;
    }
}

}  // namespace ikev2d::crypto
