#include "app/radius_accounting.hpp"

#include <cinttypes>
#include <cstdio>

#include "ike/session_end.hpp"
#include "util/log.hpp"

namespace ikev2d::app {

RadiusAccounting::RadiusAccounting(std::shared_ptr<aaa::RadiusClient> client, util::Executor& io, unsigned interim_s,
                                   std::uint64_t boot_unix)
    : client_(std::move(client)), io_(io), interim_s_(interim_s), boot_unix_(boot_unix) {}

std::string RadiusAccounting::session_id(std::uint64_t boot_unix, std::uint32_t unique_id) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08" PRIx64 "-%08" PRIx32, boot_unix, unique_id);
    return buf;
}

void RadiusAccounting::session_up(const control::SessionStatus& s, std::vector<Bytes> classes, std::uint64_t now_unix) {
    Tracked& t = tracked_[s.index];
    t = Tracked{interim_s_ ? now_unix + interim_s_ : 0, std::move(classes)};
    send(aaa::AcctStatus::Start, s, std::nullopt, t.classes);
}

void RadiusAccounting::session_down(const control::SessionStatus& s, const std::string& reason) {
    auto it = tracked_.find(s.index);
    if (it == tracked_.end()) return;
    const std::vector<Bytes> classes = std::move(it->second.classes);
    tracked_.erase(it);
    send(aaa::AcctStatus::Stop, s, ike::acct_terminate_cause(ike::session_end_of(reason)), classes);
}

void RadiusAccounting::send(aaa::AcctStatus status, const control::SessionStatus& s, std::optional<std::uint32_t> cause,
                            const std::vector<Bytes>& classes) {
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
    request->classes = classes;
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
             },
             util::Executor::Lane::Long);
}

}  // namespace ikev2d::app
