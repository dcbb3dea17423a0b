#include "app/session_accounting.hpp"

#include <cinttypes>

#include "ike/sa_log_fields.hpp"
#include "ike/session_end.hpp"
#include "util/log.hpp"
#include "util/printable.hpp"

namespace ikev2d::app {

void log_session_accounting(const ike::IkeSa& sa, const control::SessionStatus& s, const std::string& reason) {
    const std::string peer = sa.remote.to_string();  // as in the session-up/-down lines
    log::LogFields f = ike::sa_log_fields(sa, "session-accounting", peer);
    if (!s.username.empty()) f.user = s.username;
    f.accounting = true;
    // The journal field and the line name every address the client had (IPv4, IPv6).
    const std::string addresses = s.assigned_ip.empty()    ? s.assigned_ip6
                                  : s.assigned_ip6.empty() ? s.assigned_ip
                                                           : s.assigned_ip + " " + s.assigned_ip6;
    f.assigned = addresses;
    f.reason = ike::session_end_name(ike::session_end_of(reason));  // the fixed set; the text follows in the message
    f.duration_s = s.duration_s;
    f.bytes_in = s.bytes_rx;
    f.bytes_out = s.bytes_tx;
    // Level 1: accounting is kept whatever the debug levels.
    IKEV2D_LOG_FIELDS(Platform, log::kError, Notice, f,
                      "(%u): session accounting: user '%s', peer %s, address %s, duration %" PRIu64
                      " s, bytes in %" PRIu64 ", bytes out %" PRIu64 ", reason: %s",
                      sa.unique_id, printable(s.username).c_str(), peer.c_str(), addresses.empty() ? "-" : addresses.c_str(),
                      static_cast<std::uint64_t>(s.duration_s), static_cast<std::uint64_t>(s.bytes_rx),
                      static_cast<std::uint64_t>(s.bytes_tx), reason.c_str());
}

}  // namespace ikev2d::app
