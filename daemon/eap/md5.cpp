#include "eap/md5.hpp"

#include <nettle/md5.h>

#include "crypto/random.hpp"
#include "util/log.hpp"

namespace ikev2d::eap {

Md5Method::Md5Method(std::string identity, std::optional<UserCredentials> user)
    : identity_(std::move(identity)), user_(std::move(user)) {}

std::array<std::uint8_t, 16> Md5Method::chap_md5(std::uint8_t identifier, std::string_view password,
                                                 ByteView challenge) {
    md5_ctx ctx;
    md5_init(&ctx);
    md5_update(&ctx, 1, &identifier);
    md5_update(&ctx, password.size(), reinterpret_cast<const std::uint8_t*>(password.data()));
    md5_update(&ctx, challenge.size(), challenge.data());
    std::array<std::uint8_t, 16> out{};
    md5_digest(&ctx, out.size(), out.data());
    secure_wipe(&ctx, sizeof ctx);
    return out;
}

Bytes Md5Method::start(std::uint8_t identifier) {
    const Bytes challenge = crypto::random_bytes(challenge_.size());
    std::copy(challenge.begin(), challenge.end(), challenge_.begin());
    identifier_ = identifier;
    started_ = true;
    done_ = false;
    Bytes type_data;
    type_data.push_back(static_cast<std::uint8_t>(challenge_.size()));  // Value-Size
    append(type_data, challenge_);
    append(type_data, as_bytes(kServerName));
    LOG_INFO(Eap, "EAP-MD5: sending Challenge (id %u)", identifier);
    return make_request(identifier, iana::EapType::MD5, type_data);
}

Outcome Md5Method::process(const EapPacket& response) {
    if (!started_ || done_) return Outcome::failure(response.identifier, "MD5: response outside the conversation");
    done_ = true;
    const ByteView data(response.type_data);
    if (data.empty()) return Outcome::failure(response.identifier, "MD5: response without Value-Size");
    if (data[0] != 16) return Outcome::failure(response.identifier, "MD5: Value-Size " + std::to_string(data[0]) + " is not 16");
    if (data.size() < 1 + 16)
        return Outcome::failure(response.identifier, "MD5: response of " + std::to_string(data.size()) + " bytes is too short");
    if (!user_ || !user_->cleartext_password)
        return Outcome::failure(response.identifier, "MD5: no cleartext password for this user");
    const auto expected = chap_md5(identifier_, *user_->cleartext_password, challenge_);
    if (!ct_equal(expected, data.subspan(1, 16)))
        return Outcome::failure(response.identifier, "MD5: response does not match (wrong password)");
    LOG_EXCH(Eap, "EAP-MD5: user '%s' authenticated", loggable(identity_).c_str());
    return Outcome::success(response.identifier, identity_);
}

}  // namespace ikev2d::eap
