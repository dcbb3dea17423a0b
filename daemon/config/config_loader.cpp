// Reads the TOML configuration into a fresh Config and validates it. Sections are read in
// dependency order (global, algorithms, pools, trustpoint, groups, users) so that every
// reference can be checked, with its line, when it is read.
#include <grp.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "config/algorithm_names.hpp"
#include "config/config.hpp"
#include "config/defaults.hpp"
#include "config/psk_identity.hpp"
#include "config/client_services_section.hpp"
#include "config/radius_section.hpp"
#include "config/redirect_section.hpp"
#include "config/toml_reader.hpp"
#include "ikev2d_build_config.h"

namespace ikev2d::config {
namespace {

using detail::Located;
using detail::TableReader;
using detail::Where;
using detail::modern_ike_policy;
using detail::modern_ipsec_proposal;

constexpr std::int64_t kMaxU32 = 0xffffffffLL;

// Resolves a path from the file against the directory of the configuration file.
std::string resolve_path(const std::string& base_dir, const std::string& path) {
    if (path.empty() || path.front() == '/' || base_dir.empty()) return path;
    return base_dir.back() == '/' ? base_dir + path : base_dir + "/" + path;
}

template <class T, class Parse>
std::vector<T> parse_list(const TableReader& r, std::string_view key, Parse parse, std::string_view what,
                          const std::string& valid) {
    std::vector<T> out;
    auto names = r.strings(key);
    if (!names) return out;
    for (const auto& item : *names) {
        auto value = parse(item.value);
        if (!value)
            r.fail_at(item.where, "unknown " + std::string(what) + " '" + item.value + "' in " + std::string(key) +
                                      " (valid: " + valid + ")");
        if (std::find(out.begin(), out.end(), *value) != out.end())
            r.fail_at(item.where, std::string(what) + " '" + item.value + "' is listed twice in " + std::string(key));
        out.push_back(*value);
    }
    return out;
}

class Loader {
public:
    Loader(const std::string& file, std::string base_dir) : file_(file), base_dir_(std::move(base_dir)) {}

    Config load(const toml::table& root) {
        TableReader r(root, "the top level", file_,
                      {"global", "dpd", "ike_policy", "ipsec_proposal", "pool", "trustpoint", "group", "user",
                       "control", "radius", "redirect", "client_services"});
        config_.source = file_;
        read_global(r);
        read_control(r);
        read_dpd(r);
        read_ike_policies(r);
        read_ipsec_proposals(r);
        read_pools(r);
        read_trustpoint(r);
        config_.radius = detail::read_radius_section(r, file_);
        config_.redirect = detail::read_redirect_section(r, file_);
        config_.client_services = detail::read_client_services_section(r, file_);  // issue 13
        read_groups(r);
        read_users(r);
        return std::move(config_);
    }

private:
    std::vector<iana::DhGroup> read_groups_list(const TableReader& t, std::string_view key) {
        auto groups = parse_list<iana::DhGroup>(t, key, parse_dh_group, "DH group", dh_group_names());
        if (!config_.global.allow_legacy_groups)
            for (std::size_t i = 0; i < groups.size(); ++i)
                if (is_legacy_group(groups[i]))
                    t.fail_at((*t.strings(key))[i].where,
                              "DH group " + iana::name(groups[i]) +
                                  " is too weak; set allow_legacy_groups = true in [global] to accept it anyway");
        return groups;
    }

    std::vector<EncrSpec> read_encryption(const TableReader& t) {
        auto list = parse_list<EncrSpec>(t, "encryption", parse_encryption, "cipher", encryption_names());
        if (list.empty()) t.fail_key("encryption", "at least one cipher is required");
        return list;
    }

    // Integrity is needed exactly when a cipher is not AEAD.
    std::vector<iana::IntegId> read_integrity(const TableReader& t, const std::vector<EncrSpec>& ciphers) {
        auto list = parse_list<iana::IntegId>(t, "integrity", parse_integrity, "integrity algorithm", integrity_names());
        const bool needs = std::any_of(ciphers.begin(), ciphers.end(), [](const EncrSpec& e) { return !e.is_aead(); });
        if (needs && list.empty())
            t.fail_key("encryption", "a non-AEAD cipher needs an integrity algorithm: add integrity = [\"sha256\"]");
        if (!needs && !list.empty())
            t.fail_key("integrity", "every cipher is AEAD (it authenticates itself); remove integrity");
        return list;
    }

    void read_global(const TableReader& root) {
        GlobalConfig& g = config_.global;
        g.state_dir = IKEV2D_STATEDIR;
        const auto* table = root.table("global");
        if (!table) return;
        TableReader r(*table, "[global]", file_,
                      {"listen", "ike_port", "natt_port", "half_open_cookie_threshold", "half_open_limit",
                       "auth_timeout_s", "fragment_mtu", "allow_legacy_groups", "state_dir", "retransmit_base_ms",
                       "retransmit_tries", "forwarding", "default_group",
                       // limits against hostile peers
                       "half_open_per_source_limit", "reassembly_max_bytes_per_sa", "reassembly_max_bytes_total",
                       "reassembly_timeout_s", "create_child_per_minute", "informational_per_minute",
                       "source_work_ms_per_s", "source_work_burst_ms",
                       // proposal order (issue 15)
                       "proposal_selection",
                       // worker pool (issue 11)
                       "workers",
                       // MOBIKE (issue 13)
                       "mobike"});
        if (auto listen = r.strings("listen")) {
            for (const auto& item : *listen) {
                auto a = IpAddress::parse(item.value);
                if (!a) r.fail_at(item.where, "listen: '" + item.value + "' is not an IP address");
                g.listen.push_back(*a);
            }
        }
        if (auto v = r.integer("ike_port", 1, 65535)) g.ike_port = static_cast<std::uint16_t>(*v);
        if (auto v = r.integer("natt_port", 1, 65535)) g.natt_port = static_cast<std::uint16_t>(*v);
        if (g.ike_port == g.natt_port) r.fail_key("natt_port", "must differ from ike_port");
        if (auto v = r.integer("half_open_cookie_threshold", 0, kMaxU32)) g.half_open_cookie_threshold = static_cast<std::uint32_t>(*v);
        if (auto v = r.integer("half_open_limit", 1, kMaxU32)) g.half_open_limit = static_cast<std::uint32_t>(*v);
        if (g.half_open_cookie_threshold > g.half_open_limit)
            r.fail_key("half_open_cookie_threshold", "is above half_open_limit (" + std::to_string(g.half_open_limit) +
                                                         "): cookies would never be asked for");
        if (auto v = r.integer("auth_timeout_s", 1, 3600)) g.auth_timeout_s = static_cast<std::uint32_t>(*v);
        // 576 is the smallest datagram every IPv4 host must accept (RFC 791), 9000 a jumbo frame.
        if (auto v = r.integer("fragment_mtu", 576, 9000)) g.fragment_mtu = static_cast<std::uint32_t>(*v);
        if (auto v = r.boolean("allow_legacy_groups")) g.allow_legacy_groups = *v;
        if (auto v = r.string("state_dir")) {
            if (v->value.empty() || v->value.front() != '/') r.fail_at(v->where, "state_dir must be an absolute path");
            g.state_dir = v->value;
        }
        if (auto v = r.integer("retransmit_base_ms", 100, 60000)) g.retransmit_base_ms = static_cast<std::uint32_t>(*v);
        if (auto v = r.integer("retransmit_tries", 0, 20)) g.retransmit_tries = static_cast<std::uint32_t>(*v);
        if (auto v = r.boolean("forwarding")) g.forwarding = *v;
        if (auto v = r.string("default_group")) default_group_ = *v;
        read_hostile_peer_limits(r, g);
        if (auto v = r.string("proposal_selection")) {
            if (v->value == "client") g.proposal_selection = ProposalSelection::Client;
            else if (v->value == "admin") g.proposal_selection = ProposalSelection::Admin;
            else r.fail_at(v->where, "unknown proposal_selection '" + v->value + "' (valid: client, admin)");
        }
        // Worker threads (issue 11): more than a few per core only adds switching.
        if (auto v = r.integer("workers", 0, 1024)) g.workers = static_cast<std::uint32_t>(*v);
        // MOBIKE (issue 13)
        if (auto v = r.boolean("mobike")) g.mobike = *v;
    }

    // Limits against hostile peers; each must leave room for what a real client does.
    void read_hostile_peer_limits(const TableReader& r, GlobalConfig& g) {
        if (auto v = r.integer("half_open_per_source_limit", 1, kMaxU32)) g.half_open_per_source_limit = static_cast<std::uint32_t>(*v);
        // An IKE_AUTH with a certificate chain needs a few KiB; 16 MiB is more than any message.
        if (auto v = r.integer("reassembly_max_bytes_per_sa", 4096, 16 * 1024 * 1024))
            g.reassembly_max_bytes_per_sa = static_cast<std::uint32_t>(*v);
        if (auto v = r.integer("reassembly_max_bytes_total", 4096, kMaxU32)) g.reassembly_max_bytes_total = static_cast<std::uint32_t>(*v);
        if (g.reassembly_max_bytes_total < g.reassembly_max_bytes_per_sa)
            r.fail_key("reassembly_max_bytes_total", "is below reassembly_max_bytes_per_sa (" +
                                                         std::to_string(g.reassembly_max_bytes_per_sa) + ")");
        if (auto v = r.integer("reassembly_timeout_s", 1, 300)) g.reassembly_timeout_s = static_cast<std::uint32_t>(*v);
        if (auto v = r.integer("create_child_per_minute", 1, 100000)) g.create_child_per_minute = static_cast<std::uint32_t>(*v);
        if (auto v = r.integer("informational_per_minute", 1, 100000)) g.informational_per_minute = static_cast<std::uint32_t>(*v);
        // A source needs a few ms per login; 1000 ms per second would be the whole loop.
        if (auto v = r.integer("source_work_ms_per_s", 0, 1000)) g.source_work_ms_per_s = static_cast<std::uint32_t>(*v);
        if (auto v = r.integer("source_work_burst_ms", 100, 60000)) g.source_work_burst_ms = static_cast<std::uint32_t>(*v);
    }

    void read_control(const TableReader& root) {
        const auto* table = root.table("control");
        if (!table) return;
        TableReader r(*table, "[control]", file_, {"admin_group"});
        if (auto v = r.string("admin_group")) {
            if (v->value.empty()) r.fail_at(v->where, "admin_group must name a group (leave it out for root only)");
            // getgrnam_r's buffer grows until the entry fits (large groups list many members).
            std::vector<char> buffer(4096);
            group entry{};
            group* found = nullptr;
            int rc;
            while ((rc = getgrnam_r(v->value.c_str(), &entry, buffer.data(), buffer.size(), &found)) == ERANGE &&
                   buffer.size() < (1u << 24))
                buffer.resize(buffer.size() * 2);
            if (rc != 0 || !found)
                r.fail_at(v->where, "admin_group: no such group '" + v->value + "' on this system" +
                                        (rc != 0 ? std::string(" (") + std::strerror(rc) + ")" : std::string()));
            config_.control.admin_group = v->value;
            config_.control.admin_gid = static_cast<std::uint32_t>(found->gr_gid);
        }
    }

    void read_dpd(const TableReader& root) {
        const auto* table = root.table("dpd");
        if (!table) return;
        TableReader r(*table, "[dpd]", file_, {"interval_s", "retries"});
        // interval 0 turns DPD off.
        if (auto v = r.integer("interval_s", 0, 86400)) config_.dpd.interval_s = static_cast<std::uint32_t>(*v);
        if (auto v = r.integer("retries", 0, 20)) config_.dpd.retries = static_cast<std::uint32_t>(*v);
    }

    void read_ike_policies(const TableReader& root) {
        std::map<int, Where> priorities;
        for (const auto* table : root.table_array("ike_policy")) {
            TableReader r(*table, "[[ike_policy]]", file_,
                          {"priority", "encryption", "integrity", "prf", "groups", "lifetime_seconds"});
            IkePolicy p;
            auto priority = r.integer("priority", 1, 65535);
            if (!priority) r.fail_at(r.where(), "missing required key 'priority'");
            p.priority = static_cast<int>(*priority);
            if (auto [it, fresh] = priorities.emplace(p.priority, r.where("priority")); !fresh)
                r.fail_key("priority", std::to_string(p.priority) + " is already used by the policy at line " +
                                           std::to_string(it->second.line));
            p.encryption = read_encryption(r);
            p.integrity = read_integrity(r, p.encryption);
            p.prf = parse_list<iana::PrfId>(r, "prf", parse_prf, "PRF", prf_names());
            if (p.prf.empty()) p.prf = default_prf(p.integrity);
            p.groups = read_groups_list(r, "groups");
            if (p.groups.empty()) r.fail_key("groups", "at least one DH group is required");
            if (auto v = r.integer("lifetime_seconds", 120, 2592000)) p.lifetime_seconds = static_cast<std::uint32_t>(*v);
            config_.ike_policies.push_back(std::move(p));
        }
        if (config_.ike_policies.empty()) config_.ike_policies.push_back(modern_ike_policy());
        std::sort(config_.ike_policies.begin(), config_.ike_policies.end(),
                  [](const IkePolicy& a, const IkePolicy& b) { return a.priority < b.priority; });
    }

    // Without an explicit prf, use the PRFs matching the integrity algorithms, or SHA-256.
    static std::vector<iana::PrfId> default_prf(const std::vector<iana::IntegId>& integrity) {
        std::vector<iana::PrfId> out;
        for (auto i : integrity) {
            std::optional<iana::PrfId> p;
            switch (i) {
                case iana::IntegId::HMAC_SHA1_96: p = iana::PrfId::HMAC_SHA1; break;
                case iana::IntegId::HMAC_SHA2_256_128: p = iana::PrfId::HMAC_SHA2_256; break;
                case iana::IntegId::HMAC_SHA2_384_192: p = iana::PrfId::HMAC_SHA2_384; break;
                case iana::IntegId::HMAC_SHA2_512_256: p = iana::PrfId::HMAC_SHA2_512; break;
                case iana::IntegId::HMAC_MD5_96: p = iana::PrfId::HMAC_MD5; break;
                default: break;
            }
            if (p && std::find(out.begin(), out.end(), *p) == out.end()) out.push_back(*p);
        }
        if (out.empty()) out.push_back(iana::PrfId::HMAC_SHA2_256);
        return out;
    }

    void read_ipsec_proposals(const TableReader& root) {
        for (auto& [name, table] : root.named_tables("ipsec_proposal")) {
            TableReader r(*table, "[ipsec_proposal." + name.value + "]", file_,
                          {"encryption", "integrity", "pfs_groups", "pfs", "esn", "lifetime_seconds", "lifetime_kbytes"});
            IpsecProposal p;
            p.name = name.value;
            p.encryption = read_encryption(r);
            p.integrity = read_integrity(r, p.encryption);
            p.pfs_groups = read_groups_list(r, "pfs_groups");
            read_pfs(r, p);
            if (auto v = r.boolean("esn")) p.esn = *v;
            if (auto v = r.integer("lifetime_seconds", 120, 2592000)) p.lifetime_seconds = static_cast<std::uint32_t>(*v);
            if (auto v = r.integer("lifetime_kbytes", 10, INT64_MAX)) p.lifetime_kbytes = static_cast<std::uint64_t>(*v);
            config_.ipsec_proposals.push_back(std::move(p));
        }
        if (config_.ipsec_proposals.empty()) config_.ipsec_proposals.push_back(modern_ipsec_proposal());
    }

    // PFS of Child SAs made by CREATE_CHILD_SA (issue 15).
    static void read_pfs(const TableReader& r, IpsecProposal& p) {
        if (auto v = r.string("pfs")) {
            if (v->value == "accept") p.pfs = PfsPolicy::Accept;
            else if (v->value == "require") p.pfs = PfsPolicy::Require;
            else if (v->value == "refuse") p.pfs = PfsPolicy::Refuse;
            else r.fail_at(v->where, "unknown pfs '" + v->value + "' (valid: accept, require, refuse)");
        }
        if (p.pfs == PfsPolicy::Refuse && !p.pfs_groups.empty())
            r.fail_key("pfs_groups", "lists PFS groups but pfs = \"refuse\": remove one of them");
    }

    void read_pools(const TableReader& root) {
        std::vector<Where> places;
        for (auto& [name, table] : root.named_tables("pool")) {
            TableReader r(*table, "[pool." + name.value + "]", file_, {"range"});
            auto range = r.required_string("range");
            auto pool = parse_pool_range(name.value, range.value);
            if (!pool)
                r.fail_at(range.where, "range '" + range.value +
                                           "' is not a pool: write first-last (10.2.2.1-10.2.2.10) or a prefix (10.2.2.0/24)");
            for (std::size_t i = 0; i < config_.pools.size(); ++i)
                if (pools_overlap(config_.pools[i], *pool))
                    r.fail_at(range.where, "overlaps pool '" + config_.pools[i].name + "' (line " +
                                               std::to_string(places[i].line) + ")");
            config_.pools.push_back(std::move(*pool));
            places.push_back(range.where);
        }
    }

    void read_trustpoint(const TableReader& root) {
        Trustpoint& tp = config_.trustpoint;
        const auto* table = root.table("trustpoint");
        if (!table) {
            // Like the seed's `enrollment self`: make a certificate on first start.
            tp.self_signed = true;
            tp.certificate = config_.global.state_dir + "/gateway-cert.pem";
            tp.private_key = config_.global.state_dir + "/gateway-key.pem";
            return;
        }
        TableReader r(*table, "[trustpoint]", file_,
                      {"certificate", "private_key", "ca_certificates", "identity", "self_signed", "key_type", "crls",
                       "allow_cn_identity"});
        if (auto v = r.boolean("self_signed")) tp.self_signed = *v;
        if (auto v = r.string("certificate")) tp.certificate = resolve_path(base_dir_, v->value);
        if (auto v = r.string("private_key")) tp.private_key = resolve_path(base_dir_, v->value);
        if (tp.self_signed) {
            if (tp.certificate.empty()) tp.certificate = config_.global.state_dir + "/gateway-cert.pem";
            if (tp.private_key.empty()) tp.private_key = config_.global.state_dir + "/gateway-key.pem";
        } else {
            if (tp.certificate.empty()) r.fail_at(r.where(), "missing 'certificate' (or set self_signed = true)");
            if (tp.private_key.empty()) r.fail_at(r.where(), "missing 'private_key' (or set self_signed = true)");
        }
        if (auto list = r.strings("ca_certificates"))
            for (const auto& item : *list) tp.ca_certificates.push_back(resolve_path(base_dir_, item.value));
        if (auto v = r.string("identity")) tp.identity = v->value;
        if (auto list = r.strings("crls")) {
            if (tp.ca_certificates.empty()) r.fail_key("crls", "CRLs need the CAs that signed them in ca_certificates");
            for (const auto& item : *list) {
                if (item.value.empty()) r.fail_at(item.where, "crls: empty file name");
                tp.crls.push_back(resolve_path(base_dir_, item.value));
            }
        }
        if (auto v = r.boolean("allow_cn_identity")) tp.allow_cn_identity = *v;
        if (auto v = r.string("key_type")) {
            static constexpr std::string_view kTypes[] = {"ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072", "rsa-4096"};
            if (std::find(std::begin(kTypes), std::end(kTypes), v->value) == std::end(kTypes))
                r.fail_at(v->where, "unknown key_type '" + v->value +
                                        "' (valid: ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096)");
            tp.key_type = v->value;
        }
    }

    template <class T, class Parse>
    std::vector<T> read_addresses(const TableReader& r, std::string_view key, Parse parse, std::string_view what) {
        std::vector<T> out;
        if (auto list = r.strings(key))
            for (const auto& item : *list) {
                auto v = parse(item.value);
                if (!v) r.fail_at(item.where, std::string(key) + ": '" + item.value + "' is not " + std::string(what));
                out.push_back(*v);
            }
        return out;
    }

    // authentication / accounting = "radius" (issue 12).
    void read_group_aaa(const TableReader& r, GroupConfig& g) {
        auto choice = [&](std::string_view key, std::string_view local_word) -> bool {
            auto v = r.string(key);
            if (!v) return false;
            if (v->value == local_word) return false;
            if (v->value != "radius")
                r.fail_at(v->where, "unknown " + std::string(key) + " '" + v->value + "' (valid: " +
                                        std::string(local_word) + ", radius)");
            if (!config_.radius) r.fail_at(v->where, std::string(key) + " = \"radius\" needs a [radius] section");
            return true;
        };
        g.radius_authentication = choice("authentication", "local");
        g.radius_accounting = choice("accounting", "none");
        if (g.radius_authentication && g.client_auth != ClientAuth::Eap)
            r.fail_key("authentication", "RADIUS authenticates EAP clients: it needs client_auth = \"eap\"");
        if (g.radius_authentication && r.has("eap_methods"))
            r.fail_key("eap_methods", "with authentication = \"radius\" the RADIUS server chooses the EAP method");
    }

    void read_groups(const TableReader& root) {
        for (auto& [name, table] : root.named_tables("group")) {
            TableReader r(*table, "[group." + name.value + "]", file_,
                          {"pool", "ipv6_pool", "dns", "split_include", "dns_domains", "banner", "client_auth", "eap_methods", "psk",
                           "ipsec_proposal", "local_networks", "idle_timeout_s", "allow_sha1_signatures",
                           "psk_identities", "authentication", "accounting", "max_session_s",
                           "simultaneous_logins", "anyconnect_profile"});
            GroupConfig g;
            g.name = name.value;
            auto pool = r.required_string("pool");
            if (!config_.pool(pool.value)) r.fail_at(pool.where, "unknown pool '" + pool.value + "'" + known_pools());
            g.pool = pool.value;
            if (auto v6 = r.string("ipv6_pool")) {
                const PoolConfig* p6 = config_.pool(v6->value);
                const PoolConfig* p4 = config_.pool(g.pool);
                if (!p6) r.fail_at(v6->where, "unknown pool '" + v6->value + "'" + known_pools());
                else if (p6->first.is_v4()) r.fail_at(v6->where, "ipv6_pool: pool '" + v6->value + "' holds IPv4 addresses");
                else if (p4 && !p4->first.is_v4())
                    r.fail_at(v6->where, "ipv6_pool is set, so pool must be an IPv4 pool ('" + g.pool + "' is IPv6)");
                g.ipv6_pool = v6->value;
            }
            g.dns = read_addresses<IpAddress>(r, "dns", IpAddress::parse, "an IP address");
            g.split_include = read_addresses<IpPrefix>(r, "split_include", IpPrefix::parse, "an address prefix");
            if (auto list = r.strings("dns_domains"))
                for (const auto& item : *list) g.dns_domains.push_back(item.value);
            if (auto v = r.string("banner")) g.banner = v->value;
            detail::read_group_anyconnect_profile(r, base_dir_, g);  // issue 13
            if (auto v = r.string("client_auth")) {
                auto auth = parse_client_auth(v->value);
                if (!auth) r.fail_at(v->where, "unknown client_auth '" + v->value + "' (valid: " + client_auth_names() + ")");
                g.client_auth = *auth;
            }
            g.eap_methods = parse_list<iana::EapType>(r, "eap_methods", parse_eap_method, "EAP method", eap_method_names());
            if (r.has("eap_methods") && g.eap_methods.empty()) r.fail_key("eap_methods", "must not be empty");
            if (g.eap_methods.empty()) g.eap_methods = {iana::EapType::MSCHAPV2, iana::EapType::MD5, iana::EapType::GTC};
            // EAP-TLS (issue 12): client certificates chain to the trustpoint's CAs.
            if (uses_eap_tls(g) && config_.trustpoint.ca_certificates.empty())
                r.fail_key("eap_methods", "EAP-TLS (\"tls\") needs ca_certificates in [trustpoint]");
            if (auto v = r.string("psk")) {
                if (g.client_auth != ClientAuth::Psk)
                    r.fail_at(v->where, "psk is set but client_auth is not \"psk\"");
                if (v->value.empty()) r.fail_at(v->where, "psk must not be empty");
                g.psk = v->value;
            }
            if (g.client_auth == ClientAuth::Psk && !g.psk) r.fail_at(r.where(), "client_auth = \"psk\" needs a psk");
            read_group_aaa(r, g);
            if (g.client_auth == ClientAuth::Certificate && config_.trustpoint.ca_certificates.empty())
                r.fail_key("client_auth", "certificate authentication needs ca_certificates in [trustpoint]");
            if (auto v = r.string("ipsec_proposal")) {
                if (!config_.proposal(v->value))
                    r.fail_at(v->where, "unknown ipsec_proposal '" + v->value + "'" + known_proposals());
                g.ipsec_proposal = v->value;
            } else if (config_.proposal("default")) {
                g.ipsec_proposal = "default";
            } else {
                r.fail_at(r.where(), "no ipsec_proposal named and there is no [ipsec_proposal.default]");
            }
            g.local_networks = read_addresses<IpPrefix>(r, "local_networks", IpPrefix::parse, "an address prefix");
            if (g.local_networks.empty()) {
                // Full tunnel for each family the group hands out addresses of.
                const PoolConfig* p4 = config_.pool(g.pool);
                if (!p4 || p4->first.is_v4()) g.local_networks.push_back(*IpPrefix::parse("0.0.0.0/0"));
                if (!g.ipv6_pool.empty() || (p4 && !p4->first.is_v4())) g.local_networks.push_back(*IpPrefix::parse("::/0"));
            }
            if (auto v = r.integer("idle_timeout_s", 0, kMaxU32)) g.idle_timeout_s = static_cast<std::uint32_t>(*v);
            if (auto v = r.integer("max_session_s", 0, kMaxU32)) g.max_session_s = static_cast<std::uint32_t>(*v);
            if (auto v = r.integer("simultaneous_logins", 0, 1000000)) g.simultaneous_logins = static_cast<std::uint32_t>(*v);
            if (auto v = r.boolean("allow_sha1_signatures")) {
                if (g.client_auth != ClientAuth::Certificate)
                    r.fail_key("allow_sha1_signatures", "only certificate clients sign: needs client_auth = \"certificate\"");
                g.allow_sha1_signatures = *v;
            }
            read_psk_identities(r, g);
            config_.groups.push_back(std::move(g));
        }
        // No group at all is the packaged template's state: valid, and every login is refused.
        if (default_group_) {
            if (!config_.group(default_group_->value))
                detail::fail(file_, default_group_->where,
                             "[global]: default_group: unknown group '" + default_group_->value + "'" + known_groups());
            config_.default_group = default_group_->value;
        } else if (config_.groups.size() == 1) {
            config_.default_group = config_.groups.front().name;
        } else if (config_.groups.size() > 1) {
            detail::fail(file_, {}, "several groups are defined: name one as default_group in [global]");
        }
    }

    // PSK clients grouped by identity (issue 15). An identity may lead to one group
    // only: the same exact identity, or overlapping wildcards, in two groups are refused
    // (an exact identity in one group and a wildcard matching it in another are fine:
    // the exact one wins).
    void read_psk_identities(const TableReader& r, GroupConfig& g) {
        auto list = r.strings("psk_identities");
        if (!list) return;
        if (g.client_auth != ClientAuth::Psk)
            r.fail_key("psk_identities", "only PSK clients are grouped by identity: needs client_auth = \"psk\"");
        for (const auto& item : *list) {
            if (auto problem = psk_identity_pattern_problem(item.value))
                r.fail_at(item.where, "psk_identities: " + *problem);
            if (std::find(g.psk_identities.begin(), g.psk_identities.end(), item.value) != g.psk_identities.end())
                r.fail_at(item.where, "psk_identities: '" + item.value + "' is listed twice");
            const bool wild = is_psk_identity_wildcard(item.value);
            for (const auto& other : psk_identity_places_) {
                if (wild != is_psk_identity_wildcard(other.pattern) || !psk_identity_patterns_overlap(item.value, other.pattern))
                    continue;
                r.fail_at(item.where, "psk_identities: '" + item.value + "' " +
                                          (wild ? "overlaps '" + other.pattern + "'" : std::string("is also listed")) +
                                          " in group '" + other.group + "' (line " + std::to_string(other.where.line) +
                                          "): an identity may lead to one group only");
            }
            g.psk_identities.push_back(item.value);
            psk_identity_places_.push_back({g.name, item.value, item.where});
        }
    }

    void read_users(const TableReader& root) {
        for (auto& [name, table] : root.named_tables("user")) {
            TableReader r(*table, "[user." + name.value + "]", file_, {"group", "password", "nt_hash", "password_hash"});
            UserConfig u;
            u.name = name.value;
            if (auto v = r.string("group")) {
                if (!config_.group(v->value)) r.fail_at(v->where, "unknown group '" + v->value + "'" + known_groups());
                u.group = v->value;
            } else if (config_.groups.empty()) {
                r.fail_at(r.where(), "no [group.<name>] defined: a user needs a group to log in to");
            } else {
                u.group = config_.default_group;
            }
            if (auto v = r.string("password")) {
                u.password = v->value;
                try {
                    u.nt_hash = nt_hash(v->value);
                } catch (const std::invalid_argument& e) {
                    r.fail_at(v->where, e.what());
                }
            }
            if (auto v = r.string("nt_hash")) {
                if (u.password) r.fail_at(v->where, "give either password or nt_hash, not both");
                Bytes raw;
                try {
                    raw = from_hex(v->value);
                } catch (const std::invalid_argument&) {
                }
                if (raw.size() != 16)
                    r.fail_at(v->where, "nt_hash must be 32 hex digits (ikectl nt-hash prints it)");
                u.nt_hash.emplace();
                std::copy(raw.begin(), raw.end(), u.nt_hash->begin());
                secure_wipe(raw.data(), raw.size());
            }
            if (auto v = r.string("password_hash")) {
                if (v->value.size() < 4 || v->value.front() != '$')
                    r.fail_at(v->where, "password_hash must be a crypt(3) hash such as \"$6$...\" or \"$y$...\"");
                u.password_hash = v->value;
            }
            // Only EAP checks a user's password; a user of a PSK or certificate group
            // just names the group of an identity.
            const GroupConfig* group = config_.group(u.group);
            if (group && group->client_auth == ClientAuth::Eap && !uses_eap_tls(*group) && !u.password && !u.nt_hash &&
                !u.password_hash)
                r.fail_at(r.where(), "user has no credential (group '" + group->name +
                                         "' uses EAP): set password, nt_hash or password_hash");
            for (const auto& place : psk_identity_places_)
                if (place.group != u.group && place.pattern == u.name)
                    r.fail_at(r.where(), "user is in group '" + u.group + "' but group '" + place.group +
                                             "' lists the identity in psk_identities (line " +
                                             std::to_string(place.where.line) + ")");
            check_user_can_log_in(r, u);
            config_.users.push_back(std::move(u));
        }
    }

    static bool uses_eap_tls(const GroupConfig& g) {
        return g.client_auth == ClientAuth::Eap && !g.radius_authentication &&
               std::find(g.eap_methods.begin(), g.eap_methods.end(), iana::EapType::TLS) != g.eap_methods.end();
    }

    // A user whose credential fits none of the group's EAP methods could never log in.
    void check_user_can_log_in(const TableReader& r, const UserConfig& u) const {
        const GroupConfig* g = config_.group(u.group);
        if (!g || g->client_auth != ClientAuth::Eap) return;
        for (auto m : g->eap_methods) {
            switch (m) {
                case iana::EapType::MSCHAPV2: if (u.password || u.nt_hash) return; break;
                case iana::EapType::MD5: if (u.password) return; break;
                case iana::EapType::TLS: return;  // a certificate, no stored secret
                default: if (u.password || u.password_hash) return; break;
            }
        }
        std::string methods;
        for (auto m : g->eap_methods) methods += (methods.empty() ? "" : ", ") + eap_method_name(m);
        r.fail_at(r.where(), "user cannot log in: group '" + g->name + "' offers " + methods +
                                 ", none of which works with the credential given (mschapv2 needs password or "
                                 "nt_hash, md5 needs password, gtc/anyconnect need password or password_hash)");
    }

    template <class List>
    static std::string known(const List& list) {
        if (list.empty()) return " (none defined)";
        std::string out;
        for (const auto& e : list) out += (out.empty() ? "" : ", ") + e.name;
        return " (defined: " + out + ")";
    }
    std::string known_pools() const { return known(config_.pools); }
    std::string known_groups() const { return known(config_.groups); }
    std::string known_proposals() const { return known(config_.ipsec_proposals); }

    const std::string& file_;
    std::string base_dir_;
    Config config_;
    std::optional<Located> default_group_;
    struct PskIdentityPlace {
        std::string group, pattern;
        Where where;
    };
    std::vector<PskIdentityPlace> psk_identity_places_;
};

Result<Config, ConfigError> load(std::string_view text, const std::string& name, const std::string& base_dir) {
    toml::table root;
    try {
        root = toml::parse(text, std::string_view(name));
    } catch (const toml::parse_error& e) {
        return unexpected(ConfigError{name, static_cast<int>(e.source().begin.line),
                                      static_cast<int>(e.source().begin.column), std::string(e.description())});
    }
    try {
        return Loader(name, base_dir).load(root);
    } catch (const detail::ConfigException& e) {
        return unexpected(e.error());
    }
}

}  // namespace

Result<Config, ConfigError> load_string(std::string_view toml, const std::string& name_for_errors) {
    return load(toml, name_for_errors, "");
}

Result<Config, ConfigError> load_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return unexpected(ConfigError{path, 0, 0, "cannot open: " + std::string(std::strerror(errno))});
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return unexpected(ConfigError{path, 0, 0, "read error"});
    const auto slash = path.rfind('/');
    auto loaded = load(text.str(), path, slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash));
    // RADIUS shared secrets live in this file: nobody but its owner may read it.
    struct stat st {};
    if (loaded && loaded.value().radius && ::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return unexpected(ConfigError{path, 0, 0,
                                      std::string("holds RADIUS secrets but is mode ") + mode +
                                          ": make it readable by its owner only (chmod 600 " + path + ")"});
    }
    return loaded;
}

}  // namespace ikev2d::config
