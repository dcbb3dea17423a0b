#include "config/radius_section.hpp"

#include <algorithm>

#include "aaa/radius_settings.hpp"

namespace ikev2d::config::detail {
namespace {

aaa::RadiusServer read_server(const TableReader& r, const std::string& name) {
    aaa::RadiusServer s;
    s.name = name;
    s.host = r.required_string("address").value;
    if (s.host.empty() || s.host.find_first_of(",[] \t") != std::string::npos)
        r.fail_key("address", "'" + s.host + "' is not an address or host name");
    const Located secret = r.required_string("secret");
    // radcli's server syntax splits on these; a longer secret is refused by RFC 2865's practice.
    if (secret.value.empty()) r.fail_at(secret.where, "secret must not be empty");
    if (secret.value.size() > 128) r.fail_at(secret.where, "secret is longer than 128 characters");
    if (secret.value.find_first_of(":, \t\r\n") != std::string::npos)
        r.fail_at(secret.where, "secret may not contain ':', ',' or blanks");
    s.secret = secret.value;
    if (auto v = r.integer("auth_port", 1, 65535)) s.auth_port = static_cast<std::uint16_t>(*v);
    if (auto v = r.integer("acct_port", 1, 65535)) s.acct_port = static_cast<std::uint16_t>(*v);
    return s;
}

}  // namespace

std::optional<aaa::RadiusSettings> read_radius_section(const TableReader& root, const std::string& file) {
    const auto* table = root.table("radius");
    if (!table) return std::nullopt;
    TableReader r(*table, "[radius]", file,
                  {"servers", "timeout_s", "retries", "nas_identifier", "interim_interval_s", "dae_port", "server"});
    aaa::RadiusSettings settings;
    const auto order = r.strings("servers");
    if (!order || order->empty()) r.fail_key("servers", "name the servers in failover order, e.g. servers = [\"primary\"]");
    if (order->size() > 7) r.fail_at((*order)[7].where, "at most 7 RADIUS servers");
    const auto defined = r.named_tables("server");
    for (const Located& name : *order) {
        auto it = std::find_if(defined.begin(), defined.end(), [&](const auto& d) { return d.first.value == name.value; });
        if (it == defined.end()) r.fail_at(name.where, "no [radius.server." + name.value + "]");
        for (const auto& s : settings.servers)
            if (s.name == name.value) r.fail_at(name.where, "server '" + name.value + "' is listed twice");
        TableReader sr(*it->second, "[radius.server." + name.value + "]", file,
                       {"address", "secret", "auth_port", "acct_port"});
        settings.servers.push_back(read_server(sr, name.value));
    }
    for (const auto& [name, t] : defined) {
        const bool listed = std::any_of(order->begin(), order->end(), [&](const Located& o) { return o.value == name.value; });
        if (!listed) r.fail_at(name.where, "[radius.server." + name.value + "] is not in servers");
    }
    if (auto v = r.integer("timeout_s", 1, 60)) settings.timeout_s = static_cast<unsigned>(*v);
    if (auto v = r.integer("retries", 1, 10)) settings.retries = static_cast<unsigned>(*v);
    if (auto v = r.string("nas_identifier")) {
        if (v->value.empty() || v->value.size() > 253) r.fail_at(v->where, "nas_identifier must be 1-253 characters");
        settings.nas_identifier = v->value;
    }
    if (auto v = r.integer("interim_interval_s", 0, 86400)) {
        // RFC 2869 5.16: not more often than once a minute.
        if (*v != 0 && *v < 60) r.fail_key("interim_interval_s", "must be 0 (none) or at least 60");
        settings.interim_interval_s = static_cast<unsigned>(*v);
    }
    if (auto v = r.integer("dae_port", 0, 65535)) settings.dae_port = static_cast<std::uint16_t>(*v);
    return settings;
}

}  // namespace ikev2d::config::detail
