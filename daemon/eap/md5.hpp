// EAP-MD5-Challenge (RFC 3748 5.4): CHAP (RFC 1994) inside EAP.
//   Response Value = MD5(Identifier | password | Challenge).
// Needs the cleartext password; gives no MSK, so it suits only tests and legacy peers.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "eap/credentials.hpp"
#include "eap/method.hpp"

namespace ikev2d::eap {

class Md5Method final : public EapMethod {
public:
    Md5Method(std::string identity, std::optional<UserCredentials> user);

    iana::EapType type() const override { return iana::EapType::MD5; }
    Bytes start(std::uint8_t identifier) override;
    Outcome process(const EapPacket& response) override;

    static constexpr std::string_view kServerName = "ikev2d";

    // MD5(identifier | password | challenge), exposed for tests.
    static std::array<std::uint8_t, 16> chap_md5(std::uint8_t identifier, std::string_view password,
                                                 ByteView challenge);

private:
    std::string identity_;
    std::optional<UserCredentials> user_;
    bool started_{false};
    bool done_{false};
    std::uint8_t identifier_{0};
    std::array<std::uint8_t, 16> challenge_{};
};

}  // namespace ikev2d::eap
