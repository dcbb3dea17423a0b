#include "ikectl/text_format.hpp"

#include <cctype>
#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <map>

#include "util/ip_address.hpp"

namespace ikev2d::ikectl {

using namespace ikev2d::control;

namespace {

void appendf(std::string& out, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void appendf(std::string& out, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    va_list copy;
    va_copy(copy, ap);
    const int n = std::vsnprintf(nullptr, 0, fmt, copy);
    va_end(copy);
    if (n > 0) {
        const size_t old = out.size();
        out.resize(old + static_cast<size_t>(n) + 1);
        std::vsnprintf(out.data() + old, static_cast<size_t>(n) + 1, fmt, ap);
        out.resize(old + static_cast<size_t>(n));
    }
    va_end(ap);
}

using ULL = unsigned long long;

uint64_t elapsed(uint64_t since, uint64_t now) { return since != 0 && now > since ? now - since : 0; }

std::string lower(std::string s) {
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// "192.168.1.1/25171" -> "192.168.1.1"; "ip/port" is how the model writes endpoints.
std::string endpoint_ip(const std::string& ep) {
    const auto slash = ep.rfind('/');
    return slash == std::string::npos ? ep : ep.substr(0, slash);
}

std::string endpoint_port(const std::string& ep) {
    const auto slash = ep.rfind('/');
    return slash == std::string::npos ? std::string() : ep.substr(slash + 1);
}

std::string username_of(const IkeSaStatus& sa) { return sa.eap_identity.empty() ? sa.remote_id : sa.eap_identity; }

// The ASA's session status column.
std::string session_status(const std::string& ike_status) {
    if (ike_status == "READY")
        return "UP-ACTIVE";
    if (ike_status == "IN-NEG")
        return "DOWN-NEGOTIATING";
    if (ike_status == "DELETING")
        return "DOWN-DELETING";
    return ike_status;
}

std::string status_description(const std::string& ike_status) {
    if (ike_status == "READY")
        return "Negotiation done";
    if (ike_status == "IN-NEG")
        return "Negotiation in progress";
    if (ike_status == "DELETING")
        return "Deleting";
    return ike_status;
}

// The ASA's short cipher names in the session views: AES-CBC/192 -> AES192.
std::string short_cipher(const std::string& encryption, uint16_t key_bits) {
    if (encryption.empty())
        return "none";
    std::string base = encryption == "AES-CBC" ? "AES" : encryption;
    if (key_bits == 0)
        return base;
    return encryption == "AES-CBC" ? base + std::to_string(key_bits) : base + "-" + std::to_string(key_bits);
}

// The ASA's hash names in the session views: the HMAC's hash, not its truncation.
// AEAD ciphers have no separate integrity algorithm: "" or iana::name(IntegId::NONE).
bool no_integrity(const std::string& integrity) { return integrity.empty() || integrity == "NONE"; }


std::string hash_name(const std::string& integrity) {
    if (no_integrity(integrity))
        return "none";
    if (integrity == "SHA96")
        return "SHA1";
    if (integrity == "MD596")
        return "MD5";
    return integrity;
}

// The ASA's authentication mode names.
std::string auth_mode(const std::string& method) {
    if (method == "EAP")
        return "userPassword";
    if (method == "PSK")
        return "preSharedKeys";
    if (method == "RSA")
        return "rsaCertificate";
    if (method == "ECDSA")
        return "ecdsaCertificate";
    return method.empty() ? "none" : method;
}

std::string yes_no(bool b) { return b ? "Y" : "N"; }

void pair_line(std::string& out, const char* indent, const char* l, const std::string& lv, const char* r,
               const std::string& rv) {
    appendf(out, "%s%-13s: %-22s %-13s: %s\n", indent, l, lv.c_str(), r, rv.c_str());
}

void single_line(std::string& out, const char* indent, const char* l, const std::string& v) {
    appendf(out, "%s%-13s: %s\n", indent, l, v.c_str());
}

void format_child_brief(std::string& out, const ChildSaStatus& c, bool detail) {
    appendf(out, "Child sa: local selector  %s\n",
            format_selector_range(c.local_ts, c.local_port_start, c.local_port_end).c_str());
    appendf(out, "          remote selector %s\n",
            format_selector_range(c.remote_ts, c.remote_port_start, c.remote_port_end).c_str());
    appendf(out, "          ESP spi in/out: 0x%08x/0x%08x\n", c.spi_in, c.spi_out);
    if (!detail)
        return;
    appendf(out, "          Encr: %s, keysize: %u, esp_hmac: %s\n", c.encryption.c_str(), c.key_bits,
            no_integrity(c.integrity) ? "None" : c.integrity.c_str());
    appendf(out, "          ah_hmac: None, comp: IPCOMP_NONE, mode %s\n", c.mode.c_str());
    appendf(out, "          State: %s, ESN: %s, UDP encap: %s, replay window: %u\n", c.state.c_str(),
            yes_no(c.esn).c_str(), yes_no(c.udp_encap).c_str(), c.replay_window);
}

void format_ike_detail(std::string& out, const IkeSaStatus& sa) {
    appendf(out, "      Session-id: %u\n", sa.session_id);
    appendf(out, "      Status Description: %s\n", status_description(sa.status).c_str());
    appendf(out, "      Local spi: %s       Remote spi: %s\n", sa.local_spi.c_str(), sa.remote_spi.c_str());
    appendf(out, "      Local id: %s\n", sa.local_id.c_str());
    appendf(out, "      Remote id: %s\n", sa.remote_id.c_str());
    if (!sa.eap_identity.empty())
        appendf(out, "      Remote EAP id: %s\n", sa.eap_identity.c_str());
    appendf(out, "      Local next mess id: %u  Remote next mess id: %u\n", sa.local_next_msgid,
            sa.remote_next_msgid);
    appendf(out, "      Local window: %u\n", sa.window);
    if (sa.dpd_interval_s != 0)
        appendf(out, "      DPD configured for %u seconds, retry %u\n", sa.dpd_interval_s, sa.dpd_retries);
    else
        appendf(out, "      DPD disabled\n");
    if (sa.nat_detected_local && sa.nat_detected_remote)
        appendf(out, "      NAT-T is detected inside and outside\n");
    else if (sa.nat_detected_local)
        appendf(out, "      NAT-T is detected inside\n");
    else if (sa.nat_detected_remote)
        appendf(out, "      NAT-T is detected outside\n");
    else
        appendf(out, "      NAT-T is not detected\n");
    if (!sa.assigned_address.empty())
        appendf(out, "      Assigned host addr: %s\n", sa.assigned_address.c_str());
    if (!sa.assigned_address6.empty())
        appendf(out, "      Assigned IPv6 host addr: %s\n", sa.assigned_address6.c_str());
}

void format_esp_sa(std::string& out, const char* direction, uint32_t spi, const ChildSaStatus& c) {
    appendf(out, "    %s esp sas:\n", direction);
    appendf(out, "      spi: 0x%08X (%u)\n", spi, spi);
    appendf(out, "         transform: %s no compression\n",
            esp_transform_name(c.encryption, c.key_bits, c.integrity).c_str());
    std::string mode = c.mode;
    if (!mode.empty())
        mode[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(mode[0])));
    appendf(out, "         in use settings ={RA, %s, %s%s}\n", mode.c_str(), c.udp_encap ? "NAT-T-Encaps, " : "",
            c.esn ? "ESN, " : "");
    appendf(out, "         sa timing: remaining key lifetime (sec): %u\n", c.rekey_left_s);
    appendf(out, "         replay detection support: %s\n", yes_no(c.replay_window != 0).c_str());
    if (c.replay_window != 0)
        appendf(out, "         replay window size: %u\n", c.replay_window);
}

}  // namespace

std::string format_duration(uint64_t s) {
    std::string out;
    appendf(out, "%lluh:%02llum:%02llus", static_cast<ULL>(s / 3600), static_cast<ULL>(s / 60 % 60),
            static_cast<ULL>(s % 60));
    return out;
}

std::string format_utc_time(uint64_t unix_time) {
    const time_t t = static_cast<time_t>(unix_time);
    struct tm tm {};
    if (gmtime_r(&t, &tm) == nullptr)
        return std::to_string(unix_time);
    // Fixed C-locale names so that the output does not depend on LC_TIME.
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::string out;
    appendf(out, "%02d:%02d:%02d UTC %s %s %d %d", tm.tm_hour, tm.tm_min, tm.tm_sec, kDays[tm.tm_wday % 7],
            kMonths[tm.tm_mon % 12], tm.tm_mday, tm.tm_year + 1900);
    return out;
}

std::string format_selector_range(const std::string& prefix, uint16_t port_start, uint16_t port_end) {
    std::string out;
    if (auto p = IpPrefix::parse(prefix)) {
        appendf(out, "%s/%u - %s/%u", p->addr.to_string().c_str(), port_start, p->last().to_string().c_str(),
                port_end);
    } else {
        appendf(out, "%s/%u - %s/%u", prefix.c_str(), port_start, prefix.c_str(), port_end);
    }
    return out;
}

std::string format_ident(const std::string& prefix, uint8_t protocol, uint16_t port_start, uint16_t port_end) {
    // The ASA prints port 0 for "any port"; a single port as itself.
    std::string port;
    if (port_start == 0 && port_end == 65535)
        port = "0";
    else if (port_start == port_end)
        port = std::to_string(port_start);
    else
        port = std::to_string(port_start) + "-" + std::to_string(port_end);
    std::string addr;
    if (auto p = IpPrefix::parse(prefix)) {
        addr = p->addr.to_string() + "/" +
               (p->addr.is_v4() ? p->netmask().to_string() : std::to_string(static_cast<unsigned>(p->length)));
    } else {
        addr = prefix;
    }
    return addr + "/" + std::to_string(protocol) + "/" + port;
}

std::string esp_transform_name(const std::string& encryption, uint16_t key_bits, const std::string& integrity) {
    std::string enc;
    if (encryption == "AES-CBC")
        enc = "esp-aes";
    else if (encryption.rfind("AES-GCM", 0) == 0)
        enc = "esp-aes-gcm";
    else
        enc = "esp-" + lower(encryption);
    if (key_bits != 0)
        enc += "-" + std::to_string(key_bits);
    std::string integ;
    if (no_integrity(integrity))
        integ = "esp-null-hmac";
    else if (integrity == "SHA96")
        integ = "esp-sha-hmac";
    else if (integrity == "MD596")
        integ = "esp-md5-hmac";
    else if (integrity.rfind("SHA", 0) == 0 && integrity.size() > 3 && std::isdigit(static_cast<unsigned char>(integrity[3])))
        integ = "esp-sha-" + integrity.substr(3, integrity.find_first_not_of("0123456789", 3) - 3) + "-hmac";  // SHA256-128 -> esp-sha-256-hmac
    else
        integ = "esp-" + lower(integrity) + "-hmac";
    return enc + " " + integ;
}

std::string format_ike_sas(const std::vector<IkeSaStatus>& sas, bool detail, uint64_t now) {
    std::string out = "IKEv2 SAs:\n";
    // Group by session, in order of first appearance (the ASA prints one block per session).
    std::vector<uint32_t> order;
    std::map<uint32_t, std::vector<const IkeSaStatus*>> by_session;
    for (const auto& sa : sas) {
        auto& v = by_session[sa.session_id];
        if (v.empty())
            order.push_back(sa.session_id);
        v.push_back(&sa);
    }
    for (uint32_t sid : order) {
        const auto& group = by_session[sid];
        size_t children = 0;
        // The session is as up as its least established IKE SA.
        std::string status = "READY";
        for (const auto* sa : group) {
            children += sa->children.size();
            if (sa->status != "READY" && status == "READY")
                status = sa->status;
        }
        appendf(out, "\nSession-id:%u, Status:%s, IKE count:%zu, CHILD count:%zu\n\n", sid,
                session_status(status).c_str(), group.size(), children);
        appendf(out, "%-10s %-25s %-25s %-9s %s\n", "Tunnel-id", "Local", "Remote", "Status", "Role");
        for (const auto* sa : group) {
            appendf(out, "%-10u %-25s %-25s %-9s %s\n", sa->tunnel_id, sa->local.c_str(), sa->remote.c_str(),
                    sa->status.c_str(), sa->role.c_str());
            appendf(out, "      Encr: %s, keysize: %u, Hash: %s, DH Grp:%s, Auth sign: %s, Auth verify: %s\n",
                    sa->encryption.c_str(), sa->key_bits, no_integrity(sa->integrity) ? "None" : sa->integrity.c_str(),
                    sa->dh_group.c_str(), sa->auth_sign.c_str(), sa->auth_verify.c_str());
            appendf(out, "      Life/Active Time: %u/%llu sec\n", sa->lifetime_s,
                    static_cast<ULL>(elapsed(sa->established_at, now)));
            if (detail)
                format_ike_detail(out, *sa);
            for (const auto& c : sa->children)
                format_child_brief(out, c, detail);
        }
    }
    if (sas.empty())
        out += "\nThere are no IKEv2 SAs\n";
    return out;
}

std::string format_ipsec_sas(const std::vector<IkeSaStatus>& sas, uint64_t /*now*/) {
    std::string out;
    bool any = false;
    for (const auto& sa : sas) {
        for (const auto& c : sa.children) {
            any = true;
            appendf(out, "Tunnel-id: %u, Child SA: %u, local addr: %s\n\n", sa.tunnel_id, c.unique_id,
                    endpoint_ip(sa.local).c_str());
            appendf(out, "      local ident (addr/mask/prot/port): (%s)\n",
                    format_ident(c.local_ts, c.ip_protocol, c.local_port_start, c.local_port_end).c_str());
            appendf(out, "      remote ident (addr/mask/prot/port): (%s)\n",
                    format_ident(c.remote_ts, c.ip_protocol, c.remote_port_start, c.remote_port_end).c_str());
            appendf(out, "      current_peer: %s, username: %s\n", endpoint_ip(sa.remote).c_str(),
                    username_of(sa).c_str());
            if (!sa.assigned_address.empty())
                appendf(out, "      dynamic allocated peer ip: %s\n", sa.assigned_address.c_str());
            if (!sa.assigned_address6.empty())
                appendf(out, "      dynamic allocated peer ipv6: %s\n", sa.assigned_address6.c_str());
            out += "\n";
            appendf(out, "      #pkts encaps: %llu, #pkts encrypt: %llu, #pkts digest: %llu\n",
                    static_cast<ULL>(c.packets_out), static_cast<ULL>(c.packets_out), static_cast<ULL>(c.packets_out));
            appendf(out, "      #pkts decaps: %llu, #pkts decrypt: %llu, #pkts verify: %llu\n",
                    static_cast<ULL>(c.packets_in), static_cast<ULL>(c.packets_in), static_cast<ULL>(c.packets_in));
            appendf(out, "      #bytes encaps: %llu, #bytes decaps: %llu\n", static_cast<ULL>(c.bytes_out),
                    static_cast<ULL>(c.bytes_in));
            appendf(out, "      #recv errors: %llu, #replay failures: %llu, #integrity failures: %llu\n",
                    static_cast<ULL>(c.replay_errors + c.integrity_errors), static_cast<ULL>(c.replay_errors),
                    static_cast<ULL>(c.integrity_errors));
            out += "\n";
            appendf(out, "      local crypto endpt.: %s, remote crypto endpt.: %s\n", sa.local.c_str(),
                    sa.remote.c_str());
            appendf(out, "      current outbound spi: %08X\n", c.spi_out);
            appendf(out, "      current inbound spi : %08X\n\n", c.spi_in);
            format_esp_sa(out, "inbound", c.spi_in, c);
            format_esp_sa(out, "outbound", c.spi_out, c);
            out += "\n";
        }
    }
    if (!any)
        out += "There are no ipsec sas\n";
    return out;
}

std::string format_sessions(const std::vector<SessionStatus>& sessions, const std::vector<IkeSaStatus>& sas,
                            bool detail, uint64_t now) {
    std::string out = "Session Type: IKEv2 Remote Access";
    out += detail ? " Detailed\n" : "\n";
    for (const auto& s : sessions) {
        out += "\n";
        pair_line(out, "", "Username", s.username, "Index", std::to_string(s.index));
        pair_line(out, "", "Assigned IP", s.assigned_ip, "Public IP", s.public_ip);
        if (!s.assigned_ip6.empty()) single_line(out, "", "Assigned IPv6", s.assigned_ip6);
        single_line(out, "", "Protocol", s.protocol);
        pair_line(out, "", "Encryption", s.encryption, "Hashing", s.hashing);
        pair_line(out, "", "Bytes Tx", std::to_string(s.bytes_tx), "Bytes Rx", std::to_string(s.bytes_rx));
        if (detail)
            pair_line(out, "", "Pkts Tx", std::to_string(s.packets_tx), "Pkts Rx", std::to_string(s.packets_rx));
        single_line(out, "", "Group Policy", s.group);
        single_line(out, "", "Login Time", format_utc_time(s.login_time));
        single_line(out, "", "Duration", format_duration(s.duration_s));
        single_line(out, "", "Inactivity", format_duration(s.inactivity_s));
        if (!detail)
            continue;
        single_line(out, "", "Client Type", s.client_type);
        single_line(out, "", "Client Ver", s.client_version);
        single_line(out, "", "Auth Mode", s.auth_mode);

        const IkeSaStatus* sa = nullptr;
        for (const auto& candidate : sas)
            if (candidate.tunnel_id == s.tunnel_id)
                sa = &candidate;
        if (sa == nullptr) {
            appendf(out, "IKEv2 Tunnels: 0\n");
            continue;
        }
        size_t natt = 0;
        for (const auto& c : sa->children)
            natt += c.udp_encap ? 1 : 0;
        appendf(out, "IKEv2 Tunnels: 1\n");
        if (natt != 0)
            appendf(out, "IPsecOverNatT Tunnels: %zu\n", natt);
        if (sa->children.size() > natt)
            appendf(out, "IPsec Tunnels: %zu\n", sa->children.size() - natt);

        out += "\nIKEv2:\n";
        const char* in = "  ";
        single_line(out, in, "Tunnel ID", std::to_string(sa->tunnel_id));
        pair_line(out, in, "UDP Src Port", endpoint_port(sa->remote), "UDP Dst Port", endpoint_port(sa->local));
        single_line(out, in, "Rem Auth Mode", auth_mode(sa->auth_verify));
        single_line(out, in, "Loc Auth Mode", auth_mode(sa->auth_sign));
        pair_line(out, in, "Encryption", short_cipher(sa->encryption, sa->key_bits), "Hashing",
                  hash_name(sa->integrity));
        const uint64_t ike_age = elapsed(sa->established_at, now);
        const uint64_t ike_left = sa->lifetime_s > ike_age ? sa->lifetime_s - ike_age : 0;
        pair_line(out, in, "Rekey Int (T)", std::to_string(sa->lifetime_s) + " Seconds", "Rekey Left(T)",
                  std::to_string(ike_left) + " Seconds");
        pair_line(out, in, "PRF", sa->prf, "D/H Group", sa->dh_group);

        for (const auto& c : sa->children) {
            out += c.udp_encap ? "\nIPsecOverNatT:\n" : "\nIPsec:\n";
            single_line(out, in, "Tunnel ID", std::to_string(sa->tunnel_id) + "." + std::to_string(c.unique_id));
            single_line(out, in, "Local Addr",
                        format_ident(c.local_ts, c.ip_protocol, c.local_port_start, c.local_port_end));
            single_line(out, in, "Remote Addr",
                        format_ident(c.remote_ts, c.ip_protocol, c.remote_port_start, c.remote_port_end));
            pair_line(out, in, "Encryption", short_cipher(c.encryption, c.key_bits), "Hashing",
                      hash_name(c.integrity));
            std::string mode = c.mode;
            if (!mode.empty())
                mode[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(mode[0])));
            single_line(out, in, "Encapsulation", mode);
            pair_line(out, in, "Rekey Int (T)", std::to_string(c.lifetime_s) + " Seconds", "Rekey Left(T)",
                      std::to_string(c.rekey_left_s) + " Seconds");
            if (c.lifetime_kbytes != 0) {
                const uint64_t used_kb = (c.bytes_in + c.bytes_out) / 1024;
                const uint64_t left_kb = c.lifetime_kbytes > used_kb ? c.lifetime_kbytes - used_kb : 0;
                pair_line(out, in, "Rekey Int (D)", std::to_string(c.lifetime_kbytes) + " K-Bytes", "Rekey Left(D)",
                          std::to_string(left_kb) + " K-Bytes");
            }
            pair_line(out, in, "Bytes Tx", std::to_string(c.bytes_out), "Bytes Rx", std::to_string(c.bytes_in));
            pair_line(out, in, "Pkts Tx", std::to_string(c.packets_out), "Pkts Rx", std::to_string(c.packets_in));
        }
    }
    if (sessions.empty())
        out += "\nThere are no IKEv2 sessions\n";
    return out;
}

std::string format_stats(const GlobalStats& st, uint64_t now) {
    std::string out = "IKEv2 statistics:\n";
    auto line = [&](const char* label, uint64_t v) { appendf(out, "  %-26s: %llu\n", label, static_cast<ULL>(v)); };
    appendf(out, "  %-26s: %s (up %s)\n", "Started", format_utc_time(st.started_at).c_str(),
            format_duration(elapsed(st.started_at, now)).c_str());
    line("Active sessions", st.active_sessions);
    line("Half-open IKE SAs", st.half_open);
    line("IKE SAs created", st.ike_sa_created);
    line("IKE SAs established", st.ike_sa_established);
    line("IKE SAs failed", st.ike_sa_failed);
    line("Authentication failures", st.auth_failures);
    line("Retransmits", st.retransmits);
    line("Fragments sent", st.fragments_sent);
    line("Fragments received", st.fragments_received);
    line("DPD requests sent", st.dpd_sent);
    line("DPD timeouts", st.dpd_timeouts);
    line("Cookies sent", st.cookies_sent);
    line("Invalid packets", st.invalid_packets);
    line("Malformed requests", st.malformed_requests);
    line("Half-open refused", st.half_open_refused);
    line("Half-open evicted", st.half_open_evicted);
    line("Fragments dropped", st.fragments_dropped);
    line("CREATE_CHILD_SA limited", st.create_child_rate_limited);
    line("INFORMATIONAL limited", st.informational_rate_limited);
    line("Lifetimes expired", st.lifetime_expired);
    line("Handler errors", st.handler_errors);
    line("Work budget drops", st.work_budget_drops);
    return out;
}

}  // namespace ikev2d::ikectl
