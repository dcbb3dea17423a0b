#include "control/dbus_service.hpp"

#include <exception>

#include <sdbus-c++/sdbus-c++.h>

#include "control/peer_text.hpp"
#include "control/sdbus_event_glue.hpp"
#include "control/status_codec.hpp"
#include "manager1_adaptor.h"  // generated from dbus/org.ikev2d.Manager1.xml
#include "util/log.hpp"

namespace ikev2d::control {

namespace {

constexpr const char* kErrorFailed = "org.ikev2d.Error.Failed";
constexpr const char* kErrorInvalidArgs = "org.freedesktop.DBus.Error.InvalidArgs";
constexpr const char* kErrorAccessDenied = "org.freedesktop.DBus.Error.AccessDenied";

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
        throw sdbus::Error(kErrorFailed, dbus_safe_text(std::string(method) + ": " + e.what()));
    }
}

}  // namespace

class DbusService::Object final : public sdbus::AdaptorInterfaces<org::ikev2d::Manager1_adaptor> {
public:
    Object(sdbus::IConnection& connection, ControlBackend& backend, ControlAccess access)
        : AdaptorInterfaces(connection, kObjectPath), access(std::move(access)), backend_(backend) {
        registerAdaptor();
    }
    ~Object() { unregisterAdaptor(); }

    using Manager1_adaptor::emitSessionDown;
    using Manager1_adaptor::emitSessionUp;

    ControlAccess access;

private:
    // Throws AccessDenied unless the sender of the call being dispatched may change
    // state. sd-bus asks the bus daemon for the sender's credentials (which it took from
    // the socket) and may complete them from /proc/<pid>; the groups are asked for only
    // when an admin group is configured and the caller is not root. A caller whose
    // credentials cannot be read is refused.
    void require_control(const char* method) {
        const sdbus::Message* call = getObject().getCurrentlyProcessedMessage();
        CallerCredentials caller;
        bool known = false;
        try {
            if (call) {
                caller.euid = call->getCredsEuid();
                if (caller.euid != 0 && access.admin_gid) {
                    caller.egid = call->getCredsEgid();
                    caller.supplementary_gids = call->getCredsSupplementaryGids();
                }
                known = true;
            }
        } catch (const std::exception& e) {
            LOG_ERR(Platform, "D-Bus %s: cannot read the caller's credentials: %s", method, e.what());
        }
        if (known && access.allows(caller)) return;
        if (known)
            LOG_ERR(Platform, "D-Bus %s refused: uid %u is neither root nor in the admin group", method,
                    static_cast<unsigned>(caller.euid));
        throw sdbus::Error(kErrorAccessDenied, std::string(method) +
                                                   " needs root or membership in the group named by "
                                                   "control.admin_group");
    }

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
    std::vector<Dict> GetPools() override {
        return guarded("GetPools", [&] {
            std::vector<Dict> out;
            for (const auto& p : backend_.pools())
                out.push_back(to_dict(p));
            return out;
        });
    }
    uint32_t Disconnect(const uint32_t& index_or_tunnel_id) override {
        LOG_INFO(Platform, "D-Bus: Disconnect(%u)", index_or_tunnel_id);
        require_control("Disconnect");
        return guarded("Disconnect", [&] { return backend_.disconnect_session(index_or_tunnel_id); });
    }
    uint32_t DisconnectUser(const std::string& username) override {
        LOG_INFO(Platform, "D-Bus: DisconnectUser(%s)", dbus_safe_text(username).c_str());
        require_control("DisconnectUser");
        return guarded("DisconnectUser", [&] { return backend_.disconnect_user(username); });
    }
    std::string Redirect(const uint32_t& index_or_tunnel_id, const std::string& gateway) override {
        LOG_INFO(Platform, "D-Bus: Redirect(%u, %s)", index_or_tunnel_id, dbus_safe_text(gateway).c_str());
        require_control("Redirect");
        // The reason may quote the gateway text: any bytes at all.
        return guarded("Redirect", [&] { return dbus_safe_text(backend_.redirect_session(index_or_tunnel_id, gateway)); });
    }
    std::string Reload() override {
        LOG_INFO(Platform, "D-Bus: Reload()");
        require_control("Reload");
        // The error names the configuration file and may quote it: any bytes at all.
        return guarded("Reload", [&] { return dbus_safe_text(backend_.reload()); });
    }
    void SetDebug(const std::string& category, const int32_t& level) override {
        LOG_INFO(Platform, "D-Bus: SetDebug(%s, %d)", dbus_safe_text(category).c_str(), level);
        require_control("SetDebug");
        guarded("SetDebug", [&] {
            // The range and categories of ikectl(8) and util/log.hpp, checked here as well
            // as in the backend so that no backend sees anything else.
            log::Category parsed;
            if (!log::parse_category(category, parsed))
                throw sdbus::Error(kErrorInvalidArgs,
                                   "unknown debug category '" + dbus_safe_text(category) + "' (protocol, platform, eap)");
            if (level < 0 || level > log::kSecretLevel)
                throw sdbus::Error(kErrorInvalidArgs,
                                   "debug level must be 0.." + std::to_string(log::kSecretLevel));
            if (!backend_.set_debug(category, level))
                throw sdbus::Error(kErrorInvalidArgs,
                                   "unknown debug category '" + category + "' (protocol, platform, eap)");
        });
    }

    ControlBackend& backend_;
};

std::unique_ptr<sdbus::IConnection> DbusService::connect_system_bus() {
    auto connection = sdbus::createSystemBusConnection();
    connection->requestName(kBusName);
    return connection;
}

DbusService::DbusService(sd_event* loop, ControlBackend& backend, ControlAccess access,
                         std::unique_ptr<sdbus::IConnection> connection, BusName name)
    : connection_(connection ? std::move(connection) : sdbus::createSystemBusConnection()) {
    // Export the object before taking the name, so a client that sees the name
    // always finds the object (with the name owned already, the calls queued until
    // the glue dispatches them find it all the same).
    object_ = std::make_unique<Object>(*connection_, backend, std::move(access));
    if (name == BusName::Request) connection_->requestName(kBusName);
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

void DbusService::set_access(ControlAccess access) { object_->access = std::move(access); }

void DbusService::on_disconnect(std::function<void()> callback) { glue_->set_on_lost(std::move(callback)); }

void DbusService::emit_session_up(const SessionStatus& session) {
    try {
        object_->emitSessionUp(to_dict(session));
    } catch (const std::exception& e) {
        LOG_ERR(Platform, "D-Bus: cannot emit SessionUp: %s", e.what());
    }
}

void DbusService::emit_session_down(const SessionStatus& session, const std::string& reason) {
    try {
        object_->emitSessionDown(to_dict(session), dbus_safe_text(reason));
    } catch (const std::exception& e) {
        LOG_ERR(Platform, "D-Bus: cannot emit SessionDown: %s", e.what());
    }
}

}  // namespace ikev2d::control
