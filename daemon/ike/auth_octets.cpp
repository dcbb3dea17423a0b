#include "ike/auth_octets.hpp"

namespace ikev2d::ike {

Bytes initiator_signed_octets(const IkeSa& sa) {
    Bytes out = sa.init_request;
    append(out, sa.nonce_r);
    SecureBytes maced = sa.prf->compute(sa.keys.sk_pi.view(), sa.peer_id_body);
    append(out, maced.view());
    return out;
}

Bytes responder_signed_octets(const IkeSa& sa) {
    Bytes out = sa.init_response;
    append(out, sa.nonce_i);
    SecureBytes maced = sa.prf->compute(sa.keys.sk_pr.view(), sa.own_id_body);
    append(out, maced.view());
    return out;
}

Bytes shared_key_auth(const crypto::Prf& prf, ByteView secret, ByteView octets) {
    static constexpr std::string_view kKeyPad = "Key Pad for IKEv2";
    SecureBytes padded_key = prf.compute(secret, as_bytes(kKeyPad));
    SecureBytes auth = prf.compute(padded_key.view(), octets);
    return Bytes(auth.view().begin(), auth.view().end());
}

}  // namespace ikev2d::ike
