// Why a session ended, as a fixed set: the reason of D-Bus SessionDown, of the accounting
// line and (as RFC 2866 Acct-Terminate-Cause) of RADIUS accounting. The gateway's own
// reason texts, which say more, stay in the logs; this maps them, in one place.
#pragma once

#include <cstdint>
#include <string_view>

namespace ikev2d::ike {

enum class SessionEnd {
    PeerDelete,      // "peer delete": the client deleted the IKE SA (Terminate-Cause User-Request)
    DpdTimeout,      // "dpd timeout": the peer stopped answering (Lost-Carrier)
    IdleTimeout,     // "idle timeout": no ESP traffic for the idle timeout (Idle-Timeout)
    SessionTimeout,  // "session timeout": the maximum session time, or the IKE SA lifetime (Session-Timeout)
    Administrator,   // "administrator": ikectl disconnect, a RADIUS Disconnect-Request (Admin-Reset)
    Replaced,        // "replaced": INITIAL_CONTACT or the simultaneous-login limit (Port-Preempted)
    Configuration,   // "configuration": a reload removed the user (NAS-Request)
    Shutdown,        // "shutdown": the gateway stopped (NAS-Reboot)
    Error,           // "error": an internal error closed it (NAS-Error)
    Other,           // "other" (Lost-Service)
};

SessionEnd session_end_of(std::string_view reason);
const char* session_end_name(SessionEnd end);
std::uint32_t acct_terminate_cause(SessionEnd end);

// The reason texts the limits use (session_limits.cpp), so that the mapping sees them.
inline constexpr std::string_view kIdleTimeoutReason = "idle timeout";
inline constexpr std::string_view kSessionTimeoutReason = "session timeout";
inline constexpr std::string_view kSimultaneousLoginReason = "simultaneous-login limit";

}  // namespace ikev2d::ike
