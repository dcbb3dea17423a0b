// Drives an sdbus-c++ connection from the daemon's sd-event loop, on the loop's
// thread (no sdbus-c++ event-loop thread): an io source on the bus fd plus a timer
// for sd-bus's own timeouts, both re-armed from a prepare callback before each poll
// with what getEventLoopPollData() asks for.
#pragma once

#include <functional>
#include <memory>

#include <sdbus-c++/IConnection.h>

struct sd_event;
struct sd_event_source;

namespace ikev2d::control {

class SdbusEventGlue {
public:
    // Throws std::runtime_error naming the failing sd-event call.
    SdbusEventGlue(sd_event* loop, sdbus::IConnection& connection);
    ~SdbusEventGlue();
    SdbusEventGlue(const SdbusEventGlue&) = delete;
    SdbusEventGlue& operator=(const SdbusEventGlue&) = delete;

    // Called once when the connection is found dead (the bus went away: sd-bus fails
    // to process or to report its poll data). The callback must not destroy the glue
    // synchronously: it is called from the glue's own event sources.
    void set_on_lost(std::function<void()> on_lost) { on_lost_ = std::move(on_lost); }

private:
    struct SourceUnref {
        void operator()(sd_event_source* s) const noexcept;
    };
    using SourcePtr = std::unique_ptr<sd_event_source, SourceUnref>;

    static int on_prepare(sd_event_source* s, void* self);
    static int on_io(sd_event_source* s, int fd, uint32_t revents, void* self);
    static int on_timer(sd_event_source* s, uint64_t usec, void* self);
    int prepare() noexcept;
    int process() noexcept;
    void lost() noexcept;

    sdbus::IConnection& connection_;
    SourcePtr io_;
    SourcePtr timer_;
    std::function<void()> on_lost_;
    bool lost_ = false;
};

}  // namespace ikev2d::control
