#include "eap/gtc.hpp"

#include "eap/password_check.hpp"
#include "util/log.hpp"

namespace ikev2d::eap {

GtcMethod::GtcMethod(std::string identity, std::optional<UserCredentials> user)
    : identity_(std::move(identity)), user_(std::move(user)) {}

Bytes GtcMethod::start(std::uint8_t identifier) {
    started_ = true;
    done_ = false;
    LOG_INFO(Eap, "EAP-GTC: sending password prompt (id %u)", identifier);
    return make_request(identifier, iana::EapType::GTC, as_bytes(kPrompt));
}

Outcome GtcMethod::process(const EapPacket& response) {
    if (!started_ || done_) return Outcome::failure(response.identifier, "GTC: response outside the conversation");
    done_ = true;
    if (response.type_data.empty()) return Outcome::failure(response.identifier, "GTC: empty response");
    // The password is secret: copy it into a wiped buffer, never log it.
    const SecureBytes password(ByteView(response.type_data));
    const std::string_view offered(reinterpret_cast<const char*>(password.data()), password.size());
    if (!user_) return Outcome::failure(response.identifier, "GTC: wrong password or unknown user");
    if (defer_password_checks_ && password_check_is_slow(*user_)) {
        checking_ = response.identifier;
        return Outcome::check_password(*user_, offered);
    }
    return conclude(response.identifier, check_password(*user_, offered));
}

Outcome GtcMethod::resume(PasswordCheck result) {
    if (!checking_) return EapMethod::resume(result);
    const std::uint8_t identifier = *checking_;
    checking_.reset();
    return conclude(identifier, result);
}

Outcome GtcMethod::conclude(std::uint8_t identifier, PasswordCheck check) {
    switch (check) {
        case PasswordCheck::Match:
            LOG_EXCH(Eap, "EAP-GTC: user '%s' authenticated", loggable(identity_).c_str());
            return Outcome::success(identifier, identity_);
        case PasswordCheck::Mismatch:
            return Outcome::failure(identifier, "GTC: wrong password or unknown user");
        case PasswordCheck::NoUsableCredential:
            break;
    }
    return Outcome::failure(identifier, "GTC: no cleartext password or usable crypt hash for this user");
}

}  // namespace ikev2d::eap
