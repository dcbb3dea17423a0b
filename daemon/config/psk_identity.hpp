// The identity patterns of a group's psk_identities (issue 15): an exact IKE identity,
// or "*" followed by a non-empty suffix that matches every longer identity ending in it.
// Case-sensitive, byte for byte, as the identity's text (ike/id_text.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ikev2d::config {

// Why `pattern` is not a valid pattern, or nullopt when it is.
std::optional<std::string> psk_identity_pattern_problem(std::string_view pattern);

bool is_psk_identity_wildcard(std::string_view pattern);

bool psk_identity_matches(std::string_view pattern, std::string_view identity);

// Could one identity match both (valid) patterns? Two exact ones: when equal; an exact
// one and a wildcard: when the wildcard matches it; two wildcards: when one suffix ends
// with the other.
bool psk_identity_patterns_overlap(std::string_view a, std::string_view b);

}  // namespace ikev2d::config
