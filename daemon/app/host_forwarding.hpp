// The host's IP forwarding for the clients: IPv4 while the configuration has an IPv4
// pool, IPv6 while it has an IPv6 pool (and `forwarding` is true), each put back as it
// was found when its last pool goes or the daemon stops. The markers for a killed run
// live in the state directory (ip-forward-enabled, ip6-forward-enabled).
#pragma once

#include <string>

#include "config/config.hpp"
#include "kernel/ip_forwarding.hpp"

namespace ikev2d::app {

class HostForwarding {
public:
    struct Paths {
        std::string ipv4 = kernel::kIpv4ForwardingPath;
        std::string ipv6 = kernel::kIpv6ForwardingPath;
        std::string boot_id = kernel::kBootIdPath;
    };
    // state_dir: where the markers go; empty = no markers. Paths: the real /proc ones.
    explicit HostForwarding(const std::string& state_dir);
    HostForwarding(const std::string& state_dir, const Paths& paths);
    // Switches each family on or back per the configuration's pools.
    void apply(const config::Config& config);
    void restore() noexcept;

private:
    kernel::IpForwarding ipv4_, ipv6_;
};

}  // namespace ikev2d::app
