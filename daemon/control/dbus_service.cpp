#include "control/dbus_service.hpp"

#include <exception>

#include <sdbus-c++/sdbus-c++.h>

#include "control/sdbus_event_glue.hpp"
#include "control/status_codec.hpp"
#include "manager1_adaptor.h"  // generated from dbus/org.ikev2d.Manager1.xml
#include "util/log.hpp"

namespace ikev2d::control {

namespace {

constexpr const char* kErrorFailed = "org.ikev2d.Error.Failed";
constexpr const char* kErrorInvalidArgs = "org.freedesktop.DBus.Error.InvalidArgs";

// sdbus-c++ turns only sdbus::Error into a D-Bus error reply; anything else thrown by
// the backend must not unwind through sd-bus's C frames.
template <class F>
auto guarded(const char* method, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const sdbus::Error&) {
        throw;
    } catch (const std::exception& e) {
        LOG_ERR(Platform, "D-Bus %s failed: %s", method, e.what());
        throw sdbus::Error(kErrorFailed, std::string(method) + ": " + e.what());
    }
}

}  // namespace

class DbusService::Object final : public sdbus::AdaptorInterfaces<org::ikev2d::Manager1_adaptor> {
public:
    Object(sdbus::IConnection& connection, ControlBackend& backend)
        : AdaptorInterfaces(connection, kObjectPath), backend_(backend) {
        registerAdaptor();
    }
    ~Object() { unregisterAdaptor(); }

    using Manager1_adaptor::emitSessionDown;
    using Manager1_adaptor::emitSessionUp;

private:
    std::vector<Dict> GetIkeSas() override {
        return guarded("GetIkeSas", [&] {
            std::vector<Dict> out;
            for (const auto& sa : backend_.ike_sas())
                out.push_back(to_dict(sa));
            return out;
        });
    }
    std::vector<Dict> GetSessions() override {
        return guarded("GetSessions", [&] {
            std::vector<Dict> out;
            for (const auto& s : backend_.sessions())
                out.push_back(to_dict(s));
            return out;
        });
    }
    Dict GetStats() override {
        return guarded("GetStats", [&] { return to_dict(backend_.stats()); });
    }
    uint32_t Disconnect(const uint32_t& index_or_tunnel_id) override {
        LOG_INFO(Platform, "D-Bus: Disconnect(%u)", index_or_tunnel_id);
        return guarded("Disconnect", [&] { return backend_.disconnect_session(index_or_tunnel_id); });
    }
    uint32_t DisconnectUser(const std::string& username) override {
        LOG_INFO(Platform, "D-Bus: DisconnectUser(%s)", username.c_str());
        return guarded("DisconnectUser", [&] { return backend_.disconnect_user(username); });
    }
    std::string Reload() override {
        LOG_INFO(Platform, "D-Bus: Reload()");
        return guarded("Reload", [&] { return backend_.reload(); });
    }
    void SetDebug(const std::string& category, const int32_t& level) override {
        LOG_INFO(Platform, "D-Bus: SetDebug(%s, %d)", category.c_str(), level);
        guarded("SetDebug", [&] {
            if (level < 0 || level > 255)
                throw sdbus::Error(kErrorInvalidArgs, "debug level must be 0..255");
            if (!backend_.set_debug(category, level))
                throw sdbus::Error(kErrorInvalidArgs,
                                   "unknown debug category '" + category + "' (protocol, platform, eap)");
        });
    }

    ControlBackend& backend_;
};

DbusService::DbusService(sd_event* loop, ControlBackend& backend,
                         std::unique_ptr<sdbus::IConnection> connection)
    : connection_(connection ? std::move(connection) : sdbus::createSystemBusConnection()) {
    // Export the object before taking the name, so a client that sees the name
    // always finds the object.
    object_ = std::make_unique<Object>(*connection_, backend);
    connection_->requestName(kBusName);
    glue_ = std::make_unique<SdbusEventGlue>(loop, *connection_);
    LOG_INFO(Platform, "D-Bus: %s ready at %s", kBusName, kObjectPath);
}

DbusService::~DbusService() {
    glue_.reset();
    object_.reset();
    if (connection_) {
        try {
            connection_->releaseName(kBusName);
        } catch (const std::exception& e) {
            LOG_INFO(Platform, "D-Bus: releasing %s: %s", kBusName, e.what());
        }
    }
}

void DbusService::emit_session_up(const SessionStatus& session) {
    try {
        object_->emitSessionUp(to_dict(session));
    } catch (const std::exception& e) {
        LOG_ERR(Platform, "D-Bus: cannot emit SessionUp: %s", e.what());
    }
}

void DbusService::emit_session_down(const SessionStatus& session, const std::string& reason) {
    try {
        object_->emitSessionDown(to_dict(session), reason);
    } catch (const std::exception& e) {
        LOG_ERR(Platform, "D-Bus: cannot emit SessionDown: %s", e.what());
    }
}

}  // namespace ikev2d::control
