// The gateway's RADIUS side, built from [radius]: the client, the threads its blocking
// requests run on (so the loop never waits for a server), accounting for the groups
// with accounting = "radius", and the RFC 5176 listener. Absent without [radius].
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "aaa/radius_client.hpp"
#include "app/dae_listener.hpp"
#include "app/gateway_control.hpp"
#include "app/radius_accounting.hpp"
#include "config/config.hpp"
#include "ike/gateway.hpp"
#include "net/event_loop.hpp"
#include "util/worker_pool.hpp"

namespace ikev2d::app {

class AaaService {
public:
    // Throws (with the reason) when a server setting or the DAE port cannot be used.
    AaaService(net::EventLoop& loop, ike::Gateway& gateway, GatewayControl& control,
               std::shared_ptr<const config::Config> config, std::uint64_t boot_unix);
    ~AaaService();

    void session_up(const ike::IkeSa& sa, const control::SessionStatus& session);
    void session_down(const control::SessionStatus& session, const std::string& reason);
    // A reload: new servers and secrets for the requests from now on.
    void reconfigure(std::shared_ptr<const config::Config> config);

    const std::shared_ptr<aaa::RadiusClient>& client() const { return client_; }
    util::Executor& io() { return *io_; }

private:
    void arm_interim_timer();
    static constexpr unsigned kIoThreads = 4;  // per lane: requests waiting on servers, not CPU

    net::EventLoop& loop_;
    ike::Gateway& gateway_;
    GatewayControl& control_;
    std::shared_ptr<const config::Config> config_;
    std::shared_ptr<aaa::RadiusClient> client_;
    std::unique_ptr<util::WorkerPool> io_;
    net::EventSource io_source_, interim_timer_;
    std::unique_ptr<RadiusAccounting> accounting_;
    std::unique_ptr<DaeListener> dae_;
};

}  // namespace ikev2d::app
