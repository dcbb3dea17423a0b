// ikectl --json: the same data as the text views, as JSON documents whose member
// names are the D-Bus dictionary keys (documented in dbus/org.ikev2d.Manager1.xml).
#pragma once

#include <string>
#include <vector>

#include "control/status.hpp"

namespace ikev2d::ikectl {

// {"ike_sas": [ {..., "children": [ {...} ]} ]}   (show sa, show sa detail)
std::string json_ike_sas(const std::vector<control::IkeSaStatus>& sas);
// {"child_sas": [ {"tunnel_id", "local", "remote", "username", ...child fields} ]}   (show ipsec sa)
std::string json_ipsec_sas(const std::vector<control::IkeSaStatus>& sas);
// {"sessions": [ {...} ]}   (show sessions [detail])
std::string json_sessions(const std::vector<control::SessionStatus>& sessions);
// {"stats": {...}}   (show stats)
std::string json_stats(const control::GlobalStats& stats);
// {"<key>": n}, {"<key>": "text"}: results of disconnect / reload / debug
std::string json_number_result(const std::string& key, uint64_t n);
std::string json_text_result(const std::string& key, const std::string& text);

}  // namespace ikev2d::ikectl
