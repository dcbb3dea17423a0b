#include "eap/eap_tls.hpp"

#include <stdexcept>

#include "util/log.hpp"

namespace ikev2d::eap {

EapTlsMethod::EapTlsMethod(std::string identity, EapTlsSettings settings)
    : identity_(std::move(identity)),
      settings_(std::move(settings)),
      reassembler_(settings_.max_message),
      fragmenter_(settings_.fragment_size) {
    if (!settings_.credentials) throw std::invalid_argument("EAP-TLS is not set up (no gateway certificate or CAs)");
}

Bytes EapTlsMethod::request(std::uint8_t id, ByteView type_data) const {
    return make_request(id, iana::EapType::TLS, type_data);
}

Bytes EapTlsMethod::start(std::uint8_t identifier) {
    session_ = std::make_shared<tls::ServerSession>(settings_.credentials, identity_);
    started_ = true;
    phase_ = Phase::AwaitClientData;
    LOG_INFO(Eap, "EAP-TLS: sending Start (id %u)", identifier);
    const std::uint8_t start_flags[] = {tls::kFlagStart};
    return request(identifier, start_flags);
}

Outcome EapTlsMethod::fail(std::uint8_t id, std::string why) {
    phase_ = Phase::Finished;
    return Outcome::failure(id, "TLS: " + std::move(why));
}

Outcome EapTlsMethod::process(const EapPacket& response) {
    const std::uint8_t id = response.identifier;
    if (!started_ || phase_ == Phase::Finished || phase_ == Phase::Working)
        return fail(id, "Response outside the conversation");
    auto parsed = tls::parse_fragment(response.type_data);
    if (!parsed) return fail(id, parsed.error());
    const tls::Fragment& fragment = parsed.value();
    if (fragment.flags & tls::kFlagStart) return fail(id, "S flag in a Response");
    const auto next_id = static_cast<std::uint8_t>(id + 1);
    switch (phase_) {
        case Phase::AwaitAlertAck: return fail(id, failure_);
        case Phase::AwaitFinalAck:
            if (!fragment.is_ack()) return fail(id, "the client answered our Finished with TLS data (an alert?), not an ACK");
            phase_ = Phase::Finished;
            succeeded_ = true;
            LOG_EXCH(Eap, "EAP-TLS: user '%s' authenticated by certificate", loggable(session_->user()).c_str());
            return Outcome::success(id, session_->user());
        case Phase::Sending:
            if (!fragment.is_ack()) return fail(id, "the client sent TLS data while our flight was being fragmented");
            return send_next_fragment(next_id);
        case Phase::AwaitClientData: return handle_client_data(id, fragment);
        default: break;
    }
    return fail(id, "Response outside the conversation");
}

Outcome EapTlsMethod::handle_client_data(std::uint8_t id, const tls::Fragment& fragment) {
    if (fragment.is_ack()) return fail(id, "an ACK where the client's TLS data was expected");
    auto added = reassembler_.add(fragment);
    if (!added) return fail(id, added.error());
    if (added.value() == tls::Reassembler::Status::NeedMore) {
        const std::uint8_t ack[] = {0};  // RFC 5216 2.1.5: a Request with no data acknowledges a fragment
        return Outcome::proceed(request(static_cast<std::uint8_t>(id + 1), ack));
    }
    pending_flight_ = reassembler_.take();
    return run_handshake(id);
}

Outcome EapTlsMethod::run_handshake(std::uint8_t id) {
    if (!defer_jobs_) {
        session_->step(pending_flight_);
        pending_flight_.clear();
        return after_handshake(id);
    }
    // The job holds the session and its input, so it may outlive this method (and the IKE SA).
    phase_ = Phase::Working;
    working_id_ = id;
    return Outcome::run_job([session = session_, flight = std::move(pending_flight_)] { session->step(flight); });
}

Outcome EapTlsMethod::resume_job() {
    if (phase_ != Phase::Working) throw std::logic_error("EAP-TLS resumed without a handshake step in progress");
    return after_handshake(working_id_);
}

Outcome EapTlsMethod::after_handshake(std::uint8_t id) {
    const Bytes flight = session_->take_output();
    Phase after = Phase::AwaitClientData;
    switch (session_->state()) {
        case tls::ServerSession::State::Failed:
            failure_ = session_->failure();
            // Logged now: peers often abandon the exchange on our alert instead of
            // acknowledging it, and then no Failure (which logs the reason) follows.
            LOG_EXCH(Eap, "EAP-TLS: handshake with '%s' failed: %s", loggable(identity_).c_str(), failure_.c_str());
            // RFC 5216 2.1.3: the alert goes to the peer, whose ACK we answer with Failure.
            if (flight.empty()) return fail(id, failure_);
            after = Phase::AwaitAlertAck;
            break;
        case tls::ServerSession::State::Done:
            msk_ = session_->msk();
            after = Phase::AwaitFinalAck;
            break;
        case tls::ServerSession::State::InProgress: break;
    }
    if (flight.empty()) return fail(id, "the TLS server had nothing to send");
    fragmenter_.load(flight);
    after_sending_ = after;
    return send_next_fragment(static_cast<std::uint8_t>(id + 1));
}

Outcome EapTlsMethod::send_next_fragment(std::uint8_t id) {
    const Bytes type_data = fragmenter_.next();
    phase_ = fragmenter_.pending() ? Phase::Sending : after_sending_;
    return Outcome::proceed(request(id, type_data));
}

std::optional<SecureBytes> EapTlsMethod::msk() const {
    if (!succeeded_ || !msk_) return std::nullopt;
    return msk_->clone();
}

}  // namespace ikev2d::eap
