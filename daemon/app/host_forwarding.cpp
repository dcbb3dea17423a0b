#include "app/host_forwarding.hpp"

#include <algorithm>

namespace ikev2d::app {
namespace {

std::string marker(const std::string& state_dir, const char* name) {
    return state_dir.empty() ? std::string() : state_dir + "/" + name;
}

bool has_pool_of(const config::Config& config, int family) {
    return std::any_of(config.pools.begin(), config.pools.end(),
                       [family](const config::PoolConfig& p) { return p.first.family == family; });
}

}  // namespace

HostForwarding::HostForwarding(const std::string& state_dir) : HostForwarding(state_dir, Paths{}) {}

HostForwarding::HostForwarding(const std::string& state_dir, const Paths& paths)
    : ipv4_("IPv4", paths.ipv4, marker(state_dir, "ip-forward-enabled"), paths.boot_id),
      ipv6_("IPv6", paths.ipv6, marker(state_dir, "ip6-forward-enabled"), paths.boot_id) {}

void HostForwarding::apply(const config::Config& config) {
    // Clients are routed through this host only when they get addresses from a pool.
    if (config.global.forwarding && has_pool_of(config, AF_INET)) ipv4_.enable();
    else ipv4_.restore();
    if (config.global.forwarding && has_pool_of(config, AF_INET6)) ipv6_.enable();
    else ipv6_.restore();
}

void HostForwarding::restore() noexcept {
    ipv4_.restore();
    ipv6_.restore();
}

}  // namespace ikev2d::app
