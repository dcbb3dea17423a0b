// The keying part of CREATE_CHILD_SA shared by its handlers (create_child.cpp,
// new_child.cpp): completing the peer's key exchange, our KE payload, and the ESP
// proposal of a Child SA with its PFS group (issue 15).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/key_exchange.hpp"
#include "ike/context.hpp"
#include "ike/exchange.hpp"
#include "ike/ike_sa.hpp"
#include "ike/proposals.hpp"
#include "util/bytes.hpp"
#include "wire/payloads.hpp"

namespace ikev2d::ike {

// Our nonce in a CREATE_CHILD_SA answer (RFC 7296 2.10: at least half the PRF key size).
inline constexpr std::size_t kNonceSize = 32;

// An answer that is only an error notify (data: e.g. the group INVALID_KE_PAYLOAD wants).
ExchangeResult refuse(iana::NotifyType type, Bytes data = {});

// Our half of a key exchange against the peer's KE payload.
struct KeyExchangeOutcome {
    std::unique_ptr<crypto::KeyExchange> kex;
    SecureBytes shared;
};

// nullopt when the peer's value is malformed: wrong length for its group, not a valid
// group element (KeyExchange rejects those), or the group is unsupported; `why` says which.
std::optional<KeyExchangeOutcome> complete_key_exchange(const wire::KePayload& ke, std::string& why);

wire::Payload ke_payload(const crypto::KeyExchange& kex);

// The IPsec proposals of the IKE SA's group, as IKE_AUTH used them; all of them when the
// group names none or was removed by a reload since.
std::vector<const config::IpsecProposal*> ipsec_proposals_for(const config::Config& cfg, const IkeSa& sa);

// The ESP proposal of a new or rekeyed Child SA and, with PFS, the completed DH.
struct ChildKeying {
    std::optional<EspChoice> esp;           // nullopt: refused with `refusal`
    std::optional<KeyExchangeOutcome> dh;   // set exactly when esp->pfs is not NONE
    iana::NotifyType refusal{};             // NO_PROPOSAL_CHOSEN, INVALID_KE_PAYLOAD, INVALID_SYNTAX
    Bytes refusal_data;                     // INVALID_KE_PAYLOAD: the group we want
};

// `ke` is the request's KE payload or nullptr; `what` names the exchange in the log.
ChildKeying negotiate_child_keying(const GatewayContext& ctx, const IkeSa& sa, const wire::SaPayload& offered,
                                   const wire::KePayload* ke, const char* what);

}  // namespace ikev2d::ike
