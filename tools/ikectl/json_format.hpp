// ikectl --json: the same data as the text views, as JSON documents whose member
// names are the D-Bus dictionary keys (documented in dbus/org.ikev2d.Manager1.xml).
// Written with nlohmann::json: pretty-printed with a two-space indent and a final
// newline; bytes that are not valid UTF-8 become U+FFFD, so the output is always
// valid JSON whatever a peer put in its identity.
#pragma once

#include <string>
#include <vector>

#include "control/status.hpp"

namespace ikev2d::ikectl {

// {"ike_sas": [ {..., "children": [ {...} ]} ]}   (show sa, show sa detail)
std::string json_ike_sas(const std::vector<control::IkeSaStatus>& sas);
// {"child_sas": [ {"tunnel_id", "local", "remote", "username", ...child fields} ]}   (show ipsec sa)
std::string json_ipsec_sas(const std::vector<control::IkeSaStatus>& sas);
// {"sessions": [ {...} ]}   (show sessions [detail] [user NAME])
std::string json_sessions(const std::vector<control::SessionStatus>& sessions);
// {"stats": {...}}   (show stats)
std::string json_stats(const control::GlobalStats& stats);
// {"pools": [ {"name", "first", "last", "size", "leased", "free"} ]}   (show pools)
std::string json_pools(const std::vector<control::PoolStatus>& pools);
// {"<key>": n}, {"<key>": "text"}: results of disconnect / reload / debug
std::string json_number_result(const std::string& key, uint64_t n);
std::string json_text_result(const std::string& key, const std::string& text);
// {"error": "text"}: what ikectl --json prints on stdout when a command fails
std::string json_error(const std::string& message);
// One line (no indent): {"time": unix, "event": "up"|"down", "reason": "...",
// "session": {...}} for ikectl --json monitor; reason only for "down".
std::string json_event_line(uint64_t time, const control::SessionStatus& session, const std::string* reason);

}  // namespace ikev2d::ikectl
