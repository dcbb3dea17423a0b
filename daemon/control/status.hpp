// The status model that the protocol code fills and the control surfaces (D-Bus,
// ikectl) present. Field names follow the ASA's `show crypto ikev2 sa detail`,
// `show crypto ipsec sa` and `show vpn-sessiondb detail anyconnect` outputs.
// Algorithm strings are util/iana.hpp's name(): encryption "AES-CBC", "AES-GCM-16",
// integrity "SHA96" (HMAC-SHA1-96), "SHA256", "NONE" or "" for AEAD, prf "SHA256";
// dh_group is the bare IANA number ("19"), as the ASA's "DH Grp:19".
// Adding a field: add it here, in status_codec.cpp (D-Bus key) and in ikectl's
// formatters; the D-Bus dictionaries make the addition compatible both ways.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ikev2d::control {

struct ChildSaStatus {
    uint32_t unique_id = 0;
    std::string state;  // "INSTALLED", "REKEYING", "DELETING"
    // Traffic selectors as prefixes ("0.0.0.0/0", "10.2.2.1/32"); ports separately.
    std::string local_ts, remote_ts;
    uint16_t local_port_start = 0, local_port_end = 65535;
    uint16_t remote_port_start = 0, remote_port_end = 65535;
    uint8_t ip_protocol = 0;  // 0 = any
    uint32_t spi_in = 0, spi_out = 0;
    std::string encryption;  // "AES-CBC", "AES-GCM-16"
    uint16_t key_bits = 0;
    std::string integrity;  // "SHA96" (HMAC-SHA1-96), "SHA256", "" or "NONE" for AEAD
    bool esn = false;
    bool udp_encap = false;
    std::string mode = "tunnel";
    // Counters from the kernel's XFRM state (inbound SA for *_in, outbound for *_out).
    uint64_t bytes_in = 0, bytes_out = 0, packets_in = 0, packets_out = 0;
    uint64_t replay_errors = 0, integrity_errors = 0;
    uint32_t replay_window = 0;
    uint32_t lifetime_s = 0;    // configured hard lifetime
    uint32_t rekey_left_s = 0;  // seconds until the soft limit
    uint64_t lifetime_kbytes = 0;
    uint64_t installed_at = 0;  // unix seconds
};

struct IkeSaStatus {
    uint32_t tunnel_id = 0;
    uint32_t session_id = 0;
    std::string local, remote;  // "ip/port"
    std::string status;         // "READY", "IN-NEG", "DELETING"
    std::string role = "RESPONDER";
    std::string encryption;  // "AES-CBC"
    uint16_t key_bits = 0;
    std::string integrity, prf, dh_group;  // "SHA96", "SHA1", "19"
    std::string auth_sign, auth_verify;    // "RSA"/"ECDSA"/"PSK", "EAP"/"PSK"/"RSA"
    uint32_t lifetime_s = 0;
    uint64_t established_at = 0;  // unix seconds
    std::string local_spi, remote_spi;  // 16 hex digits
    std::string local_id, remote_id, eap_identity;
    uint32_t local_next_msgid = 0, remote_next_msgid = 0;
    uint32_t window = 1;
    bool nat_detected_local = false, nat_detected_remote = false;
    uint32_t dpd_interval_s = 0, dpd_retries = 0;
    std::string assigned_address;   // IPv4
    std::string assigned_address6;  // IPv6 (a dual-stack or IPv6-only client)
    std::vector<ChildSaStatus> children;
};

struct SessionStatus {
    uint32_t index = 0;
    std::string username, group, assigned_ip, public_ip;
    std::string assigned_ip6;
    uint16_t public_port = 0;
    std::string protocol;  // "IKEv2 IPsecOverNatT"
    std::string encryption, hashing;
    uint64_t bytes_tx = 0, bytes_rx = 0, packets_tx = 0, packets_rx = 0;
    uint64_t login_time = 0;  // unix seconds
    uint64_t duration_s = 0, inactivity_s = 0;
    std::string client_type, client_version, auth_mode;
    uint32_t tunnel_id = 0;
};

struct GlobalStats {
    uint64_t ike_sa_created = 0, ike_sa_established = 0, ike_sa_failed = 0, auth_failures = 0;
    uint64_t retransmits = 0, fragments_sent = 0, fragments_received = 0;
    uint64_t dpd_sent = 0, dpd_timeouts = 0, cookies_sent = 0;
    uint64_t half_open = 0, active_sessions = 0, invalid_packets = 0;
    // What the limits against hostile peers turned away (ike::Counters).
    uint64_t malformed_requests = 0, half_open_refused = 0, half_open_evicted = 0, fragments_dropped = 0, create_child_rate_limited = 0;
    uint64_t informational_rate_limited = 0, lifetime_expired = 0, handler_errors = 0, work_budget_drops = 0;
    uint64_t started_at = 0;  // unix seconds
};

// One client address pool (`ikectl show pools`); free = size - leased.
struct PoolStatus {
    std::string name;
    std::string first, last;  // inclusive range, "10.2.2.1", "10.2.2.10"
    uint64_t size = 0;        // addresses in the range (saturates for huge IPv6 pools)
    uint64_t leased = 0;      // addresses handed to clients now
};

// What the daemon core offers to the control surfaces. Called on the event loop
// thread only (the D-Bus service dispatches from the same loop).
class ControlBackend {
public:
    virtual ~ControlBackend();
    virtual std::vector<IkeSaStatus> ike_sas() = 0;
    virtual std::vector<SessionStatus> sessions() = 0;
    virtual GlobalStats stats() = 0;
    virtual std::vector<PoolStatus> pools() = 0;
    // Returns the number of sessions torn down (0 = no such index / tunnel id).
    virtual uint32_t disconnect_session(uint32_t index_or_tunnel_id) = 0;
    virtual uint32_t disconnect_user(const std::string& username) = 0;
    // RFC 5685 redirect of a live session to `gateway`; "" when sent, else why not.
    virtual std::string redirect_session(uint32_t index_or_tunnel_id, const std::string& gateway) = 0;
    // "" on success, else "file:line: reason" (the running config is kept).
    virtual std::string reload() = 0;
    // category: "protocol", "platform", "eap"; false if unknown.
    virtual bool set_debug(const std::string& category, int level) = 0;
};

}  // namespace ikev2d::control
