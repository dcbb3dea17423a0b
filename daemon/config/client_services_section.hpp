// [client_services] and the groups' anyconnect_profile in ikev2d.conf: the AnyConnect
// client-services HTTPS endpoint (issue 13, docs/anyconnect-client-services.md).
//
//   [client_services]
//   port = 443                    # TCP port of the HTTPS endpoint; 0 (default) = off
//   max_connections = 64          # at once, 1-1024
//   [group.staff]
//   anyconnect_profile = "profiles/staff.xml"   # read at load: exists, <= 1 MiB, a .xml name
#pragma once

#include <string>

#include "config/config.hpp"
#include "config/toml_reader.hpp"

namespace ikev2d::config::detail {

// Errors (with file, line, reason) are thrown.
ClientServicesConfig read_client_services_section(const TableReader& root, const std::string& file);
// The group's anyconnect_profile (path relative to base_dir): read, its name and SHA-1 kept.
void read_group_anyconnect_profile(const TableReader& group, const std::string& base_dir, GroupConfig& g);

}  // namespace ikev2d::config::detail
