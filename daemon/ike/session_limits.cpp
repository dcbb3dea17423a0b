// Session limits (issue 12): the maximum session time, the idle timeout measured on the
// kernel's ESP counters (both directions; IKE messages such as DPD do not count), and the
// per-user simultaneous-login limit. Set when a session comes up, from its group or the
// RADIUS server's Session-Timeout / Idle-Timeout; carried across IKE rekeys.
#include <algorithm>

#include "ike/gateway.hpp"
#include "ike/session_end.hpp"
#include "util/log.hpp"

namespace ikev2d::ike {
namespace {

// The counters are looked at four times per idle timeout (at least 5 s apart): traffic is
// seen at most that late, so an idle session goes between 1 and 1.25 idle timeouts after
// its last packet, with a handful of kernel queries per session and timeout. (The
// kernel's SA use_time is the first use, not the last: no help.)
std::uint64_t idle_look_period_ms(std::uint32_t idle_timeout_s) {
    return std::max<std::uint64_t>(idle_timeout_s * 1000ull / 4, 5000);
}

}  // namespace

void Gateway::start_session_limits(IkeSa& sa, std::optional<std::uint32_t> session_timeout_s,
                                   std::optional<std::uint32_t> idle_timeout_s) {
    const config::GroupConfig* group = ctx_.config->group(sa.group);
    const std::uint64_t now = clock_.now_ms();
    const std::uint32_t max_session = session_timeout_s.value_or(group ? group->max_session_s : 0);
    sa.limits.session_ends_ms = max_session ? now + max_session * 1000ull : 0;
    sa.limits.idle_timeout_s = idle_timeout_s.value_or(group ? group->idle_timeout_s : 0);
    sa.limits.last_traffic_ms = now;
    sa.limits.idle_check_ms = sa.limits.idle_timeout_s ? now + idle_look_period_ms(sa.limits.idle_timeout_s) : 0;
    sa.limits.esp_bytes_seen = 0;
}

std::uint32_t Gateway::change_session_limits(std::uint32_t unique_id, std::optional<std::uint32_t> session_timeout_s,
                                             std::optional<std::uint32_t> idle_timeout_s) {
    const std::uint64_t now = clock_.now_ms();
    std::uint32_t n = 0;
    for (auto& [spi, sa] : sas_) {
        if (sa->unique_id != unique_id || sa->rekeyed_to || sa->state != IkeSaState::Established) continue;
        SessionLimits& l = sa->limits;
        if (session_timeout_s) l.session_ends_ms = *session_timeout_s ? now + *session_timeout_s * 1000ull : 0;
        if (idle_timeout_s) {
            l.idle_timeout_s = *idle_timeout_s;
            l.last_traffic_ms = now;  // the new timeout runs from the change, not from before it
            l.idle_check_ms = l.idle_timeout_s ? now + idle_look_period_ms(l.idle_timeout_s) : 0;
        }
        rearm(*sa);
        ++n;
    }
    return n;
}

std::uint64_t Gateway::session_limits_due(const IkeSa& sa) const {
    std::uint64_t due = SaDeadlines::kNone;
    if (sa.limits.session_ends_ms) due = std::min(due, sa.limits.session_ends_ms);
    if (sa.limits.idle_timeout_s) due = std::min(due, sa.limits.idle_check_ms);
    return due;
}

bool Gateway::check_session_limits(IkeSa& sa, std::uint64_t now) {
    SessionLimits& l = sa.limits;
    if (l.session_ends_ms && now >= l.session_ends_ms) {
        close_sa(sa, std::string(kSessionTimeoutReason) + ": the maximum session time is over", true);
        return true;
    }
    if (!l.idle_timeout_s || now < l.idle_check_ms) return false;
    std::uint64_t bytes = 0;
    for (const auto& child : sa.children) {
        if (!child.installed) continue;
        try {
            bytes += ctx_.kernel->query_sa(sa.local.addr, child.spi_in).bytes;
            bytes += ctx_.kernel->query_sa(sa.remote.addr, child.spi_out).bytes;
        } catch (const std::exception&) {
            // A counter we cannot read proves nothing either way: look again later.
        }
    }
    if (bytes != l.esp_bytes_seen) {
        l.esp_bytes_seen = bytes;
        l.last_traffic_ms = now;
    }
    const std::uint64_t idle_ms = l.idle_timeout_s * 1000ull;
    if (now >= l.last_traffic_ms + idle_ms) {
        close_sa(sa, std::string(kIdleTimeoutReason) + ": no traffic for " + std::to_string(l.idle_timeout_s) + " s",
                 true);
        return true;
    }
    l.idle_check_ms = std::min(l.last_traffic_ms + idle_ms, now + idle_look_period_ms(l.idle_timeout_s));
    return false;
}

void Gateway::enforce_simultaneous_logins(const IkeSa& fresh) {
    const config::GroupConfig* group = ctx_.config->group(fresh.group);
    if (!group || group->simultaneous_logins == 0 || fresh.username.empty()) return;
    // The user's other live sessions, oldest first; the ones over the limit go (as the ASA does).
    std::vector<IkeSa*> others;
    for (auto& [spi, sa] : sas_)
        if (sa.get() != &fresh && sa->state == IkeSaState::Established && !sa->rekeyed_to &&
            sa->username == fresh.username && sa->group == fresh.group)
            others.push_back(sa.get());
    if (others.size() < group->simultaneous_logins) return;
    std::sort(others.begin(), others.end(), [](const IkeSa* a, const IkeSa* b) { return a->unique_id < b->unique_id; });
    const std::size_t excess = others.size() + 1 - group->simultaneous_logins;
    for (std::size_t i = 0; i < excess; ++i) {
        LOG_EXCH(Protocol, "(%u): user '%s' is over %u simultaneous logins: closing this older session",
                 others[i]->unique_id, fresh.username.c_str(), group->simultaneous_logins);
        close_sa(*others[i], std::string(kSimultaneousLoginReason) + " of " + std::to_string(group->simultaneous_logins) +
                                 " reached by a new login",
                 true);
    }
}

}  // namespace ikev2d::ike
