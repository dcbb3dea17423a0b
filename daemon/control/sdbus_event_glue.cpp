#include "control/sdbus_event_glue.hpp"

#include <cstring>
#include <ctime>
#include <stdexcept>
#include <string>

#include <sys/epoll.h>
#include <systemd/sd-event.h>

#include "util/log.hpp"

namespace ikev2d::control {

namespace {

void check(int r, const char* what) {
    if (r < 0)
        throw std::runtime_error(std::string("D-Bus event glue: ") + what + ": " + std::strerror(-r));
}

}  // namespace

void SdbusEventGlue::SourceUnref::operator()(sd_event_source* s) const noexcept {
    sd_event_source_disable_unref(s);
}

SdbusEventGlue::SdbusEventGlue(sd_event* loop, sdbus::IConnection& connection)
    : connection_(connection) {
    const auto poll = connection_.getEventLoopPollData();
    sd_event_source* raw = nullptr;
    check(sd_event_add_io(loop, &raw, poll.fd, EPOLLIN, &SdbusEventGlue::on_io, this),
          "sd_event_add_io");
    io_.reset(raw);
    check(sd_event_source_set_prepare(io_.get(), &SdbusEventGlue::on_prepare), "sd_event_source_set_prepare");
    check(sd_event_add_time(loop, &raw, CLOCK_MONOTONIC, UINT64_MAX, 0, &SdbusEventGlue::on_timer, this),
          "sd_event_add_time");
    timer_.reset(raw);
    check(sd_event_source_set_enabled(timer_.get(), SD_EVENT_OFF), "sd_event_source_set_enabled");
    sd_event_source_set_description(io_.get(), "dbus-io");
    sd_event_source_set_description(timer_.get(), "dbus-timeout");
}

SdbusEventGlue::~SdbusEventGlue() = default;

int SdbusEventGlue::on_prepare(sd_event_source*, void* self) {
    return static_cast<SdbusEventGlue*>(self)->prepare();
}

int SdbusEventGlue::on_io(sd_event_source*, int, uint32_t, void* self) {
    return static_cast<SdbusEventGlue*>(self)->process();
}

int SdbusEventGlue::on_timer(sd_event_source*, uint64_t, void* self) {
    return static_cast<SdbusEventGlue*>(self)->process();
}

// Called by sd-event before it polls: ask sd-bus what it waits for (POLLOUT while
// output is queued, a timeout for pending method calls or queued input).
int SdbusEventGlue::prepare() noexcept {
    try {
        const auto poll = connection_.getEventLoopPollData();
        // POLLIN/POLLOUT have the same values as EPOLLIN/EPOLLOUT.
        int r = sd_event_source_set_io_events(io_.get(), static_cast<uint32_t>(poll.events));
        if (r < 0)
            return r;
        if (poll.timeout_usec == UINT64_MAX)
            return sd_event_source_set_enabled(timer_.get(), SD_EVENT_OFF);
        r = sd_event_source_set_time(timer_.get(), poll.timeout_usec);
        if (r < 0)
            return r;
        return sd_event_source_set_enabled(timer_.get(), SD_EVENT_ONESHOT);
    } catch (const std::exception& e) {
        LOG_ERR(Platform, "D-Bus: cannot get poll data: %s", e.what());
        lost();
        return -EIO;  // sd-event disables the source; the bus connection is dead anyway
    }
}

int SdbusEventGlue::process() noexcept {
    try {
        while (connection_.processPendingRequest()) {
        }
        return 0;
    } catch (const std::exception& e) {
        LOG_ERR(Platform, "D-Bus: connection failed: %s", e.what());
        if (timer_)
            sd_event_source_set_enabled(timer_.get(), SD_EVENT_OFF);
        lost();
        return -EIO;
    }
}

void SdbusEventGlue::lost() noexcept {
    if (lost_)
        return;
    lost_ = true;
    if (!on_lost_) {
        LOG_ERR(Platform, "D-Bus: control interface disabled");
        return;
    }
    try {
        on_lost_();
    } catch (const std::exception& e) {
        LOG_ERR(Platform, "D-Bus: handling the lost connection: %s", e.what());
    }
}

}  // namespace ikev2d::control
