#include "ike/auth_octets.hpp"

namespace ikev2d::ike {
namespace {

// RealMessage | Nonce of the other side | prf(SK_p of this side, ID payload body)
Bytes signed_octets(const IkeSa& sa, const Bytes& message, const Bytes& other_nonce, const SecureBytes& sk_p,
                    const Bytes& id_body) {
    Bytes out = message;
    append(out, other_nonce);
    SecureBytes maced = sa.prf->compute(sk_p.view(), id_body);
    append(out, maced.view());
    return out;
}

}  // namespace

Bytes initiator_signed_octets(const IkeSa& sa) {
    return signed_octets(sa, sa.init_request, sa.nonce_r, sa.keys.sk_pi, sa.peer_id_body);
}

Bytes responder_signed_octets(const IkeSa& sa) {
    return signed_octets(sa, sa.init_response, sa.nonce_i, sa.keys.sk_pr, sa.own_id_body);
}

Bytes shared_key_auth(const crypto::Prf& prf, ByteView secret, ByteView octets) {
    static constexpr std::string_view kKeyPad = "Key Pad for IKEv2";
    SecureBytes padded_key = prf.compute(secret, as_bytes(kKeyPad));
    SecureBytes auth = prf.compute(padded_key.view(), octets);
    return Bytes(auth.view().begin(), auth.view().end());
}

}  // namespace ikev2d::ike
