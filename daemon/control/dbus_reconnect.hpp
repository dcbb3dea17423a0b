// Keeps a DbusService alive across dbus-daemon restarts: when the bus connection
// dies the service is dropped and created again (a new connection, the object
// exported, org.ikev2d requested) from a timer on the event loop, with a backoff
// between failed attempts. The loop is never blocked waiting for the bus: an attempt
// while the bus is down fails at connect() and is retried later.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "control/dbus_service.hpp"

struct sd_event;
struct sd_event_source;

namespace ikev2d::control {

class ReconnectingDbusService {
public:
    // Makes a connected service or throws (sdbus::Error, std::runtime_error).
    using Factory = std::function<std::unique_ptr<DbusService>()>;

    // Tries once now; if that fails, retries after first_retry, doubling up to max_retry.
    ReconnectingDbusService(sd_event* loop, Factory factory,
                            std::chrono::milliseconds first_retry = std::chrono::milliseconds(500),
                            std::chrono::milliseconds max_retry = std::chrono::seconds(30));
    ~ReconnectingDbusService();
    ReconnectingDbusService(const ReconnectingDbusService&) = delete;
    ReconnectingDbusService& operator=(const ReconnectingDbusService&) = delete;

    // The service while connected, else nullptr.
    DbusService* service() const noexcept { return service_.get(); }

private:
    struct SourceUnref {
        void operator()(sd_event_source* s) const noexcept;
    };
    static int on_timer(sd_event_source* s, uint64_t usec, void* self);
    void attempt();
    void arm(std::chrono::milliseconds delay);

    sd_event* loop_;
    Factory factory_;
    std::chrono::milliseconds first_retry_, max_retry_, next_retry_;
    std::unique_ptr<DbusService> service_;
    std::unique_ptr<sd_event_source, SourceUnref> timer_;
    bool failing_ = false;  // the last attempt failed (logged once per streak)
};

}  // namespace ikev2d::control
