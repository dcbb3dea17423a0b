#include "config/defaults.hpp"

namespace ikev2d::config::detail {
namespace {

using iana::DhGroup;
using iana::EncrId;
using iana::IntegId;

// AEAD first: one transform fewer to negotiate and no separate MAC pass.
std::vector<EncrSpec> modern_ciphers() {
    return {{EncrId::AES_GCM_16, 256}, {EncrId::AES_GCM_16, 128}, {EncrId::AES_CBC, 256}, {EncrId::AES_CBC, 128}};
}
std::vector<IntegId> modern_integrity() {
    return {IntegId::HMAC_SHA2_256_128, IntegId::HMAC_SHA2_384_192, IntegId::HMAC_SHA2_512_256};
}

}  // namespace

IkePolicy modern_ike_policy() {
    IkePolicy p;
    p.priority = 10;
    p.encryption = modern_ciphers();
    p.integrity = modern_integrity();
    p.prf = {iana::PrfId::HMAC_SHA2_256, iana::PrfId::HMAC_SHA2_384, iana::PrfId::HMAC_SHA2_512};
    // 19 and 31 are what current strongSwan, Windows and Apple clients offer first;
    // 14 for older Windows builds.
    p.groups = {DhGroup::ECP_256, DhGroup::CURVE25519, DhGroup::ECP_384, DhGroup::MODP_2048};
    return p;
}

IpsecProposal modern_ipsec_proposal() {
    IpsecProposal p;
    p.name = "default";
    p.encryption = modern_ciphers();
    p.integrity = modern_integrity();
    return p;
}

}  // namespace ikev2d::config::detail
