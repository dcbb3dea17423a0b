#include "control/dbus_reconnect.hpp"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <string>

#include <systemd/sd-event.h>

#include "control/dbus_connect_attempt.hpp"
#include "util/log.hpp"

namespace ikev2d::control {

void ReconnectingDbusService::SourceUnref::operator()(sd_event_source* s) const noexcept {
    sd_event_source_disable_unref(s);
}

ReconnectingDbusService::ReconnectingDbusService(sd_event* loop, Connect connect, Serve serve,
                                                 std::chrono::milliseconds first_retry,
                                                 std::chrono::milliseconds max_retry)
    : loop_(loop), connect_(std::move(connect)), serve_(std::move(serve)), first_retry_(first_retry),
      max_retry_(max_retry), next_retry_(first_retry) {
    sd_event_source* raw = nullptr;
    int r = sd_event_add_time(loop_, &raw, CLOCK_MONOTONIC, UINT64_MAX, 0, &ReconnectingDbusService::on_timer, this);
    if (r < 0) throw std::runtime_error(std::string("D-Bus reconnect timer: ") + std::strerror(-r));
    timer_.reset(raw);
    sd_event_source_set_enabled(timer_.get(), SD_EVENT_OFF);
    sd_event_source_set_description(timer_.get(), "dbus-reconnect");
    attempt();
}

ReconnectingDbusService::~ReconnectingDbusService() {
    attempt_.reset();
    service_.reset();
    timer_.reset();
}

int ReconnectingDbusService::on_timer(sd_event_source*, uint64_t, void* self) {
    static_cast<ReconnectingDbusService*>(self)->attempt();
    return 0;
}

void ReconnectingDbusService::arm(std::chrono::milliseconds delay) {
    uint64_t now = 0;
    sd_event_now(loop_, CLOCK_MONOTONIC, &now);
    sd_event_source_set_time(timer_.get(), now + static_cast<uint64_t>(delay.count()) * 1000u);
    sd_event_source_set_enabled(timer_.get(), SD_EVENT_ONESHOT);
}

// Runs from the timer (or the constructor): never from the dead connection's own
// sources, which a reset here would free under their feet.
void ReconnectingDbusService::attempt() {
    service_.reset();  // the dead connection, if any
    attempt_.reset();
    try {
        attempt_ = std::make_unique<DbusConnectAttempt>(
            loop_, connect_,
            [this](std::unique_ptr<sdbus::IConnection> connection, const std::string& error) {
                finish(std::move(connection), error);
            });
    } catch (const std::exception& e) {
        failed(e.what());
    }
}

// On the loop, from the attempt's own source: the attempt is kept until the next one.
void ReconnectingDbusService::finish(std::unique_ptr<sdbus::IConnection> connection, const std::string& error) {
    if (!connection) return failed(error);
    try {
        service_ = serve_(std::move(connection));
        // Only arms a zero timer: the drop happens in attempt(), outside the glue.
        service_->on_disconnect([this] {
            LOG_ERR(Platform, "D-Bus: lost the bus connection, reconnecting");
            failing_ = true;  // logged: say when it is back, not every failed retry
            next_retry_ = first_retry_;
            arm(std::chrono::milliseconds(0));
        });
    } catch (const std::exception& e) {
        service_.reset();
        return failed(e.what());
    }
    if (failing_) LOG_ANNOUNCE(Platform, "D-Bus: connected to the bus again");
    failing_ = false;
    next_retry_ = first_retry_;
    if (on_connected_) on_connected_(*service_);
}

void ReconnectingDbusService::failed(const std::string& error) {
    if (!failing_)
        LOG_ERR(Platform, "D-Bus control interface not available, retrying: %s", error.c_str());
    else
        LOG_INFO(Platform, "D-Bus: still not available: %s", error.c_str());
    failing_ = true;
    arm(next_retry_);
    next_retry_ = std::min(next_retry_ * 2, max_retry_);
}

}  // namespace ikev2d::control
