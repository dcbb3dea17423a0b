// The running daemon: loads the configuration, opens the IKE sockets and the XFRM
// netlink socket, and drives the gateway from one sd-event loop together with the
// D-Bus service, signals (TERM/INT stop, HUP reload) and the systemd watchdog.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/aaa_service.hpp"
#include "app/gateway_control.hpp"
#include "app/host_forwarding.hpp"
#include "app/options.hpp"
#include "app/service_status.hpp"
#include "config/config.hpp"
#include "control/caller_access.hpp"
#include "ike/gateway.hpp"
#include "kernel/kernel_ipsec.hpp"
#include "net/event_loop.hpp"
#include "net/ike_socket.hpp"
#include "services/client_services.hpp"
#include "services/https_server.hpp"
#include "util/serial_worker.hpp"
#include "util/worker_pool.hpp"

namespace ikev2d::control {
class DbusService;
class ReconnectingDbusService;
}

namespace ikev2d::app {

class Daemon {
public:
    explicit Daemon(Options options);
    ~Daemon();
    int run();

private:
    struct Loaded {
        std::shared_ptr<const config::Config> config;
        std::shared_ptr<const ike::Credentials> credentials;
    };
    Loaded load();  // throws with file, line and reason
    int check_config();  // --check-config: loads and validates, writes nothing
    void announce_demo() const;
    void apply_to_host(const config::Config& config);  // pool routes and forwarding
    std::string reload();
    void stop();
    void arm_gateway_timer();
    // The D-Bus service while connected to the bus, else nullptr.
    control::DbusService* dbus_service() const;
    void pet_watchdog();
    void send(const Endpoint& local, const Endpoint& remote, ByteView data);
    void install_pool_routes(const config::Config& config);

    Options options_;
    std::string config_path_;  // empty with --demo: the embedded default
    net::EventLoop loop_;
    std::unique_ptr<kernel::KernelIpsec> kernel_;
    std::vector<std::unique_ptr<net::IkeSocket>> sockets_;
    std::vector<net::EventSource> sources_;
    // Before the gateway, so that it outlives it: the gateway's jobs run there.
    std::unique_ptr<util::WorkerPool> workers_;
    net::EventSource worker_completions_;  // after workers_: leaves the loop before its eventfd closes
    // The kernel lane: Child SA installs, one at a time, with netlink sockets of their own
    // (ike/child_install.hpp). The lane's thread is stopped before its kernel goes.
    std::unique_ptr<kernel::KernelIpsec> lane_kernel_;
    std::unique_ptr<util::SerialWorker> kernel_lane_;
    net::EventSource kernel_lane_completions_;
    std::unique_ptr<ike::Gateway> gateway_;
    std::unique_ptr<GatewayControl> control_;
    std::unique_ptr<AaaService> aaa_;  // with [radius] only
    // AnyConnect client services (issue 13): the live session tokens always, the HTTPS
    // endpoint on its own thread with [client_services] port != 0 (started once, at run()).
    std::unique_ptr<services::ClientServices> client_services_;
    std::unique_ptr<services::HttpsServer> client_services_https_;
    std::uint64_t started_unix_ = 0;
    // The D-Bus control interface, reconnected when dbus-daemon restarts; the access
    // rules of the running configuration, for each new connection.
    control::ControlAccess dbus_access_;
    std::unique_ptr<control::ReconnectingDbusService> dbus_;
    net::EventSource gateway_timer_, watchdog_timer_, kernel_events_;
    std::uint64_t gateway_timer_due_ms_ = 0;  // when gateway_timer_ fires (monotonic ms)
    std::vector<std::pair<IpAddress, std::uint8_t>> pool_routes_;
    std::uint64_t watchdog_ms_ = 0;
    HostForwarding forwarding_;
    ServiceStatus status_;
    std::size_t sessions_ = 0;  // established sessions (up minus down callbacks)
};

}  // namespace ikev2d::app
