#include "aaa/eap_relay.hpp"

#include "crypto/random.hpp"
#include "eap/packet.hpp"

namespace ikev2d::aaa {

using iana::EapCode;

namespace {
constexpr std::size_t kMskSize = 64;
}  // namespace

EapRelay::EapRelay(std::string calling_station, std::string called_station, std::uint32_t nas_port)
    : calling_station_(std::move(calling_station)), called_station_(std::move(called_station)), nas_port_(nas_port) {}

Bytes EapRelay::start() {
    last_identifier_ = crypto::random_bytes(1)[0];
    awaiting_identity_ = true;
    return eap::make_request(last_identifier_, iana::EapType::Identity, {});
}

std::optional<AccessRequest> EapRelay::on_client(ByteView eap_packet, std::string& refusal) {
    auto parsed = eap::EapPacket::parse(eap_packet);
    if (!parsed) {
        refusal = "malformed EAP packet: " + parsed.error();
        return std::nullopt;
    }
    const eap::EapPacket& p = parsed.value();
    if (p.code != EapCode::Response || p.identifier != last_identifier_) {
        refusal = "EAP packet is not a Response to the last Request";
        return std::nullopt;
    }
    if (awaiting_identity_) {
        if (p.type != iana::EapType::Identity || p.type_data.empty() || p.type_data.size() > 253) {
            refusal = "expected a non-empty EAP-Response/Identity";
            return std::nullopt;
        }
        identity_.assign(p.type_data.begin(), p.type_data.end());
        awaiting_identity_ = false;
    }
    AccessRequest r;
    r.user_name = identity_;
    r.eap_message.assign(eap_packet.begin(), eap_packet.end());
    r.state = state_;
    r.calling_station_id = calling_station_;
    r.called_station_id = called_station_;
    r.nas_port = nas_port_;
    return r;
}

eap::Outcome EapRelay::on_server(const AccessReply& reply) {
    auto server_packet = eap::EapPacket::parse(reply.eap_message);
    switch (reply.code) {
        case AccessReply::Code::Challenge:
            if (!server_packet || server_packet.value().code != EapCode::Request)
                return eap::Outcome::failure(last_identifier_, "Access-Challenge without an EAP-Request");
            last_identifier_ = server_packet.value().identifier;
            state_ = reply.state;
            return eap::Outcome::proceed(reply.eap_message);
        case AccessReply::Code::Accept: {
            if (reply.mppe_recv_key.empty() || reply.mppe_send_key.empty())
                return eap::Outcome::failure(last_identifier_, "Access-Accept without MS-MPPE keys (no MSK)");
            const std::uint8_t id = server_packet ? server_packet.value().identifier : last_identifier_;
            eap::Outcome o = eap::Outcome::success(id, identity_);
            if (server_packet && server_packet.value().code == EapCode::Success) o.next_packet = reply.eap_message;
            accepted_.emplace();
            accepted_->code = reply.code;
            accepted_->framed_ip = reply.framed_ip;
            accepted_->framed_pool = reply.framed_pool;
            for (const Bytes& c : reply.classes) accepted_->classes.push_back(c);
            accepted_->session_timeout_s = reply.session_timeout_s;
            accepted_->idle_timeout_s = reply.idle_timeout_s;
            accepted_->interim_interval_s = reply.interim_interval_s;
            accepted_->filter_id = reply.filter_id;
            accepted_->redirect_gateway = reply.redirect_gateway;
            accepted_->dns = reply.dns;
            accepted_->mppe_recv_key = reply.mppe_recv_key.clone();
            accepted_->mppe_send_key = reply.mppe_send_key.clone();
            return o;
        }
        case AccessReply::Code::Reject: {
            eap::Outcome o = eap::Outcome::failure(last_identifier_, "rejected by the RADIUS server");
            if (server_packet && server_packet.value().code == EapCode::Failure) o.next_packet = reply.eap_message;
            return o;
        }
        case AccessReply::Code::NoAnswer:
        case AccessReply::Code::Error: break;
    }
    return eap::Outcome::failure(last_identifier_, reply.detail.empty() ? "RADIUS failed" : reply.detail);
}

std::optional<SecureBytes> EapRelay::msk() const {
    if (!accepted_) return std::nullopt;
    SecureBytes msk = accepted_->mppe_recv_key.clone();
    msk.append(accepted_->mppe_send_key.view());
    // EAP-MSCHAPv2's keys are 16 bytes each and its MSK is them plus 32 zero bytes (as the
    // client computes it); EAP-TLS/PEAP/TTLS send 32 + 32 bytes, the whole MSK.
    if (msk.size() < kMskSize) msk.resize(kMskSize);
    return msk;
}

}  // namespace ikev2d::aaa
