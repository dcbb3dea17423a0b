// [redirect] in ikev2d.conf: where new clients go when this gateway is full (RFC 5685).
//
//   [redirect]
//   gateways = ["198.51.100.2", "vpn2.example.com"]   # in turn; addresses or host names
//   max_sessions = 500      # redirect while this many sessions are up (0: always, to drain)
//   when = "sa_init"        # or "auth": after the client authenticated, in IKE_AUTH
#pragma once

#include <optional>
#include <string>

#include "config/config.hpp"
#include "config/toml_reader.hpp"

namespace ikev2d::config::detail {

// nullopt when the file has no [redirect]; errors (with file, line, reason) are thrown.
std::optional<RedirectConfig> read_redirect_section(const TableReader& root, const std::string& file);

}  // namespace ikev2d::config::detail
