// One accounting line per session end: user, peer, assigned address, duration,
// bytes in/out (the Child SAs' kernel counters at close) and the reason, with
// IKEV2D_EVENT=session-accounting and the session's journal fields.
#pragma once

#include <string>

#include "control/status.hpp"
#include "ike/ike_sa.hpp"

namespace ikev2d::app {

// `session` is control's view of `sa` (GatewayControl::session_of), taken while its
// Child SAs are still installed.
void log_session_accounting(const ike::IkeSa& sa, const control::SessionStatus& session, const std::string& reason);

}  // namespace ikev2d::app
