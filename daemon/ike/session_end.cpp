#include "ike/session_end.hpp"

namespace ikev2d::ike {

SessionEnd session_end_of(std::string_view reason) {
    struct Rule {
        std::string_view prefix;
        SessionEnd end;
    };
    static constexpr Rule kRules[] = {
        {"peer deleted", SessionEnd::PeerDelete},
        {"peer dead", SessionEnd::DpdTimeout},
        {kIdleTimeoutReason, SessionEnd::IdleTimeout},
        {kSessionTimeoutReason, SessionEnd::SessionTimeout},
        {"IKE SA lifetime expired", SessionEnd::SessionTimeout},
        {"administrator", SessionEnd::Administrator},
        {"RADIUS Disconnect-Request", SessionEnd::Administrator},
        {"replaced by a new IKE SA", SessionEnd::Replaced},
        {kSimultaneousLoginReason, SessionEnd::Replaced},
        {"user removed by reload", SessionEnd::Configuration},
        {"gateway shutting down", SessionEnd::Shutdown},
        {"internal error", SessionEnd::Error},
    };
    for (const Rule& r : kRules)
        if (reason.substr(0, r.prefix.size()) == r.prefix) return r.end;
    return SessionEnd::Other;
}

const char* session_end_name(SessionEnd end) {
    switch (end) {
        case SessionEnd::PeerDelete: return "peer delete";
        case SessionEnd::DpdTimeout: return "dpd timeout";
        case SessionEnd::IdleTimeout: return "idle timeout";
        case SessionEnd::SessionTimeout: return "session timeout";
        case SessionEnd::Administrator: return "administrator";
        case SessionEnd::Replaced: return "replaced";
        case SessionEnd::Configuration: return "configuration";
        case SessionEnd::Shutdown: return "shutdown";
        case SessionEnd::Error: return "error";
        case SessionEnd::Other: return "other";
    }
    return "other";
}

std::uint32_t acct_terminate_cause(SessionEnd end) {
    // RFC 2866 5.10.
    switch (end) {
        case SessionEnd::PeerDelete: return 1;      // User-Request
        case SessionEnd::DpdTimeout: return 2;      // Lost-Carrier
        case SessionEnd::IdleTimeout: return 4;     // Idle-Timeout
        case SessionEnd::SessionTimeout: return 5;  // Session-Timeout
        case SessionEnd::Administrator: return 6;   // Admin-Reset
        case SessionEnd::Replaced: return 12;       // Port-Preempted
        case SessionEnd::Configuration: return 10;  // NAS-Request
        case SessionEnd::Shutdown: return 11;       // NAS-Reboot
        case SessionEnd::Error: return 9;           // NAS-Error
        case SessionEnd::Other: return 3;           // Lost-Service
    }
    return 3;
}

}  // namespace ikev2d::ike
