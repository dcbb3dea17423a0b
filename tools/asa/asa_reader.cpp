// ASA commands -> AsaModel. Every command either lands in the model or leaves a Note
// saying why not; commands that only repeat an ASA default (`wins-server none`) count
// as converted.
#include <algorithm>
#include <charconv>
#include <set>

#include "asa/asa_address.hpp"
#include "asa/asa_model.hpp"

namespace ikev2d::asa {
namespace {

std::optional<std::uint64_t> number(const std::string& s) {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

struct DynamicMapEntry {
    int seq = 0;
    std::vector<std::string> proposals;
    std::optional<std::string> pfs_group;  // "" = `set pfs` without a group
    std::optional<std::uint32_t> lifetime_seconds;
};

class Reader {
public:
    AsaModel read(const std::vector<AsaCommand>& commands) {
        for (const auto& c : commands) top_level(c);
        choose_ra_proposal();
        name_ipv6_pools();
        return std::move(m_);
    }

private:
    void note(const AsaCommand& c, const std::string& reason, const AsaCommand* parent = nullptr) {
        m_.notes.push_back({c.line, parent ? parent->text + " > " + c.text : c.text, reason});
    }

    // ---- algorithm names ----
    std::optional<std::string> ike_cipher(const std::string& w) {
        if (w == "aes") return "aes-128";
        if (w == "aes-192" || w == "aes-256") return w;
        if (w == "aes-gcm") return "aes-gcm-128";
        if (w == "aes-gcm-192" || w == "aes-gcm-256") return w;
        if (w == "3des") return "3des";
        return std::nullopt;
    }
    std::optional<std::string> hash(std::string w) {
        if (w.starts_with("sha-")) w = "sha" + w.substr(4);  // the ESP spelling: sha-1, sha-256
        if (w == "sha" || w == "sha1") return "sha1";
        if (w == "sha256" || w == "sha384" || w == "sha512" || w == "md5") return w;
        return std::nullopt;
    }
    std::optional<std::string> dh_group(const std::string& w) {
        static const std::map<std::string, std::string> groups = {
            {"1", "modp768"},   {"2", "modp1024"},  {"5", "modp1536"}, {"14", "modp2048"}, {"15", "modp3072"},
            {"16", "modp4096"}, {"19", "ecp256"},   {"20", "ecp384"},  {"21", "ecp521"},   {"31", "curve25519"}};
        auto it = groups.find(w.starts_with("group") ? w.substr(5) : w);
        if (it == groups.end()) return std::nullopt;
        return it->second;
    }
    std::string unsupported_reason(const std::string& w) {
        if (w == "des") return "DES is broken and not supported";
        if (w == "null") return "NULL encryption/integrity is not supported";
        if (w == "24") return "group 24 (MODP-2048 with 256-bit subgroup) is not supported";
        if (w == "aes-gmac" || w.starts_with("aes-gmac")) return "AES-GMAC (integrity only) is not supported";
        return "'" + w + "' is not supported";
    }

    // Words 1.. of c mapped by f; each unknown word gets a note.
    template <class F>
    std::vector<std::string> mapped_list(const AsaCommand& c, std::size_t from, F f, const AsaCommand* parent) {
        std::vector<std::string> out;
        for (std::size_t i = from; i < c.words.size(); ++i) {
            if (auto v = (this->*f)(c.words[i])) {
                if (std::find(out.begin(), out.end(), *v) == out.end()) out.push_back(*v);
            } else {
                note(c, c.words[i] + " left out: " + unsupported_reason(c.words[i]), parent);
            }
        }
        return out;
    }

    // ---- top level ----
    void top_level(const AsaCommand& c) {
        const std::string& w0 = c.word(0);
        if (w0 == "interface") return interface(c);
        if (c.starts_with({"crypto", "ikev2", "policy"})) return ike_policy(c);
        if (c.starts_with({"crypto", "ipsec", "ikev2", "ipsec-proposal"})) return ipsec_proposal(c);
        if (c.starts_with({"crypto", "ipsec", "security-association", "lifetime"})) return sa_lifetime(c);
        if (c.starts_with({"crypto", "dynamic-map"})) return dynamic_map(c);
        if (c.starts_with({"crypto", "map"})) return crypto_map(c);
        if (c.starts_with({"crypto", "ca", "trustpoint"})) return trustpoint(c);
        if (c.starts_with({"crypto", "ca", "certificate", "chain"}))
            return note(c, "certificates are not carried over: export the certificate and key to PEM files "
                           "for [trustpoint] (a self-signed one is made anew by ikev2d)");
        if (c.starts_with({"crypto", "ikev2", "enable"})) return ikev2_enable(c);
        if (c.starts_with({"crypto", "ikev2", "remote-access", "trustpoint"})) {
            m_.ra_trustpoint = c.word(4);
            return;
        }
        if (c.starts_with({"crypto", "ikev2", "fragmentation", "mtu"})) {
            if (auto v = number(c.word(4)); v && *v >= 576 && *v <= 9000) m_.fragment_mtu = static_cast<std::uint32_t>(*v);
            else note(c, "MTU outside 576..9000");
            return;
        }
        if (c.starts_with({"ip", "local", "pool"})) return pool(c);
        if (c.starts_with({"ipv6", "local", "pool"})) return ipv6_pool(c);
        if (w0 == "access-list") return access_list(c);
        if (w0 == "group-policy") return group_policy(c);
        if (w0 == "tunnel-group") return tunnel_group(c);
        if (w0 == "username") return username(c);
        if (w0 == "webvpn") {
            for (const auto& child : c.children) webvpn_child(child, c, nullptr);
            return;
        }
        if (w0 == "ssl")
            return note(c, "TLS settings of the SSL VPN and ASDM: ikev2d speaks IKEv2 only");
        if (w0 == "hostname" || w0 == "domain-name") return note(c, "host settings: configure the host itself");
        note(c, "no ikev2d equivalent");
        for (const auto& child : c.children) note(child, "no ikev2d equivalent", &c);
    }

    void interface(const AsaCommand& c) {
        std::string nameif, address;
        for (const auto& child : c.children) {
            if (child.word(0) == "nameif") nameif = child.word(1);
            else if (child.starts_with({"ip", "address"})) address = child.word(2);
            else note(child, "interface settings belong to the host's network configuration", &c);
        }
        if (!nameif.empty() && !address.empty() && address != "dhcp") m_.interface_address[nameif] = address;
    }

    void ike_policy(const AsaCommand& c) {
        IkePolicyModel p;
        auto priority = number(c.word(3));
        if (!priority || *priority < 1 || *priority > 65535) return note(c, "priority is not a number 1..65535");
        p.priority = static_cast<int>(*priority);
        for (const auto& child : c.children) {
            const std::string& k = child.word(0);
            if (k == "encryption") p.encryption = mapped_list(child, 1, &Reader::ike_cipher, &c);
            else if (k == "integrity") p.integrity = mapped_list(child, 1, &Reader::hash, &c);
            else if (k == "prf") p.prf = mapped_list(child, 1, &Reader::hash, &c);
            else if (k == "group") p.groups = mapped_list(child, 1, &Reader::dh_group, &c);
            else if (child.starts_with({"lifetime", "seconds"})) {
                auto v = number(child.word(2));
                if (v && *v >= 120) p.lifetime_seconds = static_cast<std::uint32_t>(std::min<std::uint64_t>(*v, 2592000));
                else note(child, "lifetime below 120 s", &c);
                if (v && *v > 2592000) note(child, "lifetime capped at 2592000 s (30 days)", &c);
            } else if (child.starts_with({"lifetime", "none"})) {
                note(child, "IKE SAs without lifetime: ikev2d keeps the default of 86400 s", &c);
            } else {
                note(child, "unknown in crypto ikev2 policy", &c);
            }
        }
        if (p.encryption.empty() || p.groups.empty())
            return note(c, "no supported cipher or DH group left: policy dropped");
        const bool all_aead = std::all_of(p.encryption.begin(), p.encryption.end(),
                                          [](const std::string& e) { return e.starts_with("aes-gcm"); });
        if (all_aead) p.integrity.clear();  // `integrity null` with GCM
        else if (p.integrity.empty()) p.integrity = {"sha256"}, note(c, "no integrity given: the ASA default sha256 is used");
        m_.ike_policies.push_back(std::move(p));
    }

    void ipsec_proposal(const AsaCommand& c) {
        ProposalModel p;
        p.name = c.word(4);
        for (const auto& child : c.children) {
            if (child.starts_with({"protocol", "esp", "encryption"})) {
                for (std::size_t i = 3; i < child.words.size(); ++i) {
                    const std::string& w = child.words[i];
                    if (auto v = ike_cipher(w)) {
                        if (std::find(p.encryption.begin(), p.encryption.end(), *v) == p.encryption.end())
                            p.encryption.push_back(*v);
                    } else {
                        note(child, w + " left out: " + unsupported_reason(w), &c);
                    }
                }
            } else if (child.starts_with({"protocol", "esp", "integrity"})) {
                p.integrity = mapped_list(child, 3, &Reader::hash, &c);
            } else {
                note(child, "unknown in ipsec-proposal (ikev2d does ESP only)", &c);
            }
        }
        if (p.encryption.empty()) return note(c, "no supported cipher left: proposal dropped");
        const bool any_cbc = std::any_of(p.encryption.begin(), p.encryption.end(),
                                         [](const std::string& e) { return !e.starts_with("aes-gcm"); });
        if (!any_cbc) p.integrity.clear();
        else if (p.integrity.empty()) return note(c, "CBC ciphers without a supported integrity algorithm: proposal dropped");
        m_.proposals.push_back(std::move(p));
    }

    void sa_lifetime(const AsaCommand& c) {
        if (c.word(4) == "seconds") {
            if (auto v = number(c.word(5)); v && *v >= 120) sa_seconds_ = static_cast<std::uint32_t>(std::min<std::uint64_t>(*v, 2592000));
            else note(c, "lifetime below 120 s");
        } else if (c.word(4) == "kilobytes") {
            if (c.word(5) == "unlimited") sa_kbytes_ = std::uint64_t{1} << 62;
            else if (auto v = number(c.word(5)); v && *v >= 10) sa_kbytes_ = *v;
            else note(c, "kilobytes below 10");
        } else {
            note(c, "unknown lifetime form");
        }
    }

    void dynamic_map(const AsaCommand& c) {
        const std::string& name = c.word(2);
        auto seq = number(c.word(3));
        if (!seq) return note(c, "no sequence number");
        auto& entry = dynamic_maps_[name][static_cast<int>(*seq)];
        entry.seq = static_cast<int>(*seq);
        if (c.starts_with({"crypto", "dynamic-map", name, c.word(3), "set", "ikev2", "ipsec-proposal"})) {
            for (std::size_t i = 7; i < c.words.size(); ++i) entry.proposals.push_back(c.words[i]);
        } else if (c.word(4) == "set" && c.word(5) == "pfs") {
            entry.pfs_group = c.word(6);
        } else if (c.word(4) == "set" && c.word(5) == "security-association" && c.word(7) == "seconds") {
            if (auto v = number(c.word(8)); v && *v >= 120) entry.lifetime_seconds = static_cast<std::uint32_t>(*v);
            else note(c, "lifetime below 120 s");
        } else if (c.word(4) == "set" && c.word(5) == "reverse-route") {
            note(c, "no route injection: the XFRM policies route the pool (announce the pool to your routers)");
        } else {
            note(c, "no ikev2d equivalent (IKEv1 or site-to-site setting)");
        }
    }

    void crypto_map(const AsaCommand& c) {
        const std::string& name = c.word(2);
        if (c.word(3) == "interface") {
            crypto_map_interfaces_[name].push_back(c.word(4));
            return;
        }
        if (c.word(4) == "ipsec-isakmp" && c.word(5) == "dynamic") {
            crypto_map_dynamic_[name].push_back(c.word(6));
            return;
        }
        note(c, "site-to-site crypto map entries are not converted (ikev2d is a remote-access gateway)");
    }

    void trustpoint(const AsaCommand& c) {
        TrustpointModel tp;
        tp.name = c.word(3);
        for (const auto& child : c.children) {
            if (child.starts_with({"enrollment", "self"})) tp.self_signed = true;
            else if (child.word(0) == "enrollment")
                note(child, "enrollment is not done by ikev2d: put the enrolled certificate and key in the [trustpoint] files", &c);
            else if (child.word(0) == "fqdn" && child.word(1) != "none") tp.identity = child.word(1);
            else if (child.word(0) == "subject-name") {
                const std::string dn = child.rest(1);
                const auto cn = dn.find("CN=");
                if (cn != std::string::npos && tp.identity.empty()) tp.identity = dn.substr(cn + 3, dn.find(',', cn) - cn - 3);
            } else if (child.starts_with({"crl", "configure"})) {
                for (const auto& crl : child.children) note(crl, "CRL checking: list CRL files in [trustpoint] crls", &child);
            } else if (child.word(0) == "keypair") {
                note(child, "the key is not carried over; a self-signed trustpoint gets key_type rsa-2048, like the ASA's default RSA key", &c);
            } else {
                note(child, "no ikev2d equivalent", &c);
            }
        }
        m_.trustpoints[tp.name] = tp;
    }

    void ikev2_enable(const AsaCommand& c) {
        const std::string& nameif = c.word(3);
        if (std::find(m_.listen_interfaces.begin(), m_.listen_interfaces.end(), nameif) == m_.listen_interfaces.end())
            m_.listen_interfaces.push_back(nameif);
        if (c.word(4) != "client-services") {
            if (c.words.size() > 4) note(c, "unknown option of crypto ikev2 enable");
            return;
        }
        // `client-services [port N]`: the HTTPS endpoint AnyConnect fetches its profile from (ASA default 443).
        std::uint64_t port = 443;
        if (c.word(5) == "port") {
            auto v = number(c.word(6));
            if (!v || *v < 1 || *v > 65535 || c.words.size() > 7) return note(c, "not a port 1-65535");
            port = *v;
        } else if (c.words.size() > 5) {
            return note(c, "unknown option of client-services");
        }
        if (m_.client_services_port && *m_.client_services_port != port)
            return note(c, "ikev2d serves client services on one port (" + std::to_string(*m_.client_services_port) + ")");
        m_.client_services_port = static_cast<std::uint16_t>(port);
        m_.client_services_command = c.text;
    }

    void pool(const AsaCommand& c) {
        const std::string& name = c.word(3);
        const std::string& range = c.word(4);
        if (name.empty() || range.find('-') == std::string::npos) return note(c, "not a first-last range");
        m_.pools.push_back({name, name, range, false, "ip local pool " + name});
        if (c.word(5) == "mask") note(c, "the mask is not used: ikev2d hands out single addresses (a /32 each)");
    }

    // `ipv6 local pool NAME 2001:db8::1/64 256`: 256 addresses from 2001:db8::1 on.
    void ipv6_pool(const AsaCommand& c) {
        const std::string& name = c.word(3);
        if (name.empty()) return note(c, "no pool name");
        auto range = ipv6_pool_range(c.word(4), c.word(5));
        if (!range.error.empty()) return note(c, range.error);
        if (range.clipped) note(c, "the number of addresses reaches past the prefix: the pool ends at the prefix's end");
        m_.pools.push_back({name, name, range.range, true, "ipv6 local pool " + name});
    }

    // The ASA names pools per family, ikev2d in one namespace.
    void name_ipv6_pools() {
        for (auto& p : m_.pools) {
            if (!p.ipv6) continue;
            const bool taken = std::any_of(m_.pools.begin(), m_.pools.end(),
                                           [&](const PoolModel& o) { return !o.ipv6 && o.name == p.name; });
            if (taken) p.name += "-v6";
        }
    }

    void access_list(const AsaCommand& c) {
        // Split tunnel lists: standard ACLs (IPv4: permit <net> <mask> | host <ip> | any4) and
        // extended ones, whose source is the network (also IPv6: <net>/<len> | host <ip> | any6).
        const std::string& name = c.word(1);
        std::optional<std::string> prefix;
        if (c.word(2) == "standard" && c.word(3) == "permit") {
            if (c.word(4) == "host") prefix = c.word(5) + "/32";
            else if (c.word(4) == "any4" || c.word(4) == "any") prefix = "0.0.0.0/0";
            else if (auto len = mask_length(c.word(5))) prefix = c.word(4) + "/" + std::to_string(*len);
        } else if (c.word(2) == "extended" && c.word(3) == "permit" && c.word(4) == "ip") {
            const std::string& source = c.word(5);
            if (source == "host") prefix = c.word(6).find(':') == std::string::npos ? c.word(6) + "/32" : ipv6_prefix(c.word(6));
            else if (source == "any4") prefix = "0.0.0.0/0";
            else if (source == "any6") prefix = "::/0";
            else if (source.find(':') != std::string::npos) prefix = ipv6_prefix(source);
            else if (auto len = mask_length(c.word(6))) prefix = source + "/" + std::to_string(*len);
        }
        if (!prefix) return note(c, "only `permit` entries of split-tunnel lists are converted");
        m_.access_lists[name].push_back(*prefix);
    }

    void group_policy(const AsaCommand& c) {
        const std::string& name = c.word(1);
        auto& gp = m_.group_policies[name];
        if (c.word(2) == "internal") return;
        if (c.word(2) != "attributes") return note(c, "external group policies (RADIUS/LDAP) are not converted");
        for (const auto& a : c.children) group_policy_attribute(a, c, gp);
    }

    // `value x y` -> {x, y}; `none` -> {}.
    static std::vector<std::string> values(const AsaCommand& a) {
        std::vector<std::string> out;
        if (a.word(1) == "value") out.assign(a.words.begin() + 2, a.words.end());
        return out;
    }

    void group_policy_attribute(const AsaCommand& a, const AsaCommand& parent, GroupPolicyModel& gp) {
        const std::string& k = a.word(0);
        const bool none = a.word(1) == "none";
        if (k == "dns-server") gp.dns = values(a);
        else if (k == "default-domain" || k == "split-dns") {
            if (!gp.domains) gp.domains.emplace();
            for (auto& d : values(a)) gp.domains->push_back(d);
        } else if (k == "banner") {
            if (none) gp.banner = "";
            else gp.banner = (gp.banner && !gp.banner->empty() ? *gp.banner + "\n" : "") + a.rest(2);
        } else if (k == "split-tunnel-policy") {
            gp.split_policy = a.word(1);
            if (a.word(1) == "excludespecified") note(a, "split exclude is not supported: the group tunnels everything", &parent);
        } else if (k == "ipv6-split-tunnel-policy") {
            gp.ipv6_split_policy = a.word(1);
            if (a.word(1) == "excludespecified") note(a, "split exclude is not supported: the group tunnels all IPv6", &parent);
        } else if (k == "split-tunnel-network-list") {
            if (!none) gp.split_acl = a.word(2);
        } else if (k == "address-pools") {
            gp.pools = values(a);
        } else if (k == "ipv6-address-pools") {
            gp.ipv6_pools = values(a);  // `none`: no IPv6 pool from DfltGrpPolicy
        } else if (k == "vpn-tunnel-protocol") {
            gp.protocols = std::vector<std::string>(a.words.begin() + 1, a.words.end());
            for (const auto& p : *gp.protocols)
                if (p != "ikev2") note(a, p + " left out: ikev2d speaks IKEv2 only", &parent);
        } else if (k == "vpn-idle-timeout") {
            if (none) gp.idle_minutes = 0;
            else if (auto v = number(a.word(1))) gp.idle_minutes = static_cast<std::uint32_t>(*v);
            else note(a, "not a number of minutes", &parent);
        } else if ((k == "wins-server" || k == "vpn-filter" || k == "ipv6-vpn-filter" ||
                    k == "group-lock") && none) {
            // The ASA's default, which is also ikev2d's behaviour.
        } else if (k == "vpn-session-timeout") {
            if (none) gp.session_minutes = 0;
            else if (auto v = number(a.word(1))) gp.session_minutes = static_cast<std::uint32_t>(*v);
            else note(a, "not a number of minutes", &parent);
        } else if (k == "vpn-simultaneous-logins") {
            if (auto v = number(a.word(1))) gp.simultaneous_logins = static_cast<std::uint32_t>(*v);
            else note(a, "not a number of logins", &parent);
        } else if (k == "webvpn") {
            // Notes name the whole path: "group-policy X attributes > webvpn > anyconnect ...".
            AsaCommand path = a;
            path.text = parent.text + " > " + a.text;
            for (const auto& w : a.children) webvpn_child(w, path, &gp);
        } else {
            note(a, "no ikev2d equivalent", &parent);
        }
    }

    // The top-level webvpn (gp null) or a group policy's.
    void webvpn_child(const AsaCommand& w, const AsaCommand& parent, GroupPolicyModel* gp) {
        if (w.starts_with({"anyconnect", "dpd-interval", "gateway"})) {
            if (auto v = number(w.word(3))) m_.dpd_interval = static_cast<std::uint32_t>(*v);
            else if (w.word(3) == "none") m_.dpd_interval = 0;
            return;
        }
        if (w.starts_with({"anyconnect", "profiles"})) return anyconnect_profiles(w, parent, gp);
        if (w.starts_with({"anyconnect", "image"}) || w.starts_with({"anyconnect", "modules"}) ||
            w.starts_with({"anyconnect", "keep-installer"}))
            return note(w, "ikev2d does not distribute AnyConnect software or modules", &parent);
        if (w.starts_with({"anyconnect", "enable"}) || w.starts_with({"enable"}))
            return note(w, "the SSL VPN (TLS/DTLS) is not served; AnyConnect's IKEv2 needs no switch in ikev2d", &parent);
        if (w.starts_with({"tunnel-group-list", "enable"}))
            return note(w, "no group list: clients name their group (AnyConnect profile UserGroup, EAP identity)", &parent);
        note(w, "WebVPN/SSL setting: no ikev2d equivalent", &parent);
    }

    // Top level: `anyconnect profiles NAME disk0:/file.xml` (the file); a group policy's:
    // `anyconnect profiles value NAME [type user]` or `none` (which profile its clients get).
    void anyconnect_profiles(const AsaCommand& w, const AsaCommand& parent, GroupPolicyModel* gp) {
        const std::string command = parent.text + " > " + w.text;
        if (!gp) {
            if (w.words.size() != 4) return note(w, "not `anyconnect profiles NAME FILE`", &parent);
            m_.anyconnect_profiles[w.word(2)] = {w.word(3), w.line, command};
            return;
        }
        if (w.word(2) == "none" && w.words.size() == 3) {
            gp->anyconnect_profile = ProfileUseModel{};
            return;
        }
        if (w.word(2) != "value" || w.word(3).empty()) return note(w, "not `anyconnect profiles value NAME`", &parent);
        const std::string type = w.word(4) == "type" ? w.word(5) : "user";
        if (type != "user")
            return note(w, "only the user profile (type user) is served: ikev2d has no AnyConnect modules", &parent);
        gp->anyconnect_profile = ProfileUseModel{w.word(3), w.line, command};
    }

    static TunnelGroupModel new_tunnel_group(const std::string& name, int line) {
        TunnelGroupModel tg;
        tg.name = name;
        tg.line = line;
        return tg;
    }

    void tunnel_group(const AsaCommand& c) {
        const std::string& name = c.word(1);
        auto it = std::find_if(m_.tunnel_groups.begin(), m_.tunnel_groups.end(),
                               [&](const TunnelGroupModel& t) { return t.name == name; });
        if (c.word(2) == "type") {
            if (c.word(3) != "remote-access") return note(c, "only remote-access tunnel groups are converted");
            if (it == m_.tunnel_groups.end()) m_.tunnel_groups.push_back(new_tunnel_group(name, c.line));
            return;
        }
        if (it == m_.tunnel_groups.end()) {
            // DefaultRAGroup exists on every ASA without a `type` line.
            if (name != "DefaultRAGroup") return note(c, "tunnel group without `type remote-access`: not converted");
            m_.tunnel_groups.push_back(new_tunnel_group(name, c.line));
            it = m_.tunnel_groups.end() - 1;
        }
        TunnelGroupModel& tg = *it;
        const std::string& section = c.word(2);
        for (const auto& a : c.children) {
            const std::string& k = a.word(0);
            if (section == "general-attributes" && (k == "address-pool" || k == "ipv6-address-pool")) {
                // `address-pool [(interface)] NAME...`: the interface only matters to an ASA with several.
                for (std::size_t i = 1; i < a.words.size(); ++i)
                    if (!a.words[i].starts_with("(")) (k == "address-pool" ? tg.pools : tg.ipv6_pools).push_back(a.words[i]);
            } else if (section == "general-attributes" && k == "default-group-policy") {
                tg.group_policy = a.word(1);
            } else if (section == "general-attributes" && k == "authentication-server-group" && a.word(1) == "LOCAL") {
            } else if (section == "webvpn-attributes" && k == "group-alias" && a.word(1) == name) {
                // The alias is the group's own name, which is what ikev2d matches.
            } else if (section == "ipsec-attributes" && a.starts_with({"ikev2", "remote-authentication", "eap"})) {
                tg.client_auth = "eap";
            } else if (section == "ipsec-attributes" && a.starts_with({"ikev2", "remote-authentication", "pre-shared-key"})) {
                tg.client_auth = "psk";
                if (a.words.size() == 4) tg.psk = a.word(3);
                else note(a, "the pre-shared key is stored encrypted: set psk in the group", &c);
            } else if (section == "ipsec-attributes" && a.starts_with({"ikev2", "remote-authentication", "certificate"})) {
                tg.client_auth = "certificate";
            } else if (section == "ipsec-attributes" && a.starts_with({"ikev2", "local-authentication", "certificate"})) {
                if (m_.ra_trustpoint.empty()) m_.ra_trustpoint = a.word(3);
            } else if (section == "ipsec-attributes" && a.starts_with({"isakmp", "keepalive", "threshold"})) {
                if (auto v = number(a.word(3))) m_.dpd_interval = static_cast<std::uint32_t>(*v);
                if (a.word(4) == "retry")
                    if (auto v = number(a.word(5))) m_.dpd_retries = static_cast<std::uint32_t>(std::min<std::uint64_t>(*v, 20));
            } else if (section == "ipsec-attributes" && a.starts_with({"isakmp", "keepalive", "disable"})) {
                m_.dpd_interval = 0;
            } else {
                note(a, "no ikev2d equivalent", &c);
            }
        }
        if (section != "general-attributes" && section != "webvpn-attributes" && section != "ipsec-attributes")
            note(c, "no ikev2d equivalent");
    }

    void username(const AsaCommand& c) {
        const std::string& name = c.word(1);
        auto it = std::find_if(m_.users.begin(), m_.users.end(), [&](const UserModel& u) { return u.name == name; });
        if (it == m_.users.end()) {
            UserModel fresh;
            fresh.name = name;
            fresh.line = c.line;
            m_.users.push_back(std::move(fresh));
            it = m_.users.end() - 1;
        }
        UserModel& u = *it;
        if (c.word(2) == "attributes") {
            for (const auto& a : c.children) {
                if (a.word(0) == "vpn-group-policy") u.group_policy = a.word(1);
                else if (a.word(0) == "group-lock" && a.word(1) == "value") u.group_lock = a.word(2);
                else if (a.starts_with({"service-type", "remote-access"})) {
                } else note(a, "no ikev2d equivalent", &c);
            }
            return;
        }
        if (c.word(2) == "nopassword") return note(c, "a user without password cannot use EAP: set one");
        if (c.word(2) != "password") return note(c, "unknown username form");
        std::size_t next = 4;
        const std::string& form = c.word(4);
        if (form == "encrypted" || form == "pbkdf2" || form == "nt-encrypted") {
            u.stored_form = form;
            ++next;
        } else {
            u.password = c.word(3);
        }
        if (c.word(next) == "privilege")
            note(c, "privilege " + c.word(next + 1) + " (ASA management access) left out: ikev2d users are VPN users only");
    }

    // The proposal remote-access clients get: the first of the dynamic map bound to the
    // crypto map on the interface with IKEv2 (several are merged into one).
    void choose_ra_proposal() {
        for (const auto& [map_name, dyn_names] : crypto_map_dynamic_) {
            for (const auto& dyn : dyn_names) {
                auto it = dynamic_maps_.find(dyn);
                if (it == dynamic_maps_.end() || it->second.empty()) continue;
                const DynamicMapEntry& entry = it->second.begin()->second;
                if (entry.proposals.empty()) continue;
                std::vector<const ProposalModel*> named;
                for (const auto& n : entry.proposals) {
                    auto p = std::find_if(m_.proposals.begin(), m_.proposals.end(), [&](const ProposalModel& pm) { return pm.name == n; });
                    if (p != m_.proposals.end()) named.push_back(&*p);
                }
                if (named.empty()) continue;
                ProposalModel chosen = *named.front();
                if (named.size() > 1) {
                    chosen.name = dyn;
                    for (const auto* p : named) {
                        for (const auto& e : p->encryption)
                            if (std::find(chosen.encryption.begin(), chosen.encryption.end(), e) == chosen.encryption.end()) chosen.encryption.push_back(e);
                        for (const auto& i : p->integrity)
                            if (std::find(chosen.integrity.begin(), chosen.integrity.end(), i) == chosen.integrity.end()) chosen.integrity.push_back(i);
                    }
                }
                if (entry.pfs_group) {
                    chosen.pfs_required = true;
                    // `set pfs` alone means group 2 on the ASA.
                    auto g = dh_group(entry.pfs_group->empty() ? "2" : *entry.pfs_group);
                    if (g) chosen.pfs_groups = {*g};
                }
                if (entry.lifetime_seconds) chosen.lifetime_seconds = entry.lifetime_seconds;
                if (named.size() > 1 || entry.pfs_group || entry.lifetime_seconds) {
                    chosen.name = dyn;
                    m_.proposals.push_back(chosen);
                }
                m_.ra_proposal = chosen.name;
                break;
            }
            if (!m_.ra_proposal.empty()) break;
        }
        for (auto& p : m_.proposals) {
            if (!p.lifetime_seconds) p.lifetime_seconds = sa_seconds_;
            p.lifetime_kbytes = sa_kbytes_;
        }
        // Which interfaces carry IKEv2: those enabled; the crypto map's interfaces must match.
        for (const auto& [map_name, ifs] : crypto_map_interfaces_)
            for (const auto& i : ifs)
                if (std::find(m_.listen_interfaces.begin(), m_.listen_interfaces.end(), i) == m_.listen_interfaces.end())
                    m_.notes.push_back({0, "crypto map " + map_name + " interface " + i,
                                        "IKEv2 is not enabled on " + i + " (no `crypto ikev2 enable " + i + "`)"});
    }

    AsaModel m_;
    std::map<std::string, std::map<int, DynamicMapEntry>> dynamic_maps_;
    std::map<std::string, std::vector<std::string>> crypto_map_dynamic_, crypto_map_interfaces_;
    std::optional<std::uint32_t> sa_seconds_;
    std::optional<std::uint64_t> sa_kbytes_;
};

}  // namespace

AsaModel read_asa_model(const std::vector<AsaCommand>& commands) { return Reader().read(commands); }

}  // namespace ikev2d::asa
