// IkeSa's own upkeep (the struct is in ike_sa.hpp).
#include "ike/ike_sa.hpp"

namespace ikev2d::ike {

void IkeSa::drop_negotiation_state() {
    // swap with empties: clear() would keep the buffers.
    Bytes().swap(init_request);
    Bytes().swap(init_response);
    Bytes().swap(nonce_i);
    Bytes().swap(nonce_r);
    keys.sk_pi = SecureBytes();  // wiped on reassignment
    keys.sk_pr = SecureBytes();
    eap.reset();
    eap_relay.reset();
    msk.reset();
    std::vector<wire::Payload>().swap(pending_auth_request);
    std::vector<iana::HashAlgorithm>().swap(peer_signature_hashes);
}

}  // namespace ikev2d::ike
