#include "asa/asa_parser.hpp"

#include <algorithm>
#include <sstream>

namespace ikev2d::asa {
namespace {

// A configuration mode: the command that opens it, and the first words of its
// sub-commands ("*" = every line until `quit`, for certificate hex dumps).
struct Mode {
    std::vector<std::string_view> opener;  // "*" matches one word
    std::vector<std::string_view> children;
    std::vector<const Mode*> nested;
};

const std::vector<std::string_view> kWebvpnPolicyChildren = {
    "anyconnect", "svc", "always-on-vpn", "url-list", "homepage", "customization", "html-content-filter",
    "keep-alive-ignore", "http-comp", "filter", "port-forward", "smart-tunnel", "deny-message", "file-browsing",
    "file-entry", "url-entry", "hidden-shares", "no"};
const Mode kPolicyWebvpn{{"webvpn"}, kWebvpnPolicyChildren, {}};
const Mode kCrlConfigure{{"crl", "configure"}, {"policy", "url", "protocol", "cache-time", "enforcenextupdate", "no"}, {}};

const std::vector<Mode>& modes() {
    static const std::vector<Mode> table = {
        {{"interface", "*"},
         {"nameif", "security-level", "ip address", "ipv6", "no", "shutdown", "description", "speed", "duplex", "vlan",
          "management-only", "mtu", "nve-only", "channel-group"},
         {}},
        {{"crypto", "ikev2", "policy", "*"}, {"encryption", "integrity", "group", "prf", "lifetime", "no"}, {}},
        {{"crypto", "ipsec", "ikev2", "ipsec-proposal", "*"}, {"protocol", "no"}, {}},
        {{"crypto", "ca", "trustpoint", "*"},
         {"enrollment", "crl", "fqdn", "subject-name", "keypair", "id-usage", "no", "validation-usage",
          "revocation-check", "email", "ip-address", "serial-number", "ignore-ipsec-keyusage", "password",
          "proxy-ldc-issuer", "ocsp", "match", "auto-import"},
         {&kCrlConfigure}},
        {{"crypto", "ca", "certificate", "chain", "*"}, {"*"}, {}},
        {{"webvpn"},
         {"enable", "anyconnect", "anyconnect-essentials", "tunnel-group-list", "cache", "error-recovery", "no", "port",
          "dtls", "csd", "keepout", "svc", "apcf", "tunnel-group-preference", "certificate-group-map"},
         {}},
        {{"group-policy", "*", "attributes"},
         {"dns-server", "wins-server", "vpn-tunnel-protocol", "default-domain", "split-tunnel-policy",
          "split-tunnel-network-list", "ipv6-split-tunnel-policy", "split-dns", "address-pools", "ipv6-address-pools",
          "vpn-idle-timeout", "vpn-session-timeout", "vpn-simultaneous-logins", "banner", "webvpn", "group-lock",
          "vpn-filter", "ipv6-vpn-filter", "vpn-access-hours", "password-storage", "client-bypass-protocol",
          "msie-proxy", "dhcp-network-scope", "vlan", "nac-settings", "intercept-dhcp", "user-authentication",
          "vpn-session-timeout", "vpn-idle-timeout", "split-tunnel-all-dns", "gateway-fqdn", "ip-comp", "re-xauth",
          "pfs", "security-association", "client-firewall", "backup-servers", "no"},
         {&kPolicyWebvpn}},
        {{"tunnel-group", "*", "general-attributes"},
         {"address-pool", "ipv6-address-pool", "default-group-policy", "authentication-server-group",
          "authorization-server-group", "accounting-server-group", "dhcp-server", "password-management",
          "strip-realm", "strip-group", "scep-enrollment", "no"},
         {}},
        {{"tunnel-group", "*", "webvpn-attributes"},
         {"group-alias", "group-url", "authentication", "customization", "dns-group", "no", "pre-fill-username",
          "secondary-pre-fill-username", "without-csd"},
         {}},
        {{"tunnel-group", "*", "ipsec-attributes"},
         {"ikev2", "isakmp", "peer-id-validate", "chain", "ikev1", "trust-point", "no"},
         {}},
        {{"username", "*", "attributes"},
         {"vpn-group-policy", "service-type", "group-lock", "vpn-tunnel-protocol", "webvpn", "vpn-idle-timeout",
          "vpn-session-timeout", "vpn-simultaneous-logins", "password-storage", "vpn-framed-ip-address", "no"},
         {&kPolicyWebvpn}},
    };
    return table;
}

bool opens(const Mode& mode, const std::vector<std::string>& words) {
    if (words.size() != mode.opener.size()) return false;
    for (std::size_t i = 0; i < words.size(); ++i)
        if (mode.opener[i] != "*" && mode.opener[i] != words[i]) return false;
    return true;
}

bool is_child(const Mode& mode, const std::vector<std::string>& words) {
    if (words.empty()) return false;
    for (auto c : mode.children) {
        if (c == "*") return true;
        // A child of several words ("ip address": `ip local pool` is a top-level command).
        std::size_t i = 0, start = 0;
        bool match = true;
        while (match && start <= c.size()) {
            const auto end = std::min(c.find(' ', start), c.size());
            match = i < words.size() && words[i] == c.substr(start, end - start);
            ++i;
            start = end + 1;
        }
        if (match) return true;
    }
    for (const Mode* n : mode.nested)
        if (opens(*n, words)) return true;
    return false;
}

struct Open {
    const Mode* mode;
    AsaCommand* command;
    std::size_t indent;
};

}  // namespace

const std::string& AsaCommand::word(std::size_t i) const {
    static const std::string kEmpty;
    return i < words.size() ? words[i] : kEmpty;
}

std::string AsaCommand::rest(std::size_t i) const {
    std::size_t pos = 0;
    for (std::size_t w = 0; w < i && w < words.size(); ++w) {
        pos = text.find(words[w], pos) + words[w].size();
    }
    if (i >= words.size()) return {};
    pos = text.find_first_not_of(" \t", pos);
    return pos == std::string::npos ? std::string() : text.substr(pos);
}

bool AsaCommand::starts_with(std::initializer_list<std::string_view> prefix) const {
    if (prefix.size() > words.size()) return false;
    std::size_t i = 0;
    for (auto p : prefix)
        if (words[i++] != p) return false;
    return true;
}

std::vector<AsaCommand> parse_asa_config(std::string_view text) {
    std::vector<AsaCommand> top;
    std::vector<Open> stack;
    std::istringstream in{std::string(text)};
    std::string raw;
    int line_no = 0;
    while (std::getline(in, raw)) {
        ++line_no;
        if (!raw.empty() && raw.back() == '\r') raw.pop_back();
        const auto first = raw.find_first_not_of(" \t");
        if (first == std::string::npos) continue;
        const auto last = raw.find_last_not_of(" \t");
        AsaCommand cmd;
        cmd.line = line_no;
        cmd.text = raw.substr(first, last - first + 1);
        if (cmd.text[0] == '!' || cmd.text[0] == ':') continue;
        std::istringstream words(cmd.text);
        for (std::string w; words >> w;) cmd.words.push_back(w);
        const std::size_t indent = first;
        if (cmd.text == "end") {
            stack.clear();
            continue;
        }
        if (cmd.text == "exit") {
            if (!stack.empty()) stack.pop_back();
            continue;
        }
        // Leave the modes this line does not belong to.
        while (!stack.empty()) {
            const Open& open = stack.back();
            const bool deeper = indent > open.indent;
            const bool flat = indent == 0 && open.indent == 0 && is_child(*open.mode, cmd.words);
            if (deeper || flat) break;
            stack.pop_back();
        }
        if (stack.empty() && indent > 0 && !top.empty()) {
            // Indented under a command of a mode we do not know: keep it with its parent.
            top.back().children.push_back(std::move(cmd));
            continue;
        }
        if (stack.empty()) {
            top.push_back(std::move(cmd));
            AsaCommand& placed = top.back();
            for (const Mode& m : modes())
                if (opens(m, placed.words)) stack.push_back({&m, &placed, indent});
            continue;
        }
        Open& parent = stack.back();
        if (parent.mode->children.size() == 1 && parent.mode->children[0] == "*" && cmd.text == "quit") {
            stack.pop_back();
            continue;
        }
        parent.command->children.push_back(std::move(cmd));
        AsaCommand& placed = parent.command->children.back();
        for (const Mode* n : parent.mode->nested)
            if (opens(*n, placed.words)) {
                stack.push_back({n, &placed, indent});
                break;
            }
    }
    return top;
}

}  // namespace ikev2d::asa
