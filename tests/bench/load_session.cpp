#include "load_session.hpp"

#include "codec.hpp"
#include "iana.hpp"

namespace bench {

using peer::ByteView;
using peer::Initiator;

std::optional<LoadMode> parse_mode(std::string_view name) {
    if (name == "init") return LoadMode::Init;
    if (name == "psk") return LoadMode::Psk;
    if (name == "cert-eap") return LoadMode::CertEap;
    if (name == "childless") return LoadMode::Childless;
    if (name == "gtc") return LoadMode::Gtc;
    return std::nullopt;
}

const char* mode_name(LoadMode mode) {
    switch (mode) {
        case LoadMode::Init: return "init";
        case LoadMode::Psk: return "psk";
        case LoadMode::CertEap: return "cert-eap";
        case LoadMode::Childless: return "childless";
        case LoadMode::Gtc: return "gtc";
    }
    return "?";
}

namespace {
peer::InitiatorConfig for_mode(LoadMode mode, peer::InitiatorConfig c) {
    if (mode == LoadMode::CertEap || mode == LoadMode::Gtc) {
        c.eap_method = mode == LoadMode::Gtc ? peer::InitiatorConfig::EapMethod::Gtc
                                             : peer::InitiatorConfig::EapMethod::MsChapV2;
        c.psk.clear();
    } else {
        c.eap_user.clear();
    }
    c.childless = mode == LoadMode::Childless;
    c.accept_refused_child = true;
    return c;
}
}  // namespace

LoadSession::LoadSession(LoadMode mode, peer::InitiatorConfig config)
    : mode_(mode), initiator_(for_mode(mode, std::move(config))) {
    request_ = initiator_.sa_init_request();
}

LoadSession::State LoadSession::failed(std::string why) {
    error_ = std::move(why);
    return State::Failed;
}

LoadSession::State LoadSession::on_packet(ByteView packet, bool& resend) {
    resend = false;
    return in_auth_ ? on_auth(packet, resend) : on_sa_init(packet, resend);
}

LoadSession::State LoadSession::on_sa_init(ByteView packet, bool& resend) {
    auto header = peer::decode_header(packet);
    if (!header || header->exchange != peer::iana::kIkeSaInit || !(header->flags & peer::iana::kFlagResponse))
        return State::Waiting;
    if (mode_ == LoadMode::Init) {
        // An answer with SA and KE made a half-open IKE SA; no need to derive its keys.
        auto msg = peer::decode_message(packet);
        if (msg && header->spi_r != 0 && peer::find(msg->payloads, peer::iana::kSA) &&
            peer::find(msg->payloads, peer::iana::kKE))
            return State::Established;
    }
    switch (initiator_.on_sa_init_response(packet)) {
        case Initiator::Step::Failed: return failed("IKE_SA_INIT: " + initiator_.error());
        case Initiator::Step::Retry:  // COOKIE or INVALID_KE_PAYLOAD
            request_ = initiator_.sa_init_request();
            resend = true;
            return State::Waiting;
        case Initiator::Step::Done: break;
    }
    if (mode_ == LoadMode::Init) return State::Established;
    request_ = initiator_.auth_request();
    in_auth_ = true;
    resend = true;
    return State::Waiting;
}

LoadSession::State LoadSession::on_auth(ByteView packet, bool& resend) {
    auto header = peer::decode_header(packet);
    if (!header || header->exchange != peer::iana::kIkeAuth || !(header->flags & peer::iana::kFlagResponse) ||
        header->message_id != initiator_.auth_message_id())
        return State::Waiting;
    switch (initiator_.on_auth_response(packet)) {
        case Initiator::Step::Failed: return failed("IKE_AUTH: " + initiator_.error());
        case Initiator::Step::Retry:  // the next EAP round
            request_ = initiator_.auth_continuation();
            resend = true;
            return State::Waiting;
        case Initiator::Step::Done: return State::Established;
    }
    return State::Waiting;
}

}  // namespace bench
