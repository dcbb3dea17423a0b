// The algorithm and method names of the configuration file, in the spirit of the ASA's
// (`encryption aes-256`, `integrity sha256`, `group 19`), mapped to IANA numbers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "util/iana.hpp"

namespace ikev2d::config {

std::optional<EncrSpec> parse_encryption(std::string_view name);
std::optional<iana::IntegId> parse_integrity(std::string_view name);
std::optional<iana::PrfId> parse_prf(std::string_view name);
// "ecp256", "modp2048", "curve25519", ... or the group number as text ("19").
std::optional<iana::DhGroup> parse_dh_group(std::string_view name);
std::optional<iana::EapType> parse_eap_method(std::string_view name);
std::optional<ClientAuth> parse_client_auth(std::string_view name);

// Comma-separated lists of the accepted names, for error messages.
std::string encryption_names();
std::string integrity_names();
std::string prf_names();
std::string dh_group_names();
std::string eap_method_names();
std::string client_auth_names();

// Names back, for status output and round trips.
std::string encryption_name(const EncrSpec& spec);
std::string eap_method_name(iana::EapType type);

// MODP 768/1024/1536: accepted only with global.allow_legacy_groups.
bool is_legacy_group(iana::DhGroup group) noexcept;

}  // namespace ikev2d::config
