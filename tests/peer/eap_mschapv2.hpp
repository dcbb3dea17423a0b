// EAP-MSCHAPv2 for the test initiator (draft-kamath-pppext-eap-mschapv2 framing, RFC 2759
// computations, RFC 3079 keys), over nettle's MD4/SHA-1/DES: written apart from the
// daemon's daemon/eap/mschapv2*.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "eap_client.hpp"

namespace peer {

namespace mschapv2 {
// RFC 2759 8.3 NtPasswordHash: MD4 of the UTF-16LE password (ASCII passwords only here).
Bytes nt_password_hash(std::string_view password);
// RFC 2759 8.2 ChallengeHash: SHA-1(PeerChallenge | AuthenticatorChallenge | UserName)[0..8].
Bytes challenge_hash(ByteView peer_challenge, ByteView authenticator_challenge, std::string_view user);
// RFC 2759 8.1 GenerateNTResponse.
Bytes nt_response(ByteView authenticator_challenge, ByteView peer_challenge, std::string_view user,
                  ByteView password_hash);
// RFC 2759 8.7 GenerateAuthenticatorResponse: "S=" and 40 upper-case hex digits.
std::string authenticator_response(ByteView password_hash, ByteView nt_response, ByteView peer_challenge,
                                   ByteView authenticator_challenge, std::string_view user);
// The 64-byte MSK IKEv2 uses: the RFC 3079 keys receive|send as the server sees them
// (client send key | client receive key), then 32 zero bytes (as strongSwan and Windows).
Bytes msk(ByteView password_hash, ByteView nt_response);
}  // namespace mschapv2

class EapMsChapV2Client final : public EapClient {
public:
    EapMsChapV2Client(std::string identity, std::string password);
    ~EapMsChapV2Client() override;
    EapResult process(ByteView packet) override;
    std::optional<Bytes> msk() const override;

private:
    EapResult challenge(std::uint8_t eap_id, ByteView data);
    EapResult success_request(std::uint8_t eap_id, ByteView data);

    std::string identity_;
    Bytes password_hash_, expected_authenticator_, nt_response_;
    bool authenticated_ = false;  // the gateway's authenticator response checked
};

}  // namespace peer
