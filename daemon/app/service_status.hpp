// What the daemon tells systemd (sd_notify(3)): READY/RELOADING/STOPPING and a STATUS=
// line with the session count, so that `systemctl status ikev2d` reads
// "Status: "12 sessions, 3 half-open"". Messages go through a function so that tests
// can read them; a STATUS= is sent only when its text changes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace ikev2d::app {

// "1 session, 0 half-open", "12 sessions, 3 half-open".
std::string session_status(std::size_t sessions, std::size_t half_open);

class ServiceStatus {
public:
    using Notify = std::function<void(const std::string& message)>;
    using MonotonicUsec = std::function<std::uint64_t()>;
    // Defaults: sd_notify(0, message) and CLOCK_MONOTONIC.
    ServiceStatus();
    ServiceStatus(Notify notify, MonotonicUsec now);

    void ready(std::size_t sessions, std::size_t half_open);   // READY=1 + STATUS=
    void update(std::size_t sessions, std::size_t half_open);  // STATUS= when it changed
    // RELOADING=1 with MONOTONIC_USEC (what systemd >= 253 wants for Type=notify-reload;
    // older versions ignore the field), then READY=1 with the outcome in STATUS=.
    void reloading();
    void reloaded(const std::string& error);  // empty: the new configuration is in use
    void stopping();

private:
    std::string text() const;
    void send_status(const std::string& prefix);

    Notify notify_;
    MonotonicUsec now_;
    std::size_t sessions_ = 0, half_open_ = 0;
    std::string reload_note_;  // "; reload refused: file:line: reason" until a reload succeeds
    std::string last_sent_;
};

}  // namespace ikev2d::app
