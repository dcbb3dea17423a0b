// EAP-GTC (RFC 3748 5.6): the Request carries a prompt, the Response the password in the
// clear (protected here by the IKE SA). strongSwan's eap-gtc peer sends exactly the
// password bytes, which is what this method expects. No MSK.
#pragma once

#include <optional>
#include <string>

#include "eap/credentials.hpp"
#include "eap/method.hpp"

namespace ikev2d::eap {

class GtcMethod final : public EapMethod {
public:
    GtcMethod(std::string identity, std::optional<UserCredentials> user);

    iana::EapType type() const override { return iana::EapType::GTC; }
    Bytes start(std::uint8_t identifier) override;
    Outcome process(const EapPacket& response) override;
    Outcome resume(PasswordCheck result) override;

    static constexpr std::string_view kPrompt = "Password";

private:
    std::string identity_;
    std::optional<UserCredentials> user_;
    bool started_{false};
    bool done_{false};
    std::optional<std::uint8_t> checking_;  // the Response whose password is being checked

    Outcome conclude(std::uint8_t identifier, PasswordCheck check);
};

}  // namespace ikev2d::eap
