// DbusService on the daemon's net::EventLoop. Kept apart from dbus_service.cpp
// because it is the only control source that needs net/event_loop.hpp.
#include "control/dbus_service.hpp"

#include "net/event_loop.hpp"

namespace ikev2d::control {

DbusService::DbusService(net::EventLoop& loop, ControlBackend& backend, ControlAccess access,
                         std::unique_ptr<sdbus::IConnection> connection, BusName name)
    : DbusService(loop.raw(), backend, std::move(access), std::move(connection), name) {}

}  // namespace ikev2d::control
