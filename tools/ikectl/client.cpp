#include "ikectl/client.hpp"

#include <sdbus-c++/sdbus-c++.h>

#include "control/dbus_names.hpp"
#include "control/status_codec.hpp"
#include "manager1_proxy.h"  // generated from dbus/org.ikev2d.Manager1.xml

namespace ikev2d::ikectl {

using namespace ikev2d::control;

// Synchronous calls; the signals matter only to `ikectl monitor`, which runs the
// connection's event loop (Client::monitor) so that they are dispatched.
class Client::Proxy final : public sdbus::ProxyInterfaces<org::ikev2d::Manager1_proxy> {
public:
    explicit Proxy(sdbus::IConnection& connection) : ProxyInterfaces(connection, kBusName, kObjectPath) {
        registerProxy();
    }
    ~Proxy() { unregisterProxy(); }

    EventHandler on_event;

private:
    void onSessionUp(const std::map<std::string, sdbus::Variant>& session) override {
        if (on_event)
            on_event(session_from_dict(session), nullptr);
    }
    void onSessionDown(const std::map<std::string, sdbus::Variant>& session, const std::string& reason) override {
        if (on_event)
            on_event(session_from_dict(session), &reason);
    }
};

Client::Client(const std::string& bus_address)
    : bus_description_(bus_address.empty() ? "the system bus" : "the bus at " + bus_address) {
    try {
        connection_ = bus_address.empty() ? sdbus::createSystemBusConnection()
                                          : sdbus::createSessionBusConnectionWithAddress(bus_address);
        proxy_ = std::make_unique<Proxy>(*connection_);
    } catch (const sdbus::Error& e) {
        if (e.getName() == "org.freedesktop.DBus.Error.AccessDenied" ||
            e.getName() == "System.Error.EACCES" || e.getName() == "System.Error.EPERM")
            throw ClientError("permission denied (" + bus_description_ + ": " + e.getMessage() + ")");
        throw ClientError("ikev2d is not running (cannot connect to " + bus_description_ + ": " + e.getMessage() +
                          ")");
    }
}

Client::~Client() = default;

template <class F>
auto Client::call(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const sdbus::Error& e) {
        const std::string& name = e.getName();
        if (name == "org.freedesktop.DBus.Error.ServiceUnknown" ||
            name == "org.freedesktop.DBus.Error.NameHasNoOwner" ||
            name == "org.freedesktop.DBus.Error.UnknownObject")
            throw ClientError("ikev2d is not running (" + std::string(kBusName) + " not on " + bus_description_ + ")");
        if (name == "org.freedesktop.DBus.Error.AccessDenied" || name == "System.Error.EACCES" ||
            name == "System.Error.EPERM" || name == "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired")
            throw ClientError("permission denied (" + e.getMessage() + ")");
        if (name == "org.freedesktop.DBus.Error.NoReply" || name == "org.freedesktop.DBus.Error.Timeout")
            throw ClientError("ikev2d did not answer (" + e.getMessage() + ")");
        throw ClientError(e.getMessage().empty() ? name : e.getMessage());
    }
}

std::vector<IkeSaStatus> Client::ike_sas() {
    return call([&] {
        std::vector<IkeSaStatus> out;
        for (const auto& d : proxy_->GetIkeSas())
            out.push_back(ike_sa_from_dict(d));
        return out;
    });
}

std::vector<SessionStatus> Client::sessions() {
    return call([&] {
        std::vector<SessionStatus> out;
        for (const auto& d : proxy_->GetSessions())
            out.push_back(session_from_dict(d));
        return out;
    });
}

GlobalStats Client::stats() {
    return call([&] { return stats_from_dict(proxy_->GetStats()); });
}

std::vector<PoolStatus> Client::pools() {
    return call([&] {
        std::vector<PoolStatus> out;
        for (const auto& d : proxy_->GetPools())
            out.push_back(pool_from_dict(d));
        return out;
    });
}

uint32_t Client::disconnect(uint32_t index_or_tunnel_id) {
    return call([&] { return proxy_->Disconnect(index_or_tunnel_id); });
}

uint32_t Client::disconnect_user(const std::string& username) {
    return call([&] { return proxy_->DisconnectUser(username); });
}

std::string Client::redirect(uint32_t index_or_tunnel_id, const std::string& gateway) {
    return call([&] { return proxy_->Redirect(index_or_tunnel_id, gateway); });
}

std::string Client::reload() {
    return call([&] { return proxy_->Reload(); });
}

void Client::set_debug(const std::string& category, int level) {
    call([&] { proxy_->SetDebug(category, level); });
}

void Client::monitor(EventHandler on_event, const std::function<void()>& ready) {
    stats();  // fails with "not running" / "permission denied" like every other command
    proxy_->on_event = std::move(on_event);
    ready();
    call([&] { connection_->enterEventLoop(); });
    throw ClientError("the connection to " + bus_description_ + " was closed");
}

}  // namespace ikev2d::ikectl
