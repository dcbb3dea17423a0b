#include "app/service_status.hpp"

#include <ctime>
#include <systemd/sd-daemon.h>

namespace ikev2d::app {

std::string session_status(std::size_t sessions, std::size_t half_open) {
    return std::to_string(sessions) + (sessions == 1 ? " session, " : " sessions, ") + std::to_string(half_open) +
           " half-open";
}

ServiceStatus::ServiceStatus()
    : ServiceStatus([](const std::string& m) { sd_notify(0, m.c_str()); },
                    [] {
                        timespec ts{};
                        clock_gettime(CLOCK_MONOTONIC, &ts);
                        return static_cast<std::uint64_t>(ts.tv_sec) * 1000000u +
                               static_cast<std::uint64_t>(ts.tv_nsec) / 1000u;
                    }) {}

ServiceStatus::ServiceStatus(Notify notify, MonotonicUsec now) : notify_(std::move(notify)), now_(std::move(now)) {}

std::string ServiceStatus::text() const { return session_status(sessions_, half_open_) + reload_note_; }

void ServiceStatus::send_status(const std::string& prefix) {
    last_sent_ = text();
    notify_(prefix + "STATUS=" + last_sent_);
}

void ServiceStatus::ready(std::size_t sessions, std::size_t half_open) {
    sessions_ = sessions;
    half_open_ = half_open;
    send_status("READY=1\n");
}

void ServiceStatus::update(std::size_t sessions, std::size_t half_open) {
    sessions_ = sessions;
    half_open_ = half_open;
    if (text() != last_sent_) send_status("");
}

void ServiceStatus::reloading() {
    notify_("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(now_()) + "\nSTATUS=reloading the configuration");
    last_sent_.clear();
}

void ServiceStatus::reloaded(const std::string& error) {
    reload_note_ = error.empty() ? "" : "; reload refused: " + error;
    send_status("READY=1\n");
}

void ServiceStatus::stopping() {
    last_sent_ = "stopping: deleting all IKE SAs";
    notify_("STOPPING=1\nSTATUS=" + last_sent_);
}

}  // namespace ikev2d::app
