// The SA table of the Cisco seed (shared/seed/000_*.txt: `show crypto ikev2 sa detail`,
// `show crypto ipsec sa`, `show vpn-sessiondb detail anyconnect`) as status structs,
// so the formatters can be checked against the reference outputs.
#pragma once

#include "control/status.hpp"

namespace seed {

inline constexpr uint64_t kNow = 1366668530;           // 22:08:50 UTC, 146 s after login
inline constexpr uint64_t kLoginTime = 1366668384;     // 22:06:24 UTC Mon Apr 22 2013
inline constexpr uint64_t kEstablished = kNow - 112;   // "Life/Active Time: 86400/112 sec"

inline ikev2d::control::ChildSaStatus child() {
    ikev2d::control::ChildSaStatus c;
    c.unique_id = 3;
    c.state = "INSTALLED";
    c.local_ts = "0.0.0.0/0";
    c.remote_ts = "10.2.2.1/32";
    c.spi_in = 0x30b848a4;
    c.spi_out = 0x77ee5348;
    c.encryption = "AES-CBC";
    c.key_bits = 256;
    c.integrity = "SHA96";
    c.udp_encap = true;
    c.bytes_in = 11192;
    c.packets_in = 163;
    c.integrity_errors = 55;
    c.replay_window = 64;
    c.lifetime_s = 28800;
    c.rekey_left_s = 28685;
    c.lifetime_kbytes = 4608000;
    c.installed_at = kEstablished;
    return c;
}

inline ikev2d::control::IkeSaStatus ike_sa() {
    ikev2d::control::IkeSaStatus sa;
    sa.tunnel_id = 55182129;
    sa.session_id = 2;
    sa.local = "10.0.0.1/4500";
    sa.remote = "192.168.1.1/25171";
    sa.status = "READY";
    sa.encryption = "AES-CBC";
    sa.key_bits = 192;
    sa.integrity = "SHA96";
    sa.prf = "SHA1";
    sa.dh_group = "1";
    sa.auth_sign = "RSA";
    sa.auth_verify = "EAP";
    sa.lifetime_s = 86400;
    sa.established_at = kEstablished;
    sa.local_spi = "FC696330E6B94D7F";
    sa.remote_spi = "58AFF71141BA436B";
    sa.local_id = "hostname=ASA-IKEV2";
    sa.remote_id = "*$AnyConnectClient$*";
    sa.eap_identity = "Anu";
    sa.local_next_msgid = 0;
    sa.remote_next_msgid = 9;
    sa.nat_detected_remote = true;
    sa.dpd_interval_s = 10;
    sa.dpd_retries = 2;
    sa.assigned_address = "10.2.2.1";
    sa.children.push_back(child());
    return sa;
}

inline ikev2d::control::SessionStatus session() {
    ikev2d::control::SessionStatus s;
    s.index = 2;
    s.username = "Anu";
    s.group = "ASA-IKEV2";
    s.assigned_ip = "10.2.2.1";
    s.public_ip = "192.168.1.1";
    s.public_port = 25171;
    s.protocol = "IKEv2 IPsecOverNatT";
    s.encryption = "AES192 AES256";
    s.hashing = "SHA1 SHA1";
    s.bytes_rx = 11192;
    s.packets_rx = 171;
    s.login_time = kLoginTime;
    s.duration_s = 146;
    s.client_type = "AnyConnect";
    s.client_version = "3.0.1047";
    s.auth_mode = "userPassword";
    s.tunnel_id = 55182129;
    return s;
}

inline ikev2d::control::GlobalStats stats() {
    ikev2d::control::GlobalStats g;
    g.ike_sa_created = 7;
    g.ike_sa_established = 5;
    g.ike_sa_failed = 2;
    g.auth_failures = 1;
    g.retransmits = 4;
    g.fragments_sent = 12;
    g.fragments_received = 3;
    g.dpd_sent = 30;
    g.dpd_timeouts = 1;
    g.cookies_sent = 6;
    g.half_open = 0;
    g.active_sessions = 1;
    g.invalid_packets = 9;
    g.malformed_requests = 2;
    g.half_open_refused = 11;
    g.half_open_evicted = 3;
    g.fragments_dropped = 5;
    g.create_child_rate_limited = 1;
    g.informational_rate_limited = 7;
    g.lifetime_expired = 8;
    g.handler_errors = 0;
    g.work_budget_drops = 40;
    g.started_at = kNow - 3723;  // up 1h:02m:03s
    return g;
}

}  // namespace seed
