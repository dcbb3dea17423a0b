// EAP-MSCHAPv2 authenticator (draft-kamath-pppext-eap-mschapv2, RFC 2759):
//   Request/Challenge -> Response/Response -> Request/Success("S=...") -> Response/Success
//   -> EAP-Success, with the MSK of RFC 3079 (see mschapv2_crypto.hpp).
// A wrong NT-Response ends the conversation with EAP-Failure at once: no retry
// rounds, as strongSwan does after its retries and as Windows clients accept.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "eap/credentials.hpp"
#include "eap/method.hpp"
#include "eap/mschapv2_crypto.hpp"

namespace ikev2d::eap {

// MS-CHAPv2 op-codes (draft-kamath-pppext-eap-mschapv2 section 2).
enum class MsChapV2OpCode : std::uint8_t { Challenge = 1, Response = 2, Success = 3, Failure = 4 };

class MsChapV2Method final : public EapMethod {
public:
    // identity: the EAP identity the credentials belong to; user: nullopt for an unknown
    // user (the conversation still runs and fails at the end, so that replies do not
    // reveal which users exist).
    MsChapV2Method(std::string identity, std::optional<UserCredentials> user);

    iana::EapType type() const override { return iana::EapType::MSCHAPV2; }
    Bytes start(std::uint8_t identifier) override;
    Outcome process(const EapPacket& response) override;
    std::optional<SecureBytes> msk() const override;

    // The server name sent in the Challenge.
    static constexpr std::string_view kServerName = "ikev2d";

private:
    enum class State { Idle, AwaitResponse, AwaitSuccessAck, Done };

    Outcome process_response(const EapPacket& response);
    Outcome process_success_ack(const EapPacket& response);
    // NT hash from the stored hash or the cleartext password; nullopt if neither.
    std::optional<SecureBytes> user_nt_hash() const;
    Bytes make_mschap_request(std::uint8_t identifier, MsChapV2OpCode op, ByteView body) const;

    std::string identity_;
    std::optional<UserCredentials> user_;
    State state_{State::Idle};
    std::uint8_t last_identifier_{0};
    std::uint8_t mschap_id_{0};
    std::array<std::uint8_t, mschapv2::kChallengeSize> challenge_{};
    SecureBytes msk_;
    bool succeeded_{false};  // the peer acknowledged our Success: msk() is valid
};

}  // namespace ikev2d::eap
