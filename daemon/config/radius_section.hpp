// [radius] in ikev2d.conf: the RADIUS servers (in failover order), their secrets and the
// client's timing; read by the config loader.
//
//   [radius]
//   servers = ["primary", "backup"]       # failover order; each names a [radius.server.NAME]
//   timeout_s = 3                         # per try, 1-60
//   retries = 2                           # tries per server, 1-10
//   nas_identifier = "vpn-gw1"
//   interim_interval_s = 600              # accounting Interim-Update, 0 = none (60 at least)
//   dae_port = 3799                       # RFC 5176 Disconnect/CoA from the servers; 0 = off
//   [radius.server.primary]
//   address = "192.0.2.5"
//   secret = "..."                        # the file must then be mode 0600
//   auth_port = 1812
//   acct_port = 1813
#pragma once

#include <optional>
#include <string>

#include "aaa/radius_settings.hpp"
#include "config/toml_reader.hpp"

namespace ikev2d::config::detail {

// nullopt when the file has no [radius]; errors (with file, line, reason) are thrown.
std::optional<aaa::RadiusSettings> read_radius_section(const TableReader& root, const std::string& file);

}  // namespace ikev2d::config::detail
