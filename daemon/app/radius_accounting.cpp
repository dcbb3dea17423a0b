#include "app/radius_accounting.hpp"

#include <cinttypes>
#include <cstdio>

#include "util/log.hpp"

namespace ikev2d::app {

std::uint32_t terminate_cause_for(const std::string& reason) {
    // RFC 2866 5.10 values. The reasons are the gateway's own texts (ike/), matched by
    // their fixed beginnings.
    struct Rule {
        const char* prefix;
        std::uint32_t cause;
    };
    static constexpr Rule kRules[] = {
        {"peer deleted", 1},                   // User-Request: the client closed it
        {"peer dead", 2},                      // Lost-Carrier: DPD
        {"idle", 4},                           // Idle-Timeout
        {"session time", 5},                   // Session-Timeout
        {"IKE SA lifetime expired", 5},        // Session-Timeout
        {"RADIUS Disconnect-Request", 6},      // Admin-Reset
        {"administrator disconnect", 6},       // Admin-Reset (ikectl disconnect)
        {"user removed by reload", 10},        // NAS-Request
        {"replaced by a new IKE SA", 10},      // NAS-Request (INITIAL_CONTACT)
        {"gateway shutting down", 11},         // NAS-Reboot
        {"internal error", 9},                 // NAS-Error
    };
    for (const Rule& r : kRules)
        if (reason.rfind(r.prefix, 0) == 0) return r.cause;
    return 3;  // Lost-Service
}

RadiusAccounting::RadiusAccounting(std::shared_ptr<aaa::RadiusClient> client, util::Executor& io, unsigned interim_s,
                                   std::uint64_t boot_unix)
    : client_(std::move(client)), io_(io), interim_s_(interim_s), boot_unix_(boot_unix) {}

std::string RadiusAccounting::session_id(std::uint64_t boot_unix, std::uint32_t unique_id) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08" PRIx64 "-%08" PRIx32, boot_unix, unique_id);
    return buf;
}

void RadiusAccounting::session_up(const control::SessionStatus& s, std::uint64_t now_unix) {
    tracked_[s.index] = Tracked{interim_s_ ? now_unix + interim_s_ : 0};
    send(aaa::AcctStatus::Start, s, std::nullopt);
}

void RadiusAccounting::session_down(const control::SessionStatus& s, const std::string& reason) {
    if (tracked_.erase(s.index) == 0) return;
    send(aaa::AcctStatus::Stop, s, terminate_cause_for(reason));
}

void RadiusAccounting::send(aaa::AcctStatus status, const control::SessionStatus& s, std::optional<std::uint32_t> cause) {
    auto request = std::make_shared<aaa::AccountingRequest>();
    request->status = status;
    request->session_id = session_id(s.index);
    request->user_name = s.username;
    if (auto ip = IpAddress::parse(s.assigned_ip)) request->framed_ip = *ip;
    request->calling_station_id = s.public_ip;
    request->nas_port = s.index;
    request->input_octets = s.bytes_rx;
    request->output_octets = s.bytes_tx;
    request->input_packets = static_cast<std::uint32_t>(s.packets_rx);
    request->output_packets = static_cast<std::uint32_t>(s.packets_tx);
    request->session_time_s = static_cast<std::uint32_t>(s.duration_s);
    request->terminate_cause = cause;
    auto outcome = std::make_shared<std::pair<bool, std::string>>(false, "");
    ++in_flight_;
    io_.post([client = client_, request, outcome] { outcome->first = client->account(*request, outcome->second); },
             [this, request, outcome] {
                 --in_flight_;
                 const char* kind = request->status == aaa::AcctStatus::Start  ? "Start"
                                    : request->status == aaa::AcctStatus::Stop ? "Stop"
                                                                               : "Interim-Update";
                 if (outcome->first) {
                     LOG_INFO(Platform, "(%u): RADIUS accounting %s sent (session %s)", request->nas_port, kind,
                              request->session_id.c_str());
                 } else {
                     ++failures_;
                     LOG_ERR(Platform, "(%u): RADIUS accounting %s not acknowledged: %s", request->nas_port, kind,
                             outcome->second.c_str());
                 }
             });
}

}  // namespace ikev2d::app
