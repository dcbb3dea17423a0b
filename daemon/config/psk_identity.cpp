#include "config/psk_identity.hpp"

namespace ikev2d::config {

std::optional<std::string> psk_identity_pattern_problem(std::string_view pattern) {
    if (pattern.empty()) return "an empty identity";
    if (pattern == "*") return "'*' alone would match every identity: use default_group for that";
    if (pattern.find('*', 1) != std::string_view::npos)
        return "'*' may only start a pattern (\"*@example.com\"), not appear inside it";
    return std::nullopt;
}

bool is_psk_identity_wildcard(std::string_view pattern) { return !pattern.empty() && pattern.front() == '*'; }

bool psk_identity_matches(std::string_view pattern, std::string_view identity) {
    if (!is_psk_identity_wildcard(pattern)) return pattern == identity;
    const std::string_view suffix = pattern.substr(1);
    return identity.size() > suffix.size() && identity.ends_with(suffix);
}

bool psk_identity_patterns_overlap(std::string_view a, std::string_view b) {
    const bool wild_a = is_psk_identity_wildcard(a), wild_b = is_psk_identity_wildcard(b);
    if (!wild_a && !wild_b) return a == b;
    if (wild_a && !wild_b) return psk_identity_matches(a, b);
    if (!wild_a && wild_b) return psk_identity_matches(b, a);
    const std::string_view sa = a.substr(1), sb = b.substr(1);
    return sa.ends_with(sb) || sb.ends_with(sa);
}

}  // namespace ikev2d::config
