// The gateway configuration: the concepts of the seed's ASA configuration
// (`crypto ikev2 policy`, `crypto ipsec ikev2 ipsec-proposal`, `ip local pool`, `username`,
// `group-policy` + `tunnel-group`, `crypto ca trustpoint`, DPD) as plain values, loaded from
// TOML (examples/ikev2d.conf documents every key). Loading never modifies a running
// configuration: it returns a fresh Config and the caller swaps it in only on success.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aaa/radius_settings.hpp"
#include "config/address_pool.hpp"
#include "config/nt_hash.hpp"
#include "config/pool_config.hpp"
#include "util/iana.hpp"
#include "util/ip_address.hpp"
#include "util/result.hpp"

namespace ikev2d::config {

// A cipher and its key length: "aes-256" = {AES_CBC, 256}, "aes-gcm-128" = {AES_GCM_16, 128},
// "chacha20-poly1305" = {CHACHA20_POLY1305, 256}, "3des" = {TRIPLE_DES, 192}.
struct EncrSpec {
    iana::EncrId id;
    std::uint16_t key_bits;
    bool is_aead() const noexcept;
    friend bool operator==(const EncrSpec&, const EncrSpec&) = default;
};

// `crypto ikev2 policy <priority>`: one IKE SA proposal; lower priority numbers are preferred.
// integrity applies to the non-AEAD ciphers and is empty when every cipher is AEAD; a
// proposal on the wire must not mix the two (RFC 7296 3.3), so the protocol code offers
// AEAD and non-AEAD ciphers in separate proposals. The same holds for IpsecProposal.
struct IkePolicy {
    int priority = 0;
    std::vector<EncrSpec> encryption;
    std::vector<iana::IntegId> integrity;
    std::vector<iana::PrfId> prf;
    std::vector<iana::DhGroup> groups;
    std::uint32_t lifetime_seconds = 86400;
};

// ---- PFS of Child SAs made by CREATE_CHILD_SA (issue 15) ----
// What a Child SA rekey or a new Child SA does with a DH group in the client's ESP
// proposal (the Child SA of IKE_AUTH never has one: RFC 7296 1.2).
//  Accept:  a proposal with an allowed group (and a KE of it) is keyed with that DH,
//           one without DH without; the ASA without `set pfs` (ours also answers
//           the PFS a client asks for).
//  Require: only a proposal with an allowed group is chosen; the ASA's `set pfs groupN`.
//  Refuse:  DH is never chosen (a client offering only DH gets NO_PROPOSAL_CHOSEN).
enum class PfsPolicy { Accept, Require, Refuse };
// ---- end PFS ----

// `crypto ipsec ikev2 ipsec-proposal <name>`: the ESP (Child SA) proposal.
// pfs_groups: the DH groups allowed for PFS, in order of preference; empty = the groups
// of the IKE policies (the IKE SA's own group first).
struct IpsecProposal {
    std::string name;
    std::vector<EncrSpec> encryption;
    std::vector<iana::IntegId> integrity;
    std::vector<iana::DhGroup> pfs_groups;
    PfsPolicy pfs = PfsPolicy::Accept;
    bool esn = false;
    std::uint32_t lifetime_seconds = 28800;
    std::uint64_t lifetime_kbytes = 4608000;
};

// `username`. A user of a PSK or certificate group needs no credential (it names the
// group of an identity). Which credential a user of an EAP group needs depends on the
// EAP methods the group offers:
//  - EAP-MSCHAPv2 needs the NT hash (MD4 of the UTF-16LE password). The NT hash is as good
//    as the password for MSCHAPv2: anyone who reads it can log in. Store it only in files
//    readable by root, but it at least does not reveal the password used elsewhere.
//  - EAP-MD5 needs the cleartext password.
//  - EAP-GTC and EAP-AnyConnect carry the password itself, so a crypt(3) hash
//    ("$6$...", "$y$...") is enough and is the safest thing to store.
// When `password` is given, the loader fills nt_hash from it.
struct UserConfig {
    std::string name;
    std::string group;
    std::optional<std::string> password;
    std::optional<std::array<std::uint8_t, 16>> nt_hash;
    std::optional<std::string> password_hash;
};

enum class ClientAuth { Eap, Psk, Certificate };

// `group-policy` + `tunnel-group` merged: what a connecting client gets.
struct GroupConfig {
    std::string name;
    std::string pool;       // the clients' addresses (INTERNAL_IP4_ADDRESS; an IPv6 pool for an IPv6-only group)
    // --- IPv6 (issue 13) ---
    // ASA `ipv6-address-pools`: an IPv6 pool besides an IPv4 `pool`, for clients that ask
    // for both (dual stack: one Child SA covers both addresses). Empty: none.
    std::string ipv6_pool;
    // --- end of IPv6 ---
    std::vector<IpAddress> dns;
    std::vector<IpPrefix> split_include;  // empty = full tunnel
    std::vector<std::string> dns_domains;
    std::string banner;
    ClientAuth client_auth = ClientAuth::Eap;
    std::vector<iana::EapType> eap_methods;  // order of preference; default mschapv2, md5, gtc
    std::optional<std::string> psk;          // required when client_auth == Psk
    std::string ipsec_proposal;
    std::vector<IpPrefix> local_networks;  // default 0.0.0.0/0, and ::/0 with an IPv6 pool
    std::uint32_t idle_timeout_s = 1800;
    // --- session limits (issue 12) ---
    std::uint32_t max_session_s = 0;        // ASA vpn-session-timeout; 0: none
    std::uint32_t simultaneous_logins = 0;  // sessions per user, the oldest goes; 0: no limit
    // --- client signature policy (issue 9) ---
    // Accept SHA-1 in the client's AUTH signature: RSA method 1 (which implies SHA-1) and
    // RFC 7427 signatures with SHA-1. Off by default (RFC 8247); Windows' built-in client
    // with machine certificates signs with method 1 and needs it on.
    bool allow_sha1_signatures = false;
    // --- PSK clients grouped by identity (issue 15) ---
    // IKE identities (IDi as text) of PSK clients that belong to this group without a
    // [user] entry: an exact identity, or "*" followed by a suffix that matches every
    // longer identity ending in it ("*@branch.example.com", "*.routers.example.com").
    // Case-sensitive. A [user] entry beats an exact entry here, which beats a wildcard;
    // the loader refuses the same identity, or overlapping wildcards, in two groups.
    std::vector<std::string> psk_identities;
    // --- AAA (issue 12) ---
    // authentication = "radius": EAP is relayed to the [radius] servers (RFC 3579), which
    // choose the method; the gateway knows no password. accounting = "radius": Start,
    // Interim-Update and Stop records to the same servers.
    bool radius_authentication = false;
    bool radius_accounting = false;
    // --- AnyConnect client services (issue 13) ---
    // The XML profile AnyConnect clients of this group fetch over HTTPS ([client_services]);
    // read at load (a missing, empty or oversized file is refused then) and named, with its
    // SHA-1, in the aggregate-auth "complete" message's profile manifest.
    std::string anyconnect_profile;       // path; empty = none
    std::string anyconnect_profile_name;  // its file name, served as /CACHE/stc/profiles/<name>
    std::string anyconnect_profile_sha1;  // hex
    std::shared_ptr<const std::string> anyconnect_profile_xml;
    // --- end AnyConnect client services ---
};

// `crypto ca trustpoint`: the gateway's certificate. self_signed = the daemon makes the
// certificate and key (of key_type) at these paths on first start when they are missing,
// like the seed's `enrollment self`.
struct Trustpoint {
    std::string certificate, private_key;  // PEM files; relative paths are relative to the config file
    std::vector<std::string> ca_certificates;  // to verify client certificates
    std::string identity;  // FQDN or IP the clients dial (IDr, certificate subjectAltName)
    bool self_signed = false;
    std::string key_type = "ecdsa-p256";  // "ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072", "rsa-4096"
    // --- client certificate checks (issue 9) ---
    // CRL files (PEM or DER), each signed by one of ca_certificates: listed certificates are refused.
    std::vector<std::string> crls;
    // Let a client's IDi match its certificate's subject CN (or emailAddress attribute)
    // when no subjectAltName does. Off: identities match subjectAltNames (or the whole DN) exactly.
    bool allow_cn_identity = false;
};

// Dead peer detection, the seed's "10 s, retry 2".
struct DpdConfig {
    std::uint32_t interval_s = 10;
    std::uint32_t retries = 2;
};

// Whose order picks among acceptable proposals: [global] proposal_selection (issue 15).
enum class ProposalSelection { Client, Admin };

struct GlobalConfig {
    std::vector<IpAddress> listen;  // empty = any address, IPv4 and IPv6
    std::uint16_t ike_port = 500, natt_port = 4500;
    std::uint32_t half_open_cookie_threshold = 100;  // half-open SAs before COOKIEs are demanded
    std::uint32_t half_open_limit = 10000;
    std::uint32_t auth_timeout_s = 30;  // the seed's "waiting for AUTH message (30 sec)"
    std::uint32_t fragment_mtu = 1280;
    bool allow_legacy_groups = false;  // MODP 768/1024/1536 (groups 1, 2, 5)
    std::string state_dir;
    std::uint32_t retransmit_base_ms = 4000, retransmit_tries = 5;
    bool forwarding = true;  // enable IP forwarding at start

    // --- Limits against hostile peers (RFC 7296 2.6, RFC 8019, RFC 7383) ---
    // Half-open IKE SAs one source address may hold (beyond it: cookie, and the source's
    // oldest is replaced); NAT-friendly: many clients may share one address, and an EAP
    // login keeps its SA half-open while the user types.
    std::uint32_t half_open_per_source_limit = 32;
    // RFC 7383 reassembly: bytes one IKE SA, and all of them together, may hold in
    // partial messages, and how long a partial message is kept.
    std::uint32_t reassembly_max_bytes_per_sa = 64 * 1024;
    std::uint32_t reassembly_max_bytes_total = 8 * 1024 * 1024;
    std::uint32_t reassembly_timeout_s = 10;
    // Requests per IKE SA and minute; a real client sends a handful per hour.
    std::uint32_t create_child_per_minute = 30;
    std::uint32_t informational_per_minute = 120;
    // Handler time (wall clock) one source address may take from the single event loop:
    // a token bucket refilled at source_work_ms_per_s per second up to source_work_burst_ms;
    // datagrams from a source that spent it are dropped until it refills. 0 = off.
    std::uint32_t source_work_ms_per_s = 100;
    std::uint32_t source_work_burst_ms = 1000;
    // --- end of limits against hostile peers ---

    // --- Whose order picks among acceptable proposals (issue 15) ---
    // Client: our IKE policies in priority order, the client's proposals in its order, and
    // a group the client already sent a KE for is taken when any policy allows it (no
    // INVALID_KE_PAYLOAD round trip, RFC 7296 1.2; still only what the admin allowed).
    // Admin: the first acceptable combination in our order (policy priority, then the
    // order of its ciphers, PRFs, integrity algorithms and groups; likewise the IPsec
    // proposals and their PFS groups); a KE of another group gets INVALID_KE_PAYLOAD
    // naming ours: the priority semantics of the ASA's `crypto ikev2 policy`.
    ProposalSelection proposal_selection = ProposalSelection::Client;
    // --- end of proposal order ---

    // --- Worker pool (issue 11) ---
    // Threads per lane (util/worker_pool.hpp) that run DH, signatures and password hashes
    // off the event loop; 0 = one per
    // CPU the process may run on (affinity mask). Read at start only (a reload keeps the running pool).
    std::uint32_t workers = 0;
    // --- end of worker pool ---

    // --- MOBIKE (issue 13, RFC 4555) ---
    // Agree to MOBIKE with clients that offer it: a client that changes its address keeps
    // its IKE SA and Child SAs (ike/mobike.hpp). Off: such clients reconnect instead.
    bool mobike = true;
    // --- end of MOBIKE ---
};

// ---- [control]: the D-Bus control interface (org.ikev2d.Manager1) ----
// Besides root, members of admin_group may call the methods that change state
// (Disconnect, DisconnectUser, Reload, SetDebug); reading status stays with the bus
// policy. The group must exist when the file is loaded; its gid is resolved then.
struct ControlConfig {
    std::string admin_group;                 // empty = root only
    std::optional<std::uint32_t> admin_gid;  // set exactly when admin_group is
};
// ---- end [control] ----

// ---- [redirect]: RFC 5685 redirect of new clients to other gateways (issue 12) ----
// While this gateway has max_sessions or more sessions up, clients that announce
// REDIRECT_SUPPORTED are sent to the gateways in turn (round robin), in IKE_SA_INIT
// (before any state or work here) or, with when = "auth", once they authenticated.
// A RADIUS Access-Accept can redirect one user in IKE_AUTH without this section
// (Cisco-AVPair "ikev2d:redirect=<gateway>", ike/redirect.hpp).
enum class RedirectWhen { SaInit, Auth };
struct RedirectConfig {
    std::vector<std::string> gateways;  // IPv4, IPv6 addresses or host names (wire/redirect_data.hpp)
    std::uint32_t max_sessions = 0;     // 0: every new client goes elsewhere (draining)
    RedirectWhen when = RedirectWhen::SaInit;
};
// ---- end [redirect] ----

// ---- [client_services]: the AnyConnect client-services HTTPS endpoint (issue 13) ----
// Serves each group's anyconnect_profile to holders of a live AnyConnect session token,
// with the gateway's certificate and key (daemon/services, docs/anyconnect-client-services.md).
struct ClientServicesConfig {
    std::uint16_t port = 0;  // TCP; 0 = off
    std::uint32_t max_connections = 64;
};
// ---- end [client_services] ----

struct Config {
    GlobalConfig global;
    ClientServicesConfig client_services;  // issue 13
    ControlConfig control;
    std::vector<IkePolicy> ike_policies;  // sorted by priority
    std::vector<IpsecProposal> ipsec_proposals;
    std::vector<PoolConfig> pools;
    std::vector<GroupConfig> groups;
    std::vector<UserConfig> users;
    Trustpoint trustpoint;
    DpdConfig dpd;
    std::optional<aaa::RadiusSettings> radius;  // [radius] (issue 12); absent = no RADIUS
    std::optional<RedirectConfig> redirect;     // [redirect] (issue 12); absent = no redirect by load
    std::string default_group;  // for clients that name no group (AnyConnect's *$AnyConnectClient$*)
    std::string source;         // where it came from: the file name, or "<embedded default>"

    // nullptr when there is no such entry.
    const GroupConfig* group(std::string_view name) const;
    const UserConfig* user(std::string_view name) const;
    const IpsecProposal* proposal(std::string_view name) const;
    const PoolConfig* pool(std::string_view name) const;
};

struct ConfigError {
    std::string file;
    int line = 0, column = 0;  // 1-based; 0 when the error is about the file as a whole
    std::string reason;
    std::string to_string() const;  // "file:line:col: reason" (or "file: reason")
};

Result<Config, ConfigError> load_file(const std::string& path);
Result<Config, ConfigError> load_string(std::string_view toml, const std::string& name_for_errors);

// The configuration used when there is no file: a self-signed trustpoint under state_dir,
// pool 10.2.2.1-10.2.2.254, group "default" (EAP MSCHAPv2/MD5/GTC, full tunnel), one user
// "demo" whose random password is generated once and kept (mode 0600) in
// state_dir/demo-password so that the daemon can print it at start. Modern algorithms
// only. Throws std::system_error when state_dir cannot be created or the password file
// cannot be read or written.
Config embedded_default(const std::string& state_dir);

// The file embedded_default() keeps the demo password in.
std::string demo_password_path(const std::string& state_dir);

}  // namespace ikev2d::config
