// The configuration payload (RFC 7296 3.15): answers a client's CFG_REQUEST with its
// address from the pool and the group's DNS, split networks and domains. Attributes we
// don't know are ignored, never fatal (AnyConnect asks for dozens).
#pragma once

#include <optional>
#include <string>

#include "config/config.hpp"
#include "util/ip_address.hpp"
#include "wire/payloads.hpp"

namespace ikev2d::ike {

struct CfgRequestInfo {
    bool wants_ip4 = false;
    bool wants_ip6 = false;
    std::string application_version;  // what the client says it is (AnyConnect, Windows)
    std::optional<IpAddress> requested_ip4;  // a non-zero INTERNAL_IP4_ADDRESS
};
CfgRequestInfo inspect_cfg_request(const wire::CpPayload& request);

// assigned / assigned6: the client's IPv4 / IPv6 address (either may be absent); pool:
// the IPv4 pool (for the netmask).
wire::CpPayload build_cfg_reply(const wire::CpPayload& request, const std::optional<IpAddress>& assigned,
                                const std::optional<IpAddress>& assigned6, const config::PoolConfig* pool,
                                const config::GroupConfig& group, bool anyconnect);

}  // namespace ikev2d::ike
