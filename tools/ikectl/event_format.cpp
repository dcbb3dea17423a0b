#include "ikectl/event_format.hpp"

#include <ctime>

#include "ikectl/dump_format.hpp"

namespace ikev2d::ikectl {

std::string format_event(uint64_t time, const control::SessionStatus& s, const std::string* reason) {
    const std::time_t t = static_cast<std::time_t>(time);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    // dump_field: one event is one line whatever the peer sent as its user name.
    std::string out = std::string(stamp) + (reason ? " down" : " up") + " user=" + dump_field(s.username) +
                      " address=" + dump_field(s.assigned_ip) + " peer=" + dump_field(s.public_ip) + ":" +
                      std::to_string(s.public_port) + " index=" + std::to_string(s.index);
    if (reason)
        out += " reason=\"" + dump_field(*reason) + "\"";
    return out + "\n";
}

}  // namespace ikev2d::ikectl
