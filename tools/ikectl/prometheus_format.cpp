#include "ikectl/prometheus_format.hpp"

#include <array>
#include <stdexcept>

#include "control/status_fields.hpp"

namespace ikev2d::ikectl {

using namespace ikev2d::control;

namespace {

struct Metric {
    std::string_view key;   // GetStats key
    std::string_view name;  // without the ikev2d_ prefix; counters get _total
    bool gauge;
    std::string_view help;
};

constexpr std::array<Metric, 23> kMetrics{{
    {"ike_sa_created", "ike_sa_created", false, "IKE SAs created (IKE_SA_INIT requests accepted)."},
    {"ike_sa_established", "ike_sa_established", false, "IKE SAs that completed authentication."},
    {"ike_sa_failed", "ike_sa_failed", false, "IKE SAs that failed before being established."},
    {"auth_failures", "auth_failures", false, "Failed peer authentications."},
    {"retransmits", "retransmits", false, "Requests retransmitted by the gateway."},
    {"fragments_sent", "fragments_sent", false, "IKE fragments sent (RFC 7383)."},
    {"fragments_received", "fragments_received", false, "IKE fragments received (RFC 7383)."},
    {"dpd_sent", "dpd_sent", false, "Dead peer detection probes sent."},
    {"dpd_timeouts", "dpd_timeouts", false, "Peers declared dead by dead peer detection."},
    {"cookies_sent", "cookies_sent", false, "COOKIE notifications sent against IKE_SA_INIT floods."},
    {"half_open", "half_open_ike_sas", true, "IKE SAs currently half-open (not yet authenticated)."},
    {"active_sessions", "active_sessions", true, "User sessions currently established."},
    {"invalid_packets", "invalid_packets", false, "Datagrams dropped as invalid."},
    {"malformed_requests", "malformed_requests", false, "Requests dropped as malformed."},
    {"half_open_refused", "half_open_refused", false, "IKE_SA_INIT requests refused by the half-open limit."},
    {"half_open_evicted", "half_open_evicted", false, "Half-open IKE SAs evicted to make room."},
    {"fragments_dropped", "fragments_dropped", false, "IKE fragments dropped."},
    {"create_child_rate_limited", "create_child_rate_limited", false, "CREATE_CHILD_SA requests refused by the rate limit."},
    {"informational_rate_limited", "informational_rate_limited", false, "INFORMATIONAL requests dropped by the rate limit."},
    {"lifetime_expired", "lifetime_expired", false, "IKE SAs closed at the end of their lifetime."},
    {"handler_errors", "handler_errors", false, "Requests whose handler failed with an internal error."},
    {"work_budget_drops", "work_budget_drops", false, "Datagrams dropped because their source used up its work budget."},
    {"started_at", "start_time_seconds", true, "Start time of the daemon since the Unix epoch in seconds."},
}};

const Metric* metric_of(std::string_view key) {
    for (const auto& m : kMetrics)
        if (m.key == key)
            return &m;
    return nullptr;
}

}  // namespace

std::string_view prometheus_help(std::string_view stats_key) {
    const Metric* m = metric_of(stats_key);
    return m ? m->help : std::string_view();
}

std::string format_prometheus(const GlobalStats& stats) {
    std::string out;
    for (const auto& f : stats_fields()) {
        const Metric* m = metric_of(f.key);
        if (m == nullptr)
            throw std::logic_error("no Prometheus metric for GetStats key " + std::string(f.key));
        const uint64_t value = std::visit(
            [&](auto member) -> uint64_t {
                using T = std::remove_cvref_t<decltype(stats.*member)>;
                if constexpr (std::is_same_v<T, std::string>)
                    return 0;
                else
                    return static_cast<uint64_t>(stats.*member);
            },
            f.member);
        const std::string name = "ikev2d_" + std::string(m->name) + (m->gauge ? "" : "_total");
        out += "# HELP " + name + " " + std::string(m->help) + "\n";
        out += "# TYPE " + name + (m->gauge ? " gauge\n" : " counter\n");
        out += name + " " + std::to_string(value) + "\n";
    }
    return out;
}

}  // namespace ikev2d::ikectl
