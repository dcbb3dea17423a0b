// The interface every EAP method implements, as seen by EapServer.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "eap/packet.hpp"
#include "eap/password_check.hpp"
#include "util/bytes.hpp"
#include "util/iana.hpp"

namespace ikev2d::eap {

struct Outcome {
    // CheckPassword: nothing to send yet; run `password_check` and hand its result to
    // resume() (only when password checks are deferred).
    // RunJob: nothing to send yet; run `job` (e.g. on a worker: it owns what it touches)
    // and then call resume_job() (only when jobs are deferred, see set_defer_jobs).
    enum class Kind { Continue, Success, Failure, CheckPassword, RunJob };
    Kind kind{Kind::Failure};
    Bytes next_packet;     // Request to send (Continue), or the final EAP-Success/Failure packet
    std::string username;  // authenticated user on Success
    std::string reason;    // on Failure, for logs, no secrets
    std::shared_ptr<PasswordCheckRequest> password_check;  // CheckPassword only
    std::function<void()> job;                             // RunJob only

    static Outcome proceed(Bytes request) { return {Kind::Continue, std::move(request), {}, {}, {}, {}}; }
    static Outcome success(std::uint8_t identifier, std::string user) {
        return {Kind::Success, make_success(identifier), std::move(user), {}, {}, {}};
    }
    static Outcome failure(std::uint8_t identifier, std::string why) {
        return {Kind::Failure, make_failure(identifier), {}, std::move(why), {}, {}};
    }
    static Outcome check_password(const UserCredentials& user, std::string_view offered) {
        auto request = std::make_shared<PasswordCheckRequest>();
        request->user = user;
        request->offered = SecureBytes(as_bytes(offered));
        return {Kind::CheckPassword, {}, {}, {}, std::move(request), {}};
    }
    static Outcome run_job(std::function<void()> work) { return {Kind::RunJob, {}, {}, {}, {}, std::move(work)}; }
};

// Peer-chosen text (user names) made safe for a log line: control bytes become '?'
// and the length is capped.
std::string loggable(std::string_view peer_text);

class EapMethod {
public:
    virtual ~EapMethod();
    virtual iana::EapType type() const = 0;
    // The first Request of this method, with the given EAP Identifier.
    virtual Bytes start(std::uint8_t identifier) = 0;
    // Each Response from the peer. EapServer has already checked that its Identifier
    // answers the last Request and that its Type is this method's.
    virtual Outcome process(const EapPacket& response) = 0;
    // Master Session Key after Success (MSCHAPv2 yes, MD5/GTC no).
    virtual std::optional<SecureBytes> msk() const { return std::nullopt; }

    // With deferral on, a method that would run crypt(3) answers Kind::CheckPassword
    // instead, and resume() takes the result (so that the check can run off the loop).
    void set_defer_password_checks(bool on) { defer_password_checks_ = on; }
    virtual Outcome resume(PasswordCheck result);

    // With deferral on, a method with CPU-heavy work (EAP-TLS handshakes) answers
    // Kind::RunJob; resume_job() continues once the job ran.
    void set_defer_jobs(bool on) { defer_jobs_ = on; }
    virtual Outcome resume_job();

    // Requests the method may need (EapServer ends the conversation past it); EAP-TLS
    // fragments need more than the others.
    virtual int max_requests() const { return 16; }

protected:
    bool defer_password_checks_ = false;
    bool defer_jobs_ = false;
};

}  // namespace ikev2d::eap
