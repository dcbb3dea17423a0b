#include "eap/server.hpp"

#include <algorithm>
#include <stdexcept>

#include "eap/anyconnect.hpp"
#include "eap/gtc.hpp"
#include "eap/md5.hpp"
#include "eap/mschapv2.hpp"
#include "crypto/random.hpp"
#include "util/log.hpp"

namespace ikev2d::eap {
namespace {

constexpr std::size_t kMaxIdentitySize = 253;  // as RADIUS User-Name; IKE IDs are shorter still

bool is_supported(iana::EapType type) {
    return type == iana::EapType::MSCHAPV2 || type == iana::EapType::MD5 || type == iana::EapType::GTC ||
           type == iana::EapType::TLS ||
           type == iana::EapType::Expanded;  // Expanded = EAP-AnyConnect, the only expanded type we speak
}

bool credentials_serve(iana::EapType type, const UserCredentials& user) {
    switch (type) {
        case iana::EapType::MSCHAPV2: return user.nt_hash.has_value() || user.cleartext_password.has_value();
        case iana::EapType::MD5: return user.cleartext_password.has_value();
        case iana::EapType::GTC: return user.cleartext_password.has_value() || user.crypt_hash.has_value();
        case iana::EapType::TLS: return true;  // a certificate, not a stored secret
        default: return false;
    }
}

// Identities go into logs and credential lookups: printable, no NUL or control bytes.
std::optional<std::string> validate_identity(ByteView raw, std::string& why) {
    // Some peers terminate the identity with NULs; drop them.
    while (!raw.empty() && raw.back() == 0) raw = raw.first(raw.size() - 1);
    if (raw.empty()) {
        why = "empty EAP identity";
        return std::nullopt;
    }
    if (raw.size() > kMaxIdentitySize) {
        why = "EAP identity of " + std::to_string(raw.size()) + " bytes is too long";
        return std::nullopt;
    }
    if (std::any_of(raw.begin(), raw.end(), [](std::uint8_t c) { return c < 0x20 || c == 0x7f; })) {
        why = "EAP identity contains control characters";
        return std::nullopt;
    }
    return std::string(raw.begin(), raw.end());
}

}  // namespace

std::unique_ptr<EapMethod> EapServer::make_method(iana::EapType type) const {
    switch (type) {
        case iana::EapType::MSCHAPV2: return std::make_unique<MsChapV2Method>(identity_, user_);
        case iana::EapType::MD5: return std::make_unique<Md5Method>(identity_, user_);
        case iana::EapType::GTC: return std::make_unique<GtcMethod>(identity_, user_);
        case iana::EapType::Expanded: return std::make_unique<AnyConnectMethod>(lookup_, anyconnect_);
        case iana::EapType::TLS: return std::make_unique<EapTlsMethod>(identity_, tls_);
        default: break;
    }
    throw std::invalid_argument("EAP method " + type_name(type) + " is not implemented");
}

EapServer::EapServer(std::vector<iana::EapType> allowed_in_order, CredentialLookup lookup,
                     std::optional<std::string> known_identity)
    : allowed_(std::move(allowed_in_order)), lookup_(std::move(lookup)) {
    if (allowed_.empty()) throw std::invalid_argument("EapServer needs at least one allowed EAP method");
    for (iana::EapType t : allowed_)
        if (!is_supported(t)) throw std::invalid_argument("EAP method " + type_name(t) + " is not implemented");
    if (!lookup_) throw std::invalid_argument("EapServer needs a credential lookup");
    if (known_identity && !known_identity->empty()) identity_ = std::move(*known_identity);
}

EapServer::~EapServer() = default;

iana::EapType EapServer::method() const {
    return method_ ? method_->type() : iana::EapType::Identity;
}

std::optional<SecureBytes> EapServer::msk() const {
    if (!succeeded_ || !method_) return std::nullopt;
    return method_->msk();
}

Outcome EapServer::emit(Outcome outcome) {
    if (outcome.kind != Outcome::Kind::Continue) return finish(std::move(outcome));
    const int max_requests = method_ ? std::max(kMaxRequests, method_->max_requests()) : kMaxRequests;
    if (++requests_sent_ > max_requests) return fail("more than " + std::to_string(max_requests) + " EAP rounds");
    if (outcome.next_packet.size() < kEapHeaderSize) throw std::logic_error("EAP method produced no Request");
    last_request_id_ = outcome.next_packet[1];
    LOG_SECRET(Eap, "EAP send %s", to_hex(outcome.next_packet).c_str());
    return outcome;
}

Outcome EapServer::finish(Outcome outcome) {
    phase_ = Phase::Finished;
    succeeded_ = outcome.kind == Outcome::Kind::Success;
    if (succeeded_) authenticated_user_ = outcome.username;
    if (succeeded_)
        LOG_EXCH(Eap, "EAP-%s succeeded for '%s'", type_name(method()).c_str(), loggable(outcome.username).c_str());
    else
        LOG_EXCH(Eap, "EAP failed for '%s': %s", loggable(identity_).c_str(), outcome.reason.c_str());
    return outcome;
}

Outcome EapServer::fail(std::string reason) {
    // RFC 3748 4.2: the Failure echoes the Identifier of the Response it answers, which
    // EapServer has checked equals the last Request's.
    return finish(Outcome::failure(last_request_id_, std::move(reason)));
}

Bytes EapServer::start() {
    if (phase_ != Phase::NotStarted) throw std::logic_error("EapServer::start called twice");
    last_request_id_ = crypto::random_bytes(1)[0];
    if (!identity_.empty()) {
        user_ = lookup_(identity_);
        Outcome first = start_method(choose_method());
        if (first.kind != Outcome::Kind::Continue) throw std::logic_error("EAP method failed to start");
        return first.next_packet;
    }
    phase_ = Phase::Identity;
    ++requests_sent_;
    LOG_INFO(Eap, "EAP: asking for the identity (id %u)", last_request_id_);
    return make_request(last_request_id_, iana::EapType::Identity, {});
}

iana::EapType EapServer::choose_method() const {
    // AnyConnect clients name the user inside the XML, not in IDi.
    if (identity_ == kAnyConnectIdentity &&
        std::find(allowed_.begin(), allowed_.end(), iana::EapType::Expanded) != allowed_.end())
        return iana::EapType::Expanded;
    if (user_)
        for (iana::EapType t : allowed_)
            if (credentials_serve(t, *user_)) return t;
    return allowed_.front();
}

Outcome EapServer::start_method(iana::EapType type) {
    // The first method's Request reuses the Identifier chosen in start(); later Requests
    // increment it.
    const std::uint8_t id = phase_ == Phase::NotStarted ? last_request_id_ : static_cast<std::uint8_t>(last_request_id_ + 1);
    phase_ = Phase::Method;
    method_ = make_method(type);
    method_->set_defer_password_checks(defer_password_checks_);
    method_->set_defer_jobs(defer_jobs_);
    method_answered_ = false;
    tried_.push_back(type);
    LOG_EXCH(Eap, "EAP: starting %s for '%s'", type_name(type).c_str(), loggable(identity_).c_str());
    return emit(Outcome::proceed(method_->start(id)));
}

Outcome EapServer::process(ByteView response_packet) {
    if (phase_ == Phase::NotStarted) throw std::logic_error("EapServer::process before start");
    if (phase_ == Phase::Finished) return Outcome::failure(last_request_id_, "EAP conversation already finished");
    if (checking_password_) return fail("EAP Response while a password is being checked");
    if (running_job_) return fail("EAP Response while the method's work is in progress");
    LOG_SECRET(Eap, "EAP recv %s", to_hex(response_packet).c_str());

    auto parsed = EapPacket::parse(response_packet);
    if (!parsed) return fail("malformed EAP packet: " + parsed.error());
    EapPacket& packet = parsed.value();
    if (packet.code != iana::EapCode::Response)
        return fail("expected an EAP Response, got " + code_name(packet.code));
    if (packet.identifier != last_request_id_)
        return fail("EAP Identifier " + std::to_string(packet.identifier) + " does not answer Request " +
                    std::to_string(last_request_id_));

    Outcome outcome;
    if (phase_ == Phase::Identity) {
        outcome = handle_identity(packet);
    } else if (packet.type == iana::EapType::Nak) {
        outcome = handle_nak(packet);
    } else if (packet.type != method_->type()) {
        outcome = fail("EAP Response of type " + type_name(*packet.type) + " while running " +
                       type_name(method_->type()));
    } else {
        method_answered_ = true;
        outcome = method_->process(packet);
        if (outcome.kind == Outcome::Kind::CheckPassword) checking_password_ = true;
        else if (outcome.kind == Outcome::Kind::RunJob) running_job_ = true;
        else outcome = emit(std::move(outcome));
    }
    // Responses may carry passwords (GTC) or hashes: wipe the parsed copy.
    if (!packet.type_data.empty()) secure_wipe(packet.type_data.data(), packet.type_data.size());
    return outcome;
}

Outcome EapServer::resume(PasswordCheck result) {
    if (!checking_password_) throw std::logic_error("EapServer::resume without a password check in progress");
    checking_password_ = false;
    return emit(method_->resume(result));
}

Outcome EapServer::resume_job() {
    if (!running_job_) throw std::logic_error("EapServer::resume_job without a job in progress");
    running_job_ = false;
    return emit(method_->resume_job());
}

Outcome EapServer::handle_identity(const EapPacket& response) {
    if (response.type != iana::EapType::Identity)
        return fail("expected an EAP Identity response, got " + type_name(*response.type));
    std::string why;
    auto identity = validate_identity(response.type_data, why);
    if (!identity) return fail(why);
    identity_ = std::move(*identity);
    LOG_EXCH(Eap, "EAP: identity '%s'", loggable(identity_).c_str());
    user_ = lookup_(identity_);
    return start_method(choose_method());
}

Outcome EapServer::handle_nak(const EapPacket& response) {
    // RFC 3748 5.3.1: a Nak answers only the initial Request of a method.
    if (method_answered_) return fail("EAP Nak in the middle of " + type_name(method_->type()));
    const auto proposed = [&](iana::EapType t) {
        return std::find(response.type_data.begin(), response.type_data.end(), static_cast<std::uint8_t>(t)) !=
               response.type_data.end();
    };
    for (iana::EapType t : allowed_) {
        if (std::find(tried_.begin(), tried_.end(), t) != tried_.end()) continue;
        if (proposed(t)) {
            LOG_EXCH(Eap, "EAP: peer refused %s, switching to %s", type_name(method_->type()).c_str(),
                     type_name(t).c_str());
            return start_method(t);
        }
    }
    std::string offered;
    for (std::uint8_t t : response.type_data) offered += (offered.empty() ? "" : ",") + std::to_string(t);
    return fail("peer refused " + type_name(method_->type()) + " and proposed no other allowed method (" +
                (offered.empty() ? std::string("none") : offered) + ")");
}

std::string EapServer::anyconnect_session_token() const {
    const auto* anyconnect = dynamic_cast<const AnyConnectMethod*>(method_.get());
    return anyconnect ? anyconnect->session_token() : std::string();
}

}  // namespace ikev2d::eap
