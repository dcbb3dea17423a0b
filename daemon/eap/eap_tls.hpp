// EAP-TLS (RFC 5216) as an EAP server method: client certificates over EAP, checked by a
// GnuTLS server (eap_tls_session.hpp) that speaks through the EAP-TLS framing
// (eap_tls_framing.hpp). The conversation:
//   Request(S) -> Response(ClientHello) -> Request(server flight, in fragments the peer
//   ACKs) -> Response(client flight, in fragments we ACK) -> Request(ChangeCipherSpec,
//   Finished) -> Response(ACK) -> Success, with the MSK of RFC 5216 2.3.
// A failed handshake sends GnuTLS's alert, takes the peer's ACK and ends in Failure.
#pragma once

#include <memory>
#include <string>

#include "eap/eap_tls_framing.hpp"
#include "eap/eap_tls_session.hpp"
#include "eap/method.hpp"

namespace ikev2d::eap {

struct EapTlsSettings {
    std::shared_ptr<const tls::ServerCredentials> credentials;
    std::size_t fragment_size = 1024;        // TLS bytes per Request: keeps IKE messages under common MTUs
    std::size_t max_message = 64 * 1024;     // the largest flight a peer may send, over its fragments
};

class EapTlsMethod final : public EapMethod {
public:
    // Throws std::invalid_argument without credentials.
    EapTlsMethod(std::string identity, EapTlsSettings settings);

    iana::EapType type() const override { return iana::EapType::TLS; }
    Bytes start(std::uint8_t identifier) override;
    Outcome process(const EapPacket& response) override;
    Outcome resume_job() override;
    std::optional<SecureBytes> msk() const override;
    // 64 KiB in fragments of ~1 KiB plus our flights; a peer slicing thinner runs out.
    int max_requests() const override { return 96; }

private:
    enum class Phase {
        AwaitClientData,  // expecting (a fragment of) the peer's next flight
        Sending,          // our flight goes out in fragments; expecting ACKs
        AwaitFinalAck,    // our last flight is out; the ACK ends it in Success
        AwaitAlertAck,    // an alert is out; whatever comes ends it in Failure
        Working,          // a handshake step runs (deferred)
        Finished,
    };

    Outcome handle_client_data(std::uint8_t id, const tls::Fragment& fragment);
    Outcome run_handshake(std::uint8_t id);
    Outcome after_handshake(std::uint8_t id);
    Outcome send_next_fragment(std::uint8_t id);
    Outcome fail(std::uint8_t id, std::string why);
    Bytes request(std::uint8_t id, ByteView type_data) const;

    std::string identity_;
    EapTlsSettings settings_;
    std::shared_ptr<tls::ServerSession> session_;  // shared with a deferred handshake step
    tls::Reassembler reassembler_;
    tls::Fragmenter fragmenter_;
    Bytes pending_flight_;       // the peer's reassembled flight, for the handshake step
    std::uint8_t working_id_{0};  // the Identifier of the Response that started the step
    Phase phase_{Phase::AwaitClientData};
    Phase after_sending_{Phase::AwaitClientData};  // where the last fragment of a flight leads
    bool started_{false};
    bool succeeded_{false};
    std::string failure_;
    std::optional<SecureBytes> msk_;
};

}  // namespace ikev2d::eap
