// The control surface's view of the gateway (control::ControlBackend): status
// snapshots built from the SA table and the kernel's counters, and the few commands.
#pragma once

#include <functional>
#include <string>

#include "control/status.hpp"
#include "ike/gateway.hpp"

namespace ikev2d::app {

class GatewayControl : public control::ControlBackend {
public:
    using ReloadFn = std::function<std::string()>;  // "" on success, else the error
    GatewayControl(ike::Gateway& gateway, ReloadFn reload, std::uint64_t started_unix, std::function<std::uint64_t()> now_unix);

    std::vector<control::IkeSaStatus> ike_sas() override;
    std::vector<control::SessionStatus> sessions() override;
    control::GlobalStats stats() override;
    std::vector<control::PoolStatus> pools() override;
    std::uint32_t disconnect_session(std::uint32_t index_or_tunnel_id) override;
    std::uint32_t disconnect_user(const std::string& username) override;
    std::string redirect_session(std::uint32_t index_or_tunnel_id, const std::string& gateway) override;
    std::string reload() override;
    bool set_debug(const std::string& category, int level) override;

    control::SessionStatus session_of(const ike::IkeSa& sa);

private:
    control::IkeSaStatus ike_sa_status(const ike::IkeSa& sa);
    control::ChildSaStatus child_status(const ike::IkeSa& sa, const ike::ChildSa& child);

    ike::Gateway& gateway_;
    ReloadFn reload_;
    std::uint64_t started_unix_;
    std::function<std::uint64_t()> now_unix_;
};

}  // namespace ikev2d::app
