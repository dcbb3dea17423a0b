#include "app/gateway_control.hpp"

#include <cstdio>

#include "util/log.hpp"

namespace ikev2d::app {
namespace {

std::string spi_hex(std::uint64_t spi) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llX", static_cast<unsigned long long>(spi));
    return buf;
}

std::string endpoint_text(const Endpoint& e) { return e.addr.to_string() + "/" + std::to_string(e.port); }

std::string dh_number(iana::DhGroup g) { return std::to_string(static_cast<unsigned>(g)); }

}  // namespace

GatewayControl::GatewayControl(ike::Gateway& gateway, ReloadFn reload, std::uint64_t started_unix,
                               std::function<std::uint64_t()> now_unix)
    : gateway_(gateway), reload_(std::move(reload)), started_unix_(started_unix), now_unix_(std::move(now_unix)) {}

control::ChildSaStatus GatewayControl::child_status(const ike::IkeSa& sa, const ike::ChildSa& child) {
    control::ChildSaStatus c;
    c.unique_id = child.unique_id;
    c.state = child.installed ? "INSTALLED" : "DELETED";
    c.local_ts = child.local_ts.empty() ? "" : child.local_ts.front().to_prefix().to_string();
    // The ASA shows one selector pair per Child SA: the first (a dual-stack child's
    // IPv6 pair is in the policies; `ikectl show sa` lists the IPv6 address).
    const ike::TsRange remote = child.remote_ts.empty() ? ike::TsRange{} : child.remote_ts.front();
    c.remote_ts = child.remote_ts.empty() ? "" : remote.to_prefix().to_string();
    if (!child.local_ts.empty()) {
        c.local_port_start = child.local_ts.front().start_port;
        c.local_port_end = child.local_ts.front().end_port;
    }
    c.remote_port_start = remote.start_port;
    c.remote_port_end = remote.end_port;
    c.ip_protocol = remote.ip_protocol;
    c.spi_in = child.spi_in;
    c.spi_out = child.spi_out;
    c.encryption = iana::name(child.encr);
    c.key_bits = child.encr_key_bits;
    c.integrity = child.integ == iana::IntegId::NONE ? "" : iana::name(child.integ);
    c.esn = child.esn;
    c.udp_encap = child.udp_encap;
    c.lifetime_s = child.lifetime_s;
    c.lifetime_kbytes = child.lifetime_kbytes;
    c.installed_at = child.installed_unix;
    std::uint64_t now = now_unix_();
    std::uint64_t age = now > child.installed_unix ? now - child.installed_unix : 0;
    c.rekey_left_s = age < child.lifetime_s ? static_cast<std::uint32_t>(child.lifetime_s - age) : 0;
    if (child.installed) {
        try {
            auto in = gateway_.kernel().query_sa(sa.local.addr, child.spi_in);
            c.bytes_in = in.bytes;
            c.packets_in = in.packets;
            c.replay_errors = in.replay_errors;
            c.integrity_errors = in.integrity_errors;
            c.replay_window = 32;
            auto out = gateway_.kernel().query_sa(sa.remote.addr, child.spi_out);
            c.bytes_out = out.bytes;
            c.packets_out = out.packets;
        } catch (const std::exception& e) {
            LOG_INFO(Platform, "counters of child %u: %s", child.unique_id, e.what());
        }
    }
    return c;
}

control::IkeSaStatus GatewayControl::ike_sa_status(const ike::IkeSa& sa) {
    control::IkeSaStatus s;
    s.tunnel_id = sa.unique_id;
    s.session_id = sa.unique_id;
    s.local = endpoint_text(sa.local);
    s.remote = endpoint_text(sa.remote);
    s.status = ike::state_name(sa.state);
    s.encryption = iana::name(sa.algs.encr);
    s.key_bits = sa.algs.encr_key_bits;
    s.integrity = sa.algs.integ == iana::IntegId::NONE ? "" : iana::name(sa.algs.integ);
    s.prf = iana::name(sa.algs.prf);
    s.dh_group = dh_number(sa.algs.dh);
    s.auth_sign = sa.auth_sign;
    s.auth_verify = sa.auth_verify;
    s.lifetime_s = sa.lifetime_s;
    s.established_at = sa.established_unix;
    s.local_spi = spi_hex(sa.spi_r);
    s.remote_spi = spi_hex(sa.spi_i);
    s.local_id = sa.own_id;
    s.remote_id = sa.peer_id;
    s.eap_identity = sa.peer_auth == ike::PeerAuth::Eap ? sa.username : "";
    s.local_next_msgid = sa.next_own_request_id;
    s.remote_next_msgid = sa.next_peer_request_id;
    s.nat_detected_local = sa.nat_local;
    s.nat_detected_remote = sa.nat_remote;
    s.dpd_interval_s = gateway_.config().dpd.interval_s;
    s.dpd_retries = gateway_.config().dpd.retries;
    s.assigned_address = sa.assigned_address ? sa.assigned_address->to_string() : "";
    s.assigned_address6 = sa.assigned_address6 ? sa.assigned_address6->to_string() : "";
    for (const auto& child : sa.children) s.children.push_back(child_status(sa, child));
    return s;
}

std::vector<control::IkeSaStatus> GatewayControl::ike_sas() {
    std::vector<control::IkeSaStatus> out;
    for (const auto& [spi, sa] : gateway_.sas())
        if (sa->state != ike::IkeSaState::Dead && !sa->rekeyed_to) out.push_back(ike_sa_status(*sa));
    return out;
}

control::SessionStatus GatewayControl::session_of(const ike::IkeSa& sa) {
    control::SessionStatus s;
    s.index = sa.unique_id;
    s.tunnel_id = sa.unique_id;
    s.username = sa.username;
    s.group = sa.group;
    s.assigned_ip = sa.assigned_address ? sa.assigned_address->to_string() : "";
    s.assigned_ip6 = sa.assigned_address6 ? sa.assigned_address6->to_string() : "";
    s.public_ip = sa.remote.addr.to_string();
    s.public_port = sa.remote.port;
    s.protocol = (sa.nat_local || sa.nat_remote) ? "IKEv2 IPsecOverNatT" : "IKEv2 IPsec";
    s.encryption = iana::name(sa.algs.encr) + "-" + std::to_string(sa.algs.encr_key_bits);
    s.hashing = sa.algs.integ == iana::IntegId::NONE ? iana::name(sa.algs.prf) : iana::name(sa.algs.integ);
    s.login_time = sa.established_unix;
    std::uint64_t now = now_unix_();
    s.duration_s = now > sa.established_unix ? now - sa.established_unix : 0;
    s.client_type = sa.peer_is_anyconnect ? "AnyConnect" : "IKEv2";
    s.client_version = sa.client_version;
    // The ASA's words ("Rem Auth Mode" in show vpn-sessiondb detail).
    s.auth_mode = sa.auth_verify == "EAP" ? "userPassword" : sa.auth_verify == "PSK" ? "preSharedKeys" : "rsaCertificate";
    for (const auto& child : sa.children) {
        if (!child.installed) continue;
        try {
            auto in = gateway_.kernel().query_sa(sa.local.addr, child.spi_in);
            auto out = gateway_.kernel().query_sa(sa.remote.addr, child.spi_out);
            s.bytes_rx += in.bytes;
            s.packets_rx += in.packets;
            s.bytes_tx += out.bytes;
            s.packets_tx += out.packets;
            std::uint64_t last_use = std::max(in.use_time, out.use_time);
            if (last_use != 0) s.inactivity_s = now > last_use ? now - last_use : 0;
        } catch (const std::exception&) {
        }
    }
    return s;
}

std::vector<control::SessionStatus> GatewayControl::sessions() {
    std::vector<control::SessionStatus> out;
    for (const auto& [spi, sa] : gateway_.sas())
        if (sa->state == ike::IkeSaState::Established && !sa->rekeyed_to) out.push_back(session_of(*sa));
    return out;
}

control::GlobalStats GatewayControl::stats() {
    const ike::Counters& c = gateway_.counters();
    control::GlobalStats g;
    g.ike_sa_created = c.ike_sa_created;
    g.ike_sa_established = c.ike_sa_established;
    g.ike_sa_failed = c.ike_sa_failed;
    g.auth_failures = c.auth_failures;
    g.retransmits = c.retransmits;
    g.fragments_sent = c.fragments_sent;
    g.fragments_received = c.fragments_received;
    g.dpd_sent = c.dpd_sent;
    g.dpd_timeouts = c.dpd_timeouts;
    g.cookies_sent = c.cookies_sent;
    g.invalid_packets = c.invalid_packets;
    g.malformed_requests = c.malformed_requests;
    g.half_open_refused = c.half_open_refused;
    g.half_open_evicted = c.half_open_evicted;
    g.fragments_dropped = c.fragments_dropped;
    g.create_child_rate_limited = c.create_child_rate_limited;
    g.informational_rate_limited = c.informational_rate_limited;
    g.lifetime_expired = c.lifetime_expired;
    g.handler_errors = c.handler_errors;
    g.work_budget_drops = c.work_budget_drops;
    g.half_open = gateway_.half_open();
    for (const auto& [spi, sa] : gateway_.sas())
        if (sa->state == ike::IkeSaState::Established && !sa->rekeyed_to) ++g.active_sessions;
    g.started_at = started_unix_;
    return g;
}

std::vector<control::PoolStatus> GatewayControl::pools() {
    std::vector<control::PoolStatus> out;
    for (const auto& [name, pool] : gateway_.pools()) {
        control::PoolStatus p;
        p.name = name;
        p.first = pool.config().first.to_string();
        p.last = pool.config().last.to_string();
        p.size = pool.size();
        p.leased = pool.used();
        out.push_back(std::move(p));
    }
    return out;
}

std::uint32_t GatewayControl::disconnect_session(std::uint32_t index_or_tunnel_id) {
    return gateway_.disconnect(index_or_tunnel_id, "administrator disconnect");
}

std::uint32_t GatewayControl::disconnect_user(const std::string& username) {
    return gateway_.disconnect_user(username, "administrator disconnect");
}

std::string GatewayControl::redirect_session(std::uint32_t index_or_tunnel_id, const std::string& gateway) {
    return gateway_.redirect(index_or_tunnel_id, gateway);
}

std::string GatewayControl::reload() { return reload_(); }

bool GatewayControl::set_debug(const std::string& category, int level) {
    log::Category c;
    if (!log::parse_category(category, c) || level < 0 || level > 255) return false;
    log::set_level(c, level);
    LOG_ANNOUNCE(Platform, "debug level of %s set to %d", category.c_str(), level);
    return true;
}

}  // namespace ikev2d::app
