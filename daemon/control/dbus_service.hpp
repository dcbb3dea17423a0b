// The D-Bus side of the control interface: exports org.ikev2d.Manager1 at
// /org/ikev2d, owns the bus name org.ikev2d and dispatches from the daemon's event
// loop. The interface itself is generated from dbus/org.ikev2d.Manager1.xml.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <sdbus-c++/IConnection.h>

#include "control/caller_access.hpp"
#include "control/dbus_names.hpp"
#include "control/status.hpp"

struct sd_event;

namespace ikev2d::net {
class EventLoop;
}

namespace ikev2d::control {

class SdbusEventGlue;

class DbusService {
public:
    // Whether the connection handed in owns kBusName already.
    enum class BusName { Request, Owned };

    // Opens the system bus connection and takes kBusName: blocks until the bus answers
    // (Hello, RequestName; 25 s each at worst), so the daemon calls it off the loop
    // (ReconnectingDbusService). Throws sdbus::Error (e.g. the name refused: not root
    // under the shipped policy).
    static std::unique_ptr<sdbus::IConnection> connect_system_bus();

    // connection: nullptr = the system bus (set up here, blocking). Tests pass a
    // connection to a private bus. name: Owned when the connection has kBusName
    // already (connect_system_bus), else it is requested here, blocking, after the
    // object is exported. Calls queued on the connection meanwhile are dispatched
    // only from the loop, so a client that sees the name always finds the object.
    // access: who may call the methods that change state (the Get* methods are left
    // to the bus policy); others get org.freedesktop.DBus.Error.AccessDenied.
    // Throws sdbus::Error when the bus refuses the name and std::runtime_error when the
    // event loop refuses the sources.
    DbusService(net::EventLoop& loop, ControlBackend& backend, ControlAccess access,
                std::unique_ptr<sdbus::IConnection> connection = nullptr, BusName name = BusName::Request);
    // The same on a bare sd-event loop (what EventLoop::raw() returns).
    DbusService(sd_event* loop, ControlBackend& backend, ControlAccess access,
                std::unique_ptr<sdbus::IConnection> connection = nullptr, BusName name = BusName::Request);
    ~DbusService();
    DbusService(const DbusService&) = delete;
    DbusService& operator=(const DbusService&) = delete;

    // After a reload that changed control.admin_group.
    void set_access(ControlAccess access);

    // Called (from the event loop, once) when the bus connection dies, e.g. because
    // dbus-daemon restarted. The callback must not destroy this service synchronously
    // (control/dbus_reconnect.hpp defers that).
    void on_disconnect(std::function<void()> callback);

    void emit_session_up(const SessionStatus& session);
    void emit_session_down(const SessionStatus& session, const std::string& reason);

private:
    class Object;
    std::unique_ptr<sdbus::IConnection> connection_;
    std::unique_ptr<Object> object_;
    std::unique_ptr<SdbusEventGlue> glue_;
};

}  // namespace ikev2d::control
