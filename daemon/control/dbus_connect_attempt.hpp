// One attempt to open the bus connection, run on a thread of its own, its result handed
// to the event loop. sdbus-c++ 1.2 (Debian 12) sets a connection up only synchronously:
// createSystemBusConnection() waits for the bus's answer to Hello (sd_bus_flush) and
// requestName() for the answer to RequestName, up to 25 s each when the bus accepts the
// connection but does not answer; and it cannot adopt an sd_bus set up asynchronously on
// the loop (createBusConnection(sd_bus*) came with a later version). So the waiting is
// done here, away from the loop, which goes on serving IKE in the meantime.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <sdbus-c++/IConnection.h>

struct sd_event;
struct sd_event_source;

namespace ikev2d::control {

class DbusConnectAttempt {
public:
    // Runs on the attempt's thread: opens the connection (and takes the bus name), or
    // throws. It must not touch anything the loop owns.
    using Connect = std::function<std::unique_ptr<sdbus::IConnection>()>;
    // Runs on the loop: the connection, or nullptr and what went wrong. It may destroy
    // the attempt.
    using Done = std::function<void(std::unique_ptr<sdbus::IConnection>, const std::string& error)>;

    // Starts the thread. Throws std::runtime_error when the loop refuses the source.
    DbusConnectAttempt(sd_event* loop, Connect connect, Done done);
    // Does not wait for a set-up still in progress: its thread finishes on its own and
    // closes the connection it may yet get; done is not called then.
    ~DbusConnectAttempt();
    DbusConnectAttempt(const DbusConnectAttempt&) = delete;
    DbusConnectAttempt& operator=(const DbusConnectAttempt&) = delete;

private:
    struct Outcome;  // shared with the thread
    void start(Connect connect);  // the thread
    static int on_ready(sd_event_source* s, int fd, uint32_t revents, void* self);

    std::shared_ptr<Outcome> outcome_;
    Done done_;
    sd_event_source* source_ = nullptr;
};

}  // namespace ikev2d::control
