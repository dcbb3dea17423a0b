// ikectl's human-readable views, modelled field for field on the Cisco ASA's
// `show crypto ikev2 sa [detail]`, `show crypto ipsec sa` and
// `show vpn-sessiondb detail anyconnect` (see man/ikectl.8 for every field).
// Pure functions of the status structs and "now" so they are testable without D-Bus.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "control/status.hpp"

namespace ikev2d::ikectl {

// now: unix seconds, for "active time" and "rekey left" figures.
std::string format_ike_sas(const std::vector<control::IkeSaStatus>& sas, bool detail, uint64_t now);
std::string format_ipsec_sas(const std::vector<control::IkeSaStatus>& sas, uint64_t now);
// detail joins each session with its IKE SA (by tunnel_id) for the IKEv2/IPsec sections.
std::string format_sessions(const std::vector<control::SessionStatus>& sessions,
                            const std::vector<control::IkeSaStatus>& sas, bool detail, uint64_t now);
std::string format_stats(const control::GlobalStats& stats, uint64_t now);

// Helpers shared with the views; exposed for the unit tests.
std::string format_duration(uint64_t seconds);    // "0h:02m:26s"
std::string format_utc_time(uint64_t unix_time);  // "22:06:24 UTC Mon Apr 22 2013"
// "10.2.2.1/32", 0, 65535 -> "10.2.2.1/0 - 10.2.2.1/65535"
std::string format_selector_range(const std::string& prefix, uint16_t port_start, uint16_t port_end);
// "10.2.2.1/32", 0, 0, 65535 -> "10.2.2.1/255.255.255.255/0/0"
std::string format_ident(const std::string& prefix, uint8_t protocol, uint16_t port_start, uint16_t port_end);
// "AES-CBC", 256, "SHA96" -> "esp-aes-256 esp-sha-hmac"
std::string esp_transform_name(const std::string& encryption, uint16_t key_bits, const std::string& integrity);

}  // namespace ikev2d::ikectl
