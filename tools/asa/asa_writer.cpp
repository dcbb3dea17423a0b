// AsaModel -> ikev2d.conf (TOML, keys as in examples/ikev2d.conf), each table headed by
// the ASA command it comes from, the notes at the end.
#include <algorithm>
#include <cctype>
#include <set>

#include "asa/asa_model.hpp"

namespace ikev2d::asa {
namespace {

std::string toml_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

// A table key: bare when TOML allows it, else quoted.
std::string toml_key(const std::string& s) {
    const bool bare = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
    return bare ? s : toml_string(s);
}

std::string toml_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (const auto& i : items) out += (out.size() > 1 ? ", " : "") + toml_string(i);
    return out + "]";
}

bool is_legacy(const std::string& group) { return group == "modp768" || group == "modp1024" || group == "modp1536"; }

class Writer {
public:
    Writer(AsaModel& m, const std::string& source) : m_(m), source_(source) {}

    std::string write() {
        out_ = "# ikev2d.conf converted from the ASA configuration " + source_ + " by `ikectl import-asa`.\n"
               "# Check it with `ikev2d --check-config --config <this file>`. Commands that were not\n"
               "# converted are listed at the end.\n\n";
        global();
        client_services();
        dpd();
        ike_policies();
        proposals();
        pools();
        trustpoint();
        groups();
        unused_profiles();
        users();
        notes();
        return out_;
    }

private:
    void note(int line, const std::string& command, const std::string& reason) { m_.notes.push_back({line, command, reason}); }

    void global() {
        out_ += "[global]\n";
        std::vector<std::string> listen;
        for (const auto& i : m_.listen_interfaces) {
            auto it = m_.interface_address.find(i);
            if (it != m_.interface_address.end()) listen.push_back(it->second);
            else note(0, "crypto ikev2 enable " + i, "interface " + i + " has no static address in the file: listen on every address");
        }
        if (!listen.empty()) {
            std::string ifs;
            for (const auto& i : m_.listen_interfaces) ifs += (ifs.empty() ? "" : ", ") + i;
            out_ += "listen = " + toml_list(listen) + "  # crypto ikev2 enable " + ifs + "\n";
        }
        bool legacy = false;
        for (const auto& p : m_.ike_policies) legacy |= std::any_of(p.groups.begin(), p.groups.end(), is_legacy);
        for (const auto& p : m_.proposals) legacy |= std::any_of(p.pfs_groups.begin(), p.pfs_groups.end(), is_legacy);
        if (legacy) out_ += "allow_legacy_groups = true  # a crypto ikev2 policy uses DH group 1, 2 or 5 (weak: replace it)\n";
        if (m_.fragment_mtu) out_ += "fragment_mtu = " + std::to_string(*m_.fragment_mtu) + "  # crypto ikev2 fragmentation mtu\n";
        default_group_ = choose_default_group();
        if (!default_group_.empty())
            out_ += "default_group = " + toml_string(default_group_) + "  # for clients that name no group (AnyConnect's *$AnyConnectClient$*)\n";
        out_ += "\n";
    }

    std::string choose_default_group() {
        std::vector<std::string> names;
        for (const auto& tg : m_.tunnel_groups)
            if (has_pool(tg)) names.push_back(tg.name);
        if (names.empty()) return {};
        if (std::find(names.begin(), names.end(), "DefaultRAGroup") != names.end()) return "DefaultRAGroup";
        return names.front();
    }

    void client_services() {
        if (!m_.client_services_port) return;
        out_ += "[client_services]  # " + m_.client_services_command + "\n";
        out_ += "port = " + std::to_string(*m_.client_services_port) + "  # HTTPS for AnyConnect's profile download\n\n";
    }

    void dpd() {
        // The ASA's defaults (threshold 10 s, retry 2) unless a tunnel group sets them: the seed's
        // "DPD configured for 10 seconds, retry 2".
        out_ += "[dpd]  # tunnel-group ipsec-attributes isakmp keepalive (ASA default: threshold 10 retry 2)\n";
        out_ += "interval_s = " + std::to_string(m_.dpd_interval.value_or(10)) + "\n";
        out_ += "retries = " + std::to_string(m_.dpd_retries.value_or(2)) + "\n\n";
    }

    void ike_policies() {
        auto policies = m_.ike_policies;
        std::sort(policies.begin(), policies.end(), [](const auto& a, const auto& b) { return a.priority < b.priority; });
        for (const auto& p : policies) {
            out_ += "[[ike_policy]]  # crypto ikev2 policy " + std::to_string(p.priority) + "\n";
            out_ += "priority = " + std::to_string(p.priority) + "\n";
            out_ += "encryption = " + toml_list(p.encryption) + "\n";
            if (!p.integrity.empty()) out_ += "integrity = " + toml_list(p.integrity) + "\n";
            if (!p.prf.empty()) out_ += "prf = " + toml_list(p.prf) + "\n";
            out_ += "groups = " + toml_list(p.groups) + "\n";
            if (p.lifetime_seconds) out_ += "lifetime_seconds = " + std::to_string(*p.lifetime_seconds) + "\n";
            out_ += "\n";
        }
    }

    void proposals() {
        for (const auto& p : m_.proposals) {
            out_ += "[ipsec_proposal." + toml_key(p.name) + "]  # crypto ipsec ikev2 ipsec-proposal " + p.name + "\n";
            out_ += "encryption = " + toml_list(p.encryption) + "\n";
            if (!p.integrity.empty()) out_ += "integrity = " + toml_list(p.integrity) + "\n";
            if (p.pfs_required) {
                out_ += "pfs = \"require\"  # crypto dynamic-map ... set pfs\n";
                if (!p.pfs_groups.empty()) out_ += "pfs_groups = " + toml_list(p.pfs_groups) + "\n";
            }
            if (p.lifetime_seconds) out_ += "lifetime_seconds = " + std::to_string(*p.lifetime_seconds) + "\n";
            if (p.lifetime_kbytes) out_ += "lifetime_kbytes = " + std::to_string(*p.lifetime_kbytes) + "\n";
            out_ += "\n";
        }
    }

    void pools() {
        for (const auto& p : m_.pools)
            out_ += "[pool." + toml_key(p.name) + "]  # " + p.command + "\nrange = " + toml_string(p.range) + "\n\n";
    }

    void trustpoint() {
        std::string name = m_.ra_trustpoint;
        auto it = m_.trustpoints.find(name);
        out_ += "[trustpoint]";
        if (it == m_.trustpoints.end()) {
            if (!name.empty()) note(0, "crypto ikev2 remote-access trustpoint " + name, "no `crypto ca trustpoint " + name + "` in the file");
            out_ += "  # no remote-access trustpoint: a self-signed certificate made by ikev2d\n";
            name = "ikev2d";
        } else {
            out_ += "  # crypto ikev2 remote-access trustpoint " + name + "\n";
        }
        const bool self_signed = it == m_.trustpoints.end() || it->second.self_signed;
        out_ += "certificate = " + toml_string(name + "-cert.pem") + "  # relative to this file\n";
        out_ += "private_key = " + toml_string(name + "-key.pem") + "\n";
        if (self_signed) {
            out_ += "self_signed = true  # enrollment self: made on first start\n";
            out_ += "key_type = \"rsa-2048\"  # the ASA's default RSA key\n";
        } else {
            note(0, "crypto ca trustpoint " + name, "export the enrolled certificate and key to " + name + "-cert.pem and " + name + "-key.pem");
        }
        std::string identity = it == m_.trustpoints.end() ? "" : it->second.identity;
        if (identity.empty()) {
            for (const auto& i : m_.listen_interfaces)
                if (auto a = m_.interface_address.find(i); a != m_.interface_address.end()) {
                    identity = a->second;
                    break;
                }
        }
        if (!identity.empty()) out_ += "identity = " + toml_string(identity) + "  # what clients dial\n";
        if (std::any_of(m_.tunnel_groups.begin(), m_.tunnel_groups.end(), [](const auto& t) { return t.client_auth == "certificate"; })) {
            out_ += "ca_certificates = [\"client-ca.pem\"]  # the CA of the client certificates: put it there\n";
            note(0, "ikev2 remote-authentication certificate", "client certificates: put their CA in client-ca.pem beside this file");
        }
        out_ += "\n";
    }

    const GroupPolicyModel* policy(const std::string& name) const {
        auto it = m_.group_policies.find(name);
        return it == m_.group_policies.end() ? nullptr : &it->second;
    }

    // An attribute of the tunnel group's policy, else of DfltGrpPolicy.
    template <class T>
    std::optional<T> attribute(const TunnelGroupModel& tg, std::optional<T> GroupPolicyModel::*member) const {
        if (const auto* p = policy(tg.group_policy); p && p->*member) return p->*member;
        if (const auto* d = policy("DfltGrpPolicy"); d && d->*member) return d->*member;
        return std::nullopt;
    }

    // The ikev2d pool of the family the group's policy names (else the tunnel group), the first
    // one defined: an ASA hands out from the next pool when one is full, ikev2d from one.
    const PoolModel* family_pool(const TunnelGroupModel& tg, bool ipv6, bool with_notes) {
        auto names = attribute(tg, ipv6 ? &GroupPolicyModel::ipv6_pools : &GroupPolicyModel::pools);
        const std::vector<std::string>& list = names && !names->empty() ? *names : ipv6 ? tg.ipv6_pools : tg.pools;
        const PoolModel* found = nullptr;
        const std::string what = ipv6 ? "ipv6 local pool " : "ip local pool ";
        for (const auto& name : list) {
            auto it = std::find_if(m_.pools.begin(), m_.pools.end(),
                                   [&](const PoolModel& p) { return p.ipv6 == ipv6 && p.asa_name == name; });
            if (it == m_.pools.end()) {
                if (with_notes) note(tg.line, "tunnel-group " + tg.name, "pool " + name + ": no `" + what + name + "` in the file");
            } else if (found) {
                if (with_notes) note(tg.line, "tunnel-group " + tg.name, "pool " + name + " left out: ikev2d gives a group one pool per address family (" + found->name + ")");
            } else {
                found = &*it;
            }
        }
        return found;
    }

    bool has_pool(const TunnelGroupModel& tg) {
        return family_pool(tg, false, false) || family_pool(tg, true, false);
    }

    void groups() {
        for (const auto& tg : m_.tunnel_groups) {
            const PoolModel* pool4 = family_pool(tg, false, true);
            const PoolModel* pool6 = family_pool(tg, true, true);
            if (!pool4 && !pool6) {
                note(tg.line, "tunnel-group " + tg.name, "no address pool: the group was not converted (add address-pool)");
                continue;
            }
            if (auto protocols = attribute(tg, &GroupPolicyModel::protocols);
                protocols && std::find(protocols->begin(), protocols->end(), "ikev2") == protocols->end()) {
                note(tg.line, "tunnel-group " + tg.name, "its group policy's vpn-tunnel-protocol has no ikev2: not converted");
                continue;
            }
            converted_groups_.insert(tg.name);
            out_ += "[group." + toml_key(tg.name) + "]  # tunnel-group " + tg.name + " + group-policy " + tg.group_policy + "\n";
            if (pool4) {
                out_ += "pool = " + toml_string(pool4->name) + "\n";
                if (pool6) out_ += "ipv6_pool = " + toml_string(pool6->name) + "  # ipv6-address-pools: dual stack\n";
            } else {
                out_ += "pool = " + toml_string(pool6->name) + "  # IPv6 only (ipv6-address-pools, no address-pools)\n";
            }
            if (auto dns = attribute(tg, &GroupPolicyModel::dns); dns && !dns->empty()) out_ += "dns = " + toml_list(*dns) + "\n";
            if (auto d = attribute(tg, &GroupPolicyModel::domains); d && !d->empty()) out_ += "dns_domains = " + toml_list(*d) + "\n";
            if (auto b = attribute(tg, &GroupPolicyModel::banner); b && !b->empty()) out_ += "banner = " + toml_string(*b) + "\n";
            split(tg, pool4 != nullptr, pool6 != nullptr);
            if (auto profile = attribute(tg, &GroupPolicyModel::anyconnect_profile); profile && !profile->name.empty())
                anyconnect_profile(tg, *profile);
            if (tg.client_auth == "anyconnect") {
                out_ += "client_auth = \"eap\"\n";
                out_ += "# EAP-AnyConnect (aggregate auth) as on the ASA; mschapv2 and gtc for standard clients.\n";
                out_ += "eap_methods = [\"anyconnect\", \"mschapv2\", \"gtc\"]\n";
            } else if (tg.client_auth == "eap") {
                out_ += "client_auth = \"eap\"  # ikev2 remote-authentication eap\n";
            } else if (tg.client_auth == "psk") {
                out_ += "client_auth = \"psk\"  # ikev2 remote-authentication pre-shared-key\n";
                out_ += "psk = " + toml_string(tg.psk.value_or("set the group's pre-shared key here")) + "\n";
            } else {
                out_ += "client_auth = \"certificate\"  # ikev2 remote-authentication certificate\n";
            }
            if (!m_.ra_proposal.empty()) out_ += "ipsec_proposal = " + toml_string(m_.ra_proposal) + "  # crypto dynamic-map\n";
            else if (!m_.proposals.empty() && std::none_of(m_.proposals.begin(), m_.proposals.end(), [](const auto& p) { return p.name == "default"; })) {
                out_ += "ipsec_proposal = " + toml_string(m_.proposals.front().name) + "\n";
                note(tg.line, "tunnel-group " + tg.name, "no dynamic map binds an ipsec-proposal: using " + m_.proposals.front().name);
            }
            if (auto idle = attribute(tg, &GroupPolicyModel::idle_minutes))
                out_ += "idle_timeout_s = " + std::to_string(*idle * 60) + "  # vpn-idle-timeout" + (*idle == 0 ? " none" : "") + "\n";
            else
                out_ += "idle_timeout_s = 1800  # the ASA's default vpn-idle-timeout (30 min)\n";
            if (auto minutes = attribute(tg, &GroupPolicyModel::session_minutes); minutes && *minutes)
                out_ += "max_session_s = " + std::to_string(*minutes * 60) + "  # vpn-session-timeout\n";
            // The ASA's default is 3 simultaneous logins; ikev2d's is no limit, so it is always written.
            const std::uint32_t logins = attribute(tg, &GroupPolicyModel::simultaneous_logins).value_or(3);
            out_ += "simultaneous_logins = " + std::to_string(logins) + "  # vpn-simultaneous-logins" +
                    (attribute(tg, &GroupPolicyModel::simultaneous_logins) ? "" : " (the ASA's default)") + "\n";
            out_ += "\n";
        }
    }

    // One split_include for both families: per family the list's entries of that family when its
    // policy (split-tunnel-policy, ipv6-split-tunnel-policy) is tunnelspecified, else all of it.
    void split(const TunnelGroupModel& tg, bool ipv4, bool ipv6) {
        auto specified = [&](std::optional<std::string> GroupPolicyModel::*member) {
            auto kind = attribute(tg, member);
            return kind && *kind == "tunnelspecified";
        };
        const bool split4 = ipv4 && specified(&GroupPolicyModel::split_policy);
        const bool split6 = ipv6 && specified(&GroupPolicyModel::ipv6_split_policy);
        if (!split4 && !split6) return;
        auto acl = attribute(tg, &GroupPolicyModel::split_acl);
        auto it = acl ? m_.access_lists.find(*acl) : m_.access_lists.end();
        if (it == m_.access_lists.end()) {
            note(tg.line, "tunnel-group " + tg.name, "split-tunnel-policy tunnelspecified without a usable network list: full tunnel");
            return;
        }
        std::vector<std::string> include;
        auto family = [&](bool v6, bool has, bool specified_only) {
            if (!has) return;
            if (!specified_only) return include.push_back(v6 ? "::/0" : "0.0.0.0/0");
            std::size_t found = 0;
            for (const auto& p : it->second)
                if ((p.find(':') != std::string::npos) == v6) include.push_back(p), ++found;
            if (found == 0)
                note(tg.line, "tunnel-group " + tg.name, "split-tunnel-network-list " + *acl + " has no " + (v6 ? "IPv6" : "IPv4") +
                                                             " entry: no " + (v6 ? "IPv6" : "IPv4") + " network is tunnelled");
        };
        family(false, ipv4, split4);
        family(true, ipv6, split6);
        if (include.empty()) {
            note(tg.line, "tunnel-group " + tg.name, "nothing to tunnel in split-tunnel-network-list " + *acl + ": full tunnel");
            return;
        }
        out_ += "split_include = " + toml_list(include) + "  # split-tunnel-network-list " + *acl +
                (ipv6 ? std::string(", IPv6 ") + (split6 ? "tunnelspecified" : "tunnelall") : "") + "\n";
    }

    // The loader reads the file at load and refuses a missing one, and the file is on the
    // ASA's disk: the line is written commented, with what to copy where.
    void anyconnect_profile(const TunnelGroupModel& tg, const ProfileUseModel& use) {
        used_profiles_.insert(use.name);
        auto it = m_.anyconnect_profiles.find(use.name);
        const std::string asa_path = it == m_.anyconnect_profiles.end() ? "" : it->second.asa_path;
        const std::string file = profile_file_name(asa_path.empty() ? use.name : asa_path);
        out_ += "# " + use.command.substr(use.command.rfind("> ") + 2) + ": copy " +
                (asa_path.empty() ? "the profile's XML" : asa_path) + " from the ASA\n# to " + file +
                " beside this file, then uncomment (read at load; served when [client_services] has a port).\n";
        out_ += "# anyconnect_profile = " + toml_string(file) + "\n";
        note(use.line, use.command,
             (asa_path.empty() ? "no `anyconnect profiles " + use.name + " FILE` under webvpn: put the profile's XML"
                               : "copy " + asa_path + " from the ASA") +
                 " beside the configuration as " + file + " and uncomment anyconnect_profile in [group." + tg.name + "]");
    }

    // The file part of an ASA path (disk0:/dir/x.xml), as the loader accepts it: letters,
    // digits, '.', '_', '-', ending in .xml.
    static std::string profile_file_name(const std::string& asa_path) {
        std::string name = asa_path.substr(asa_path.find_last_of("/:") == std::string::npos ? 0 : asa_path.find_last_of("/:") + 1);
        for (char& ch : name)
            if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '_' && ch != '-') ch = '_';
        if (name.empty() || name.front() == '.') name = "profile" + name;
        if (name.size() < 5 || name.compare(name.size() - 4, 4, ".xml") != 0) name += ".xml";
        return name;
    }

    void unused_profiles() {
        for (const auto& [name, file] : m_.anyconnect_profiles)
            if (!used_profiles_.count(name))
                note(file.line, file.command, "no converted group's policy names this profile (anyconnect profiles value " + name + ")");
    }

    std::string user_group(const UserModel& u) const {
        if (!u.group_lock.empty() && converted_groups_.count(u.group_lock)) return u.group_lock;
        if (!u.group_policy.empty())
            for (const auto& tg : m_.tunnel_groups)
                if (tg.group_policy == u.group_policy && converted_groups_.count(tg.name)) return tg.name;
        return default_group_;
    }

    void users() {
        for (const auto& u : m_.users) {
            const std::string group = user_group(u);
            if (group.empty()) {
                note(u.line, "username " + u.name, "no converted group to put the user in");
                continue;
            }
            if (u.password) {
                out_ += "[user." + toml_key(u.name) + "]  # username " + u.name + "\n";
                out_ += "group = " + toml_string(group) + "\n";
                out_ += "password = " + toml_string(*u.password) + "\n\n";
                continue;
            }
            // Only a hash: no EAP method can use it, and a user without credential is refused at load.
            out_ += "# set a password: the ASA keeps only a hash of " + u.name + "'s password (`password ... " +
                    u.stored_form + "`), which cannot be converted.\n"
                    "# Uncomment the entry and give password (or nt_hash from `ikectl nt-hash`).\n";
            out_ += "# [user." + toml_key(u.name) + "]\n# group = " + toml_string(group) + "\n# password = \"\"\n\n";
            note(u.line, "username " + u.name + " password <hash> " + u.stored_form, "password hashes cannot be converted: set a password in the commented entry");
        }
    }

    void notes() {
        if (m_.notes.empty()) return;
        out_ += "# ---- ASA commands not converted ----\n";
        for (const auto& n : m_.notes) out_ += "# not converted: " + n.command + " (" + n.reason + ")\n";
    }

    AsaModel& m_;
    std::string source_, out_, default_group_;
    std::set<std::string> converted_groups_, used_profiles_;
};

}  // namespace

std::string write_ikev2d_conf(AsaModel& model, const std::string& source_name) { return Writer(model, source_name).write(); }

}  // namespace ikev2d::asa
