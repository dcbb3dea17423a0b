// Keeps a DbusService alive across dbus-daemon restarts: when the bus connection
// dies the service is dropped and created again (a new connection, org.ikev2d
// requested, the object exported) from a timer on the event loop, with a backoff
// between failed attempts. The loop is never blocked waiting for the bus: the
// connection is set up and the name taken on a thread of its own
// (dbus_connect_attempt.hpp), and only a connection that owns the name is handed to
// the loop, which exports the object and dispatches from then on.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <sdbus-c++/IConnection.h>

#include "control/dbus_service.hpp"

struct sd_event;
struct sd_event_source;

namespace ikev2d::control {

class DbusConnectAttempt;

class ReconnectingDbusService {
public:
    // Runs on a helper thread: a connection that owns the bus name, or throws. It may
    // block (that is why it runs there) and must not touch what the loop owns.
    using Connect = std::function<std::unique_ptr<sdbus::IConnection>()>;
    // Runs on the loop: the service on that connection (DbusService::BusName::Owned),
    // or throws (sdbus::Error, std::runtime_error).
    using Serve = std::function<std::unique_ptr<DbusService>(std::unique_ptr<sdbus::IConnection>)>;

    // Starts the first attempt (it completes later, on the loop); a failed attempt is
    // retried after first_retry, doubling up to max_retry.
    ReconnectingDbusService(sd_event* loop, Connect connect, Serve serve,
                            std::chrono::milliseconds first_retry = std::chrono::milliseconds(500),
                            std::chrono::milliseconds max_retry = std::chrono::seconds(30));
    ~ReconnectingDbusService();  // does not wait for an attempt in progress
    ReconnectingDbusService(const ReconnectingDbusService&) = delete;
    ReconnectingDbusService& operator=(const ReconnectingDbusService&) = delete;

    // The service while connected, else nullptr.
    DbusService* service() const noexcept { return service_.get(); }
    // Called on the loop each time the service is (again) on the bus.
    void on_connected(std::function<void(DbusService&)> callback) { on_connected_ = std::move(callback); }

private:
    struct SourceUnref {
        void operator()(sd_event_source* s) const noexcept;
    };
    static int on_timer(sd_event_source* s, uint64_t usec, void* self);
    void attempt();
    void finish(std::unique_ptr<sdbus::IConnection> connection, const std::string& error);
    void failed(const std::string& error);
    void arm(std::chrono::milliseconds delay);

    sd_event* loop_;
    Connect connect_;
    Serve serve_;
    std::chrono::milliseconds first_retry_, max_retry_, next_retry_;
    std::unique_ptr<DbusService> service_;
    std::unique_ptr<DbusConnectAttempt> attempt_;
    std::unique_ptr<sd_event_source, SourceUnref> timer_;
    std::function<void(DbusService&)> on_connected_;
    bool failing_ = false;  // the last attempt failed (logged once per streak)
};

}  // namespace ikev2d::control
