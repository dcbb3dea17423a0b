#include "eap/mschapv2.hpp"

#include "crypto/random.hpp"
#include "util/log.hpp"

namespace ikev2d::eap {
namespace {

// OpCode | MS-CHAPv2-ID | MS-Length (2): the header of Challenge/Response/Success/Failure
// Requests and of the peer's Response packet.
constexpr std::size_t kMsHeaderSize = 4;
// Response Value: Peer-Challenge (16) | Reserved (8) | NT-Response (24) | Flags (1).
constexpr std::size_t kResponseValueSize = 49;
constexpr std::size_t kPeerChallengeOffset = 0;
constexpr std::size_t kNtResponseOffset = 24;
constexpr std::string_view kSuccessMessage = " M=Welcome to ikev2d";

}  // namespace

MsChapV2Method::MsChapV2Method(std::string identity, std::optional<UserCredentials> user)
    : identity_(std::move(identity)), user_(std::move(user)) {}

Bytes MsChapV2Method::make_mschap_request(std::uint8_t identifier, MsChapV2OpCode op, ByteView body) const {
    Bytes type_data;
    const std::size_t ms_length = kMsHeaderSize + body.size();  // = EAP Length - 5
    type_data.reserve(ms_length);
    type_data.push_back(static_cast<std::uint8_t>(op));
    type_data.push_back(mschap_id_);
    type_data.push_back(static_cast<std::uint8_t>(ms_length >> 8));
    type_data.push_back(static_cast<std::uint8_t>(ms_length & 0xff));
    append(type_data, body);
    return make_request(identifier, iana::EapType::MSCHAPV2, type_data);
}

Bytes MsChapV2Method::start(std::uint8_t identifier) {
    const Bytes challenge = crypto::random_bytes(challenge_.size());
    std::copy(challenge.begin(), challenge.end(), challenge_.begin());
    last_identifier_ = identifier;
    mschap_id_ = identifier;
    msk_ = SecureBytes();
    succeeded_ = false;
    state_ = State::AwaitResponse;

    Bytes body;
    body.push_back(static_cast<std::uint8_t>(challenge_.size()));  // Value-Size
    append(body, challenge_);
    append(body, as_bytes(kServerName));
    LOG_INFO(Eap, "EAP-MSCHAPv2: sending Challenge (id %u)", identifier);
    return make_mschap_request(identifier, MsChapV2OpCode::Challenge, body);
}

Outcome MsChapV2Method::process(const EapPacket& response) {
    if (response.type_data.empty())
        return Outcome::failure(response.identifier, "MSCHAPv2 response without an op-code");
    switch (state_) {
        case State::AwaitResponse: return process_response(response);
        case State::AwaitSuccessAck: return process_success_ack(response);
        case State::Idle: return Outcome::failure(response.identifier, "MSCHAPv2 response before the Challenge");
        case State::Done: break;
    }
    return Outcome::failure(response.identifier, "MSCHAPv2 response after the conversation ended");
}

std::optional<SecureBytes> MsChapV2Method::user_nt_hash() const {
    if (!user_) return std::nullopt;
    if (user_->nt_hash) return SecureBytes(ByteView(*user_->nt_hash));
    if (user_->cleartext_password) {
        auto hash = mschapv2::nt_password_hash(*user_->cleartext_password);
        if (hash) return std::move(hash.value());
        LOG_ERR(Eap, "EAP-MSCHAPv2: configured password of '%s' is not valid UTF-8", user_->username.c_str());
    }
    return std::nullopt;
}

Outcome MsChapV2Method::process_response(const EapPacket& response) {
    const ByteView data(response.type_data);
    const auto fail = [&](std::string why) {
        state_ = State::Done;
        return Outcome::failure(response.identifier, "MSCHAPv2: " + std::move(why));
    };
    const auto op = static_cast<MsChapV2OpCode>(data[0]);
    if (op != MsChapV2OpCode::Response)
        return fail("expected a Response, got op-code " + std::to_string(data[0]));
    if (data.size() < kMsHeaderSize + 1 + kResponseValueSize)
        return fail("Response of " + std::to_string(data.size()) + " bytes is too short");
    if (data[1] != mschap_id_)
        return fail("MS-CHAPv2-ID " + std::to_string(data[1]) + " does not answer " + std::to_string(mschap_id_));
    const std::size_t ms_length = (std::size_t{data[2]} << 8) | data[3];
    if (ms_length != data.size())
        return fail("MS-Length " + std::to_string(ms_length) + " does not match the " +
                    std::to_string(data.size()) + "-byte packet");
    if (data[4] != kResponseValueSize) return fail("Value-Size " + std::to_string(data[4]) + " is not 49");

    const ByteView value = data.subspan(kMsHeaderSize + 1, kResponseValueSize);
    const ByteView peer_challenge = value.subspan(kPeerChallengeOffset, mschapv2::kChallengeSize);
    const ByteView nt_response = value.subspan(kNtResponseOffset, mschapv2::kNtResponseSize);
    const ByteView name_bytes = data.subspan(kMsHeaderSize + 1 + kResponseValueSize);
    const std::string name(name_bytes.begin(), name_bytes.end());
    const std::string_view username = mschapv2::strip_domain(name);
    LOG_INFO(Eap, "EAP-MSCHAPv2: Response from '%s'", loggable(name).c_str());

    // The name the peer hashed must be the identity we looked the credentials up for;
    // otherwise a peer could authenticate as one user and be logged in as another.
    if (username != mschapv2::strip_domain(identity_))
        return fail("name in the Response differs from the EAP identity");
    std::optional<SecureBytes> nt_hash = user_nt_hash();
    if (!nt_hash) return fail("no NT hash or cleartext password for this user");

    const auto expected = mschapv2::generate_nt_response(challenge_, peer_challenge, username, nt_hash->view());
    if (!ct_equal(expected, nt_response)) return fail("NT-Response does not match (wrong password)");

    const std::string auth_response =
        mschapv2::authenticator_response(nt_hash->view(), nt_response, peer_challenge, challenge_, username);
    msk_ = mschapv2::msk(nt_hash->view(), nt_response);
    LOG_SECRET(Eap, "EAP-MSCHAPv2: MSK %s", to_hex(msk_.view()).c_str());

    std::string message = auth_response + std::string(kSuccessMessage);
    last_identifier_ = static_cast<std::uint8_t>(response.identifier + 1);
    state_ = State::AwaitSuccessAck;
    return Outcome::proceed(make_mschap_request(last_identifier_, MsChapV2OpCode::Success, as_bytes(message)));
}

Outcome MsChapV2Method::process_success_ack(const EapPacket& response) {
    state_ = State::Done;
    const auto op = static_cast<MsChapV2OpCode>(response.type_data[0]);
    if (op == MsChapV2OpCode::Success) {
        LOG_EXCH(Eap, "EAP-MSCHAPv2: user '%s' authenticated", loggable(identity_).c_str());
        succeeded_ = true;
        return Outcome::success(response.identifier, identity_);
    }
    msk_ = SecureBytes();
    if (op == MsChapV2OpCode::Failure)
        return Outcome::failure(response.identifier, "MSCHAPv2: peer rejected our authenticator response");
    return Outcome::failure(response.identifier,
                            "MSCHAPv2: expected a Success response, got op-code " + std::to_string(response.type_data[0]));
}

std::optional<SecureBytes> MsChapV2Method::msk() const {
    if (!succeeded_) return std::nullopt;
    return msk_.clone();
}

}  // namespace ikev2d::eap
