// The per-SA timers: IKE_AUTH deadline, reassembly timeout, the IKE SA's hard lifetime,
// retransmission of our own requests, the grace after a rekey, and dead peer detection.
#include <algorithm>

#include "ike/gateway.hpp"
#include "util/log.hpp"

namespace ikev2d::ike {
namespace {

constexpr std::uint64_t kTickMs = 500;
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
    // One SA's failure stays with that SA: the others' timers run all the same.
    for (auto& [spi, sa] : sas_) {
        try {
            run_sa_timers(*sa, now);
        } catch (const std::exception& e) {
            contain_failure(spi, "timer", e.what());
        } catch (...) {
            contain_failure(spi, "timer", "unknown exception");
        }
    }
    reap();
}

std::uint64_t Gateway::next_deadline_ms() const { return clock_.now_ms() + kTickMs; }

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
            if (check_lifetime(sa, now)) return;
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
        const std::uint64_t grace = 2ull * ctx_.config->global.retransmit_base_ms * ctx_.config->global.retransmit_tries;
        if (now >= sa.rekeyed_ms + grace) close_sa(sa, "replaced by the rekeyed IKE SA", true);
        return;
    }
    check_liveness(sa, now);
}

}  // namespace ikev2d::ike
