// What the gateway needs to know of its RADIUS servers: read by the config loader
// ([radius] in ikev2d.conf), used by RadiusClient. No library behind it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ikev2d::aaa {

struct RadiusServer {
    std::string name;  // its [radius.server.NAME], for logs
    std::string host;  // address (IPv6 without brackets) or name
    std::uint16_t auth_port = 1812;
    std::uint16_t acct_port = 1813;
    std::string secret;  // from the configuration file only (mode 0600); never logged
};

struct RadiusSettings {
    std::vector<RadiusServer> servers;  // asked in this order: the next when one does not answer
    unsigned timeout_s = 3;             // per try
    unsigned retries = 2;               // tries per server
    std::string nas_identifier = "ikev2d";
    unsigned interim_interval_s = 0;  // accounting Interim-Update period; 0 = none (a server's Acct-Interim-Interval wins)
    std::uint16_t dae_port = 0;       // RFC 5176 Disconnect/CoA listener; 0 = off
};

}  // namespace ikev2d::aaa
