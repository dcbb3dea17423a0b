// The per-SA timers: IKE_AUTH deadline, reassembly timeout, the IKE SA's hard lifetime,
// retransmission of our own requests, the grace after a rekey, and dead peer detection.
// Each SA's next deadline (sa_deadline) is kept in an ordered structure (SaDeadlines) and
// re-armed after every event on the SA; a tick runs the timers of the due SAs only.
#include <algorithm>

#include "ike/gateway.hpp"
#include "util/log.hpp"

namespace ikev2d::ike {
namespace {

// The daemon's timer never sleeps longer than this, so that cookie-secret rotation (and
// whatever else a tick does besides the SAs) keeps its pace when no SA is due.
constexpr std::uint64_t kMaxTimerSleepMs = 1000;
// The IKE SA lifetime is the policy's; the client rekeys or reauthenticates on its own
// schedule, so it gets a tenth more (as the Child SAs' hard limits) before we delete.
constexpr std::uint64_t kLifetimeGraceDivisor = 10;

}  // namespace

void Gateway::on_timer() {
    const std::uint64_t now = clock_.now_ms();
    try {
        cookies_.maybe_rotate(now);  // draws a new secret: the random source may fail
    } catch (const std::exception& e) {
        contain_failure(0, "cookie secret rotation", e.what());
    }
    if (timer_tracked_ < sas_.size()) arm_untracked();
    // Only the due SAs; one SA's failure stays with that SA: the others' timers run all the same.
    while (auto due = deadlines_.pop_due(now)) {
        auto it = sas_.find(due->spi_r);
        if (it == sas_.end() || it->second->timer_due_ms != due->due_ms) {
            deadlines_.note_stale();
            continue;
        }
        IkeSa& sa = *it->second;
        sa.timer_due_ms = SaDeadlines::kNone;  // its entry is consumed
        ++counters_.timer_sa_visits;
        try {
            run_sa_timers(sa, now);
            // Not again within this tick, whatever it computes.
            rearm(sa, now + 1);
        } catch (const std::exception& e) {
            contain_failure(due->spi_r, "timer", e.what());
        } catch (...) {
            contain_failure(due->spi_r, "timer", "unknown exception");
        }
    }
    reap();
}

std::uint64_t Gateway::next_deadline_ms() const {
    return std::min(deadlines_.earliest_ms(), clock_.now_ms() + kMaxTimerSleepMs);
}

std::uint64_t Gateway::sa_deadline(const IkeSa& sa) const {
    // The earliest time at which run_sa_timers() has something to do: it follows that
    // function branch for branch, so that the two cannot disagree.
    std::uint64_t due = SaDeadlines::kNone;
    if (sa.reassembly) due = sa.reassembly->started_ms + ctx_.config->global.reassembly_timeout_s * 1000ull;
    switch (sa.state) {
        case IkeSaState::InitDone:
        case IkeSaState::Authenticating: return std::min(due, sa.auth_deadline_ms);
        case IkeSaState::Dead: return SaDeadlines::kNone;
        case IkeSaState::Established:
            if (sa.lifetime_s != 0 && !sa.rekeyed_to) {
                const std::uint64_t lifetime_ms = sa.lifetime_s * 1000ull;
                due = std::min(due, sa.established_ms + lifetime_ms + lifetime_ms / kLifetimeGraceDivisor);
            }
            if (sa.redirect_deadline_ms != 0) due = std::min(due, sa.redirect_deadline_ms);
            break;
        case IkeSaState::Deleting: break;
    }
    if (sa.outstanding) return std::min(due, sa.outstanding->next_retransmit_ms);
    if (sa.state != IkeSaState::Established) return due;
    if (sa.rekeyed_to) return std::min(due, sa.rekeyed_ms + rekey_grace_ms());
    // DPD: at next_dpd_ms the kernel's ESP counters are looked at (and a probe sent if
    // the peer was idle); IKE activity moves the probe, not this look.
    if (ctx_.config->dpd.interval_s != 0) due = std::min(due, sa.next_dpd_ms);
    return std::min(due, session_limits_due(sa));
}

void Gateway::rearm(IkeSa& sa, std::uint64_t not_before_ms) {
    if (!sa.timer_tracked) {
        sa.timer_tracked = true;
        ++timer_tracked_;
    }
    std::uint64_t due = sa_deadline(sa);
    if (due != SaDeadlines::kNone) due = std::max(due, not_before_ms);
    deadlines_.arm(sa.spi_r, sa.timer_due_ms, due);
    if (deadlines_.wants_compaction(sas_.size())) compact_deadlines();
}

void Gateway::rearm(std::uint64_t spi_r) {
    auto it = sas_.find(spi_r);
    if (it != sas_.end()) rearm(*it->second);
}

void Gateway::rearm_all() {
    for (auto& [spi, sa] : sas_) rearm(*sa);
}

void Gateway::compact_deadlines() {
    std::vector<SaDeadlines::Entry> live;
    live.reserve(sas_.size());
    for (const auto& [spi, sa] : sas_)
        if (sa->timer_due_ms != SaDeadlines::kNone) live.push_back({sa->timer_due_ms, spi});
    deadlines_.rebuild(std::move(live));
}

void Gateway::arm_untracked() {
    // Every path that adds an IKE SA to the table arms it; an SA that got in some other
    // way would never time out, so it is found and armed here (a scan, hence logged).
    std::size_t found = 0;
    for (auto& [spi, sa] : sas_) {
        if (sa->timer_tracked) continue;
        rearm(*sa);
        ++found;
    }
    timer_tracked_ = sas_.size();
    if (found > 0)
        LOG_ERR(Protocol, "internal: %zu IKE SAs were added without arming their timers; armed now", found);
}

std::uint64_t Gateway::rekey_grace_ms() const {
    return 2ull * ctx_.config->global.retransmit_base_ms * ctx_.config->global.retransmit_tries;
}

bool Gateway::check_lifetime(IkeSa& sa, std::uint64_t now) {
    if (sa.lifetime_s == 0 || sa.rekeyed_to) return false;
    const std::uint64_t lifetime_ms = sa.lifetime_s * 1000ull;
    if (now < sa.established_ms + lifetime_ms + lifetime_ms / kLifetimeGraceDivisor) return false;
    ++counters_.lifetime_expired;
    LOG_EXCH(Protocol, "(%u): IKE SA lifetime of %u s expired without rekey or reauthentication, deleting it",
             sa.unique_id, sa.lifetime_s);
    close_sa(sa, "IKE SA lifetime expired", true);
    return true;
}

void Gateway::check_liveness(IkeSa& sa, std::uint64_t now) {
    const std::uint64_t interval = ctx_.config->dpd.interval_s * 1000ull;
    if (interval == 0 || now < sa.next_dpd_ms) return;
    // ESP traffic from the peer counts as proof of life (RFC 7296 2.4), so probe only idle peers.
    std::uint64_t bytes_in = 0;
    for (const auto& child : sa.children) {
        try {
            bytes_in += ctx_.kernel->query_sa(sa.local.addr, child.spi_in).bytes;
        } catch (const std::exception&) {
        }
    }
    const bool esp_seen = bytes_in != sa.esp_bytes_in_seen;
    sa.esp_bytes_in_seen = bytes_in;
    if (esp_seen || now < sa.last_peer_activity_ms + interval) {
        sa.next_dpd_ms = std::max(now, sa.last_peer_activity_ms) + interval;
        return;
    }
    ++counters_.dpd_sent;
    LOG_INFO(Protocol, "(%u): peer idle for %llu ms, sending DPD", sa.unique_id,
             static_cast<unsigned long long>(now - sa.last_peer_activity_ms));
    send_request(sa, {}, OutstandingRequest::Purpose::Dpd);
}

void Gateway::run_sa_timers(IkeSa& sa, std::uint64_t now) {
    if (const std::size_t dropped = expire_reassembly(sa, now, ctx_.config->global.reassembly_timeout_s * 1000ull)) {
        counters_.fragments_dropped += dropped;
        LOG_INFO(Protocol, "(%u): partial fragmented message timed out, %zu fragments dropped", sa.unique_id, dropped);
    }
    switch (sa.state) {
        case IkeSaState::InitDone:
        case IkeSaState::Authenticating:
            if (now >= sa.auth_deadline_ms) close_sa(sa, "IKE_AUTH not completed in time", false);
            return;
        case IkeSaState::Dead: return;
        case IkeSaState::Established:
            if (check_lifetime(sa, now) || check_redirect_deadline(sa, now)) return;
            break;
        case IkeSaState::Deleting: break;
    }
    if (sa.outstanding) {
        OutstandingRequest& req = *sa.outstanding;
        if (now < req.next_retransmit_ms) return;
        const bool dpd = req.purpose == OutstandingRequest::Purpose::Dpd;
        const std::uint32_t max_tries = dpd ? ctx_.config->dpd.retries : ctx_.config->global.retransmit_tries;
        if (req.tries >= max_tries) {
            sa.outstanding.reset();
            if (dpd) {
                ++counters_.dpd_timeouts;
                close_sa(sa, "peer dead (DPD)", false);
            } else if (req.purpose == OutstandingRequest::Purpose::Redirect) {
                close_sa(sa, "peer dead (no answer to REDIRECT)", false);
            } else {
                mark_dead(sa);
            }
            return;
        }
        ++req.tries;
        ++counters_.retransmits;
        std::uint64_t timeout = dpd ? std::max<std::uint64_t>(1000, ctx_.config->dpd.interval_s * 1000ull)
                                    : ctx_.config->global.retransmit_base_ms << std::min<std::uint32_t>(req.tries, 6);
        req.next_retransmit_ms = now + timeout;
        send_packets(sa, req.packets);
        return;
    }
    if (sa.state != IkeSaState::Established) return;
    if (sa.rekeyed_to) {
        // The peer deletes the old SA after a rekey; if it does not, we do.
        if (now >= sa.rekeyed_ms + rekey_grace_ms()) close_sa(sa, "replaced by the rekeyed IKE SA", true);
        return;
    }
    if (check_session_limits(sa, now)) return;
    check_liveness(sa, now);
}

}  // namespace ikev2d::ike
