// The EAP authenticator for one IKE SA (RFC 7296 2.16, RFC 3748): an optional
// EAP-Identity round, then the configured method, with Nak handling (the peer proposes
// another method we allow -> switch), Identifier checks and a cap on the rounds.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eap/anyconnect.hpp"
#include "eap/credentials.hpp"
#include "eap/eap_tls.hpp"
#include "eap/method.hpp"
#include "eap/packet.hpp"

namespace ikev2d::eap {

class EapServer {
public:
    // More Requests than this end the conversation with a Failure.
    static constexpr int kMaxRequests = 16;

    // allowed_in_order: the methods this gateway offers, preferred first: MSCHAPV2,
    // MD5, GTC, TLS and Expanded (= EAP-AnyConnect); others throw std::invalid_argument, as
    // does an empty list. known_identity: IDi when it serves as the EAP identity; then
    // the Identity round is skipped. With IDi "*$AnyConnectClient$*" and Expanded
    // allowed, EAP-AnyConnect is started first.
    EapServer(std::vector<iana::EapType> allowed_in_order, CredentialLookup lookup,
              std::optional<std::string> known_identity);
    ~EapServer();
    EapServer(const EapServer&) = delete;
    EapServer& operator=(const EapServer&) = delete;

    // The first Request: Identity, or the method directly if the identity is known.
    Bytes start();
    // Parses and dispatches one Response. Anything malformed or unexpected ends the
    // conversation with a Failure whose reason says why.
    Outcome process(ByteView response_packet);
    // With deferral on, process() answers Kind::CheckPassword where a method would run
    // crypt(3); the caller runs the check (e.g. on a worker) and gives the result here,
    // which returns what process() would have. No Response is taken meanwhile.
    void set_defer_password_checks(bool on) { defer_password_checks_ = on; }
    Outcome resume(PasswordCheck result);
    bool checking_password() const { return checking_password_; }
    // With job deferral on, process() answers Kind::RunJob for CPU-heavy steps (EAP-TLS
    // handshakes); the caller runs outcome.job (e.g. on a worker), then calls resume_job().
    void set_defer_jobs(bool on) { defer_jobs_ = on; }
    Outcome resume_job();
    bool running_job() const { return running_job_; }

    // After Success only (and only for methods that derive one).
    std::optional<SecureBytes> msk() const;
    // The EAP identity (empty until known).
    const std::string& identity() const { return identity_; }
    // The method in progress (Identity during the Identity round).
    iana::EapType method() const;
    bool finished() const { return phase_ == Phase::Finished; }
    // The user the method authenticated (for AnyConnect the XML user name, not the
    // EAP identity); empty unless Success.
    const std::string& authenticated_user() const { return authenticated_user_; }

    // The session token EAP-AnyConnect sent in "complete" (empty for other methods).
    std::string anyconnect_session_token() const;

    // Settings for EAP-AnyConnect; call before start().
    void set_anyconnect_settings(AnyConnectSettings settings) { anyconnect_ = std::move(settings); }
    // Settings for EAP-TLS (required when TLS is allowed); call before start().
    void set_tls_settings(EapTlsSettings settings) { tls_ = std::move(settings); }

private:
    enum class Phase { NotStarted, Identity, Method, Finished };

    Outcome handle_identity(const EapPacket& response);
    Outcome handle_nak(const EapPacket& response);
    Outcome start_method(iana::EapType type);
    std::unique_ptr<EapMethod> make_method(iana::EapType type) const;
    // The first allowed method the user's credentials can serve (the first allowed one
    // for unknown users, so that they fail the same way as a wrong password).
    iana::EapType choose_method() const;
    Outcome finish(Outcome outcome);
    Outcome fail(std::string reason);
    Outcome emit(Outcome outcome);

    std::vector<iana::EapType> allowed_;
    std::vector<iana::EapType> tried_;
    CredentialLookup lookup_;
    std::optional<UserCredentials> user_;
    std::string identity_;
    std::string authenticated_user_;
    AnyConnectSettings anyconnect_;
    EapTlsSettings tls_;
    std::unique_ptr<EapMethod> method_;
    Phase phase_{Phase::NotStarted};
    bool method_answered_{false};  // the peer has sent a Response of the current method
    bool succeeded_{false};
    std::uint8_t last_request_id_{0};
    int requests_sent_{0};
    bool defer_password_checks_{false};
    bool checking_password_{false};
    bool defer_jobs_{false};
    bool running_job_{false};
};

}  // namespace ikev2d::eap
