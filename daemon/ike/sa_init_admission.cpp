// IKE_SA_INIT at the gateway: retransmissions answered from the SA they created (and
// never a second SA for them), admission of new half-open SAs (per-source and global
// limits, cookies, making room for clients that prove their address), and the new
// SA's entry in the table.
#include <algorithm>

#include "ike/gateway.hpp"
#include "ike/sa_init.hpp"
#include "util/log.hpp"
#include "wire/dump.hpp"
#include "wire/parser.hpp"

namespace ikev2d::ike {

bool Gateway::is_known_sa_init(const Endpoint& local, const Endpoint& remote, ByteView data, const wire::Header& h) {
    auto idx = init_index_.find({h.spi_i, remote.addr});
    if (idx == init_index_.end()) return false;
    if (pending_init_.count(idx->second) > 0) {
        // Its keys are being computed: the answer goes out when they are, once.
        ++counters_.sa_init_pending_drops;
        LOG_INFO(Protocol, "IKE_SA_INIT from %s while its first copy is being answered: dropped",
                 remote.to_string().c_str());
        return true;
    }
    auto it = sas_.find(idx->second);
    if (it == sas_.end() || it->second->state == IkeSaState::Dead) return false;
    IkeSa& sa = *it->second;
    // RFC 7296 2.1: the same answer again while IKE_AUTH has not begun; afterwards the
    // exchange is over and the request is ignored. Either way no second SA.
    if (sa.state == IkeSaState::InitDone &&
        std::equal(data.begin(), data.end(), sa.init_request.begin(), sa.init_request.end())) {
        ++counters_.retransmits;
        send_(local, remote, sa.init_response);
    } else {
        LOG_INFO(Protocol, "(%u): IKE_SA_INIT from %s for an existing IKE SA (%s) ignored", sa.unique_id,
                 remote.to_string().c_str(), state_name(sa.state));
    }
    return true;
}

bool Gateway::make_room_for_new_sa(HalfOpenAdmission::Decision decision, const IpAddress& source) {
    using Decision = HalfOpenAdmission::Decision;
    if (decision != Decision::RequireCookieAndMakeRoom && decision != Decision::RequireCookieAndReplaceOwn) return true;
    const bool own = decision == Decision::RequireCookieAndReplaceOwn;
    auto victim = own ? admission_.oldest_of(source) : admission_.eviction_candidate();
    if (!victim) {
        LOG_INFO(Protocol, "half-open limit %u reached, IKE_SA_INIT from %s dropped", ctx_.config->global.half_open_limit,
                 source.to_string().c_str());
        return false;
    }
    auto pending = pending_init_.find(*victim);
    if (own && pending != pending_init_.end()) {
        // Even its oldest request is still being computed: the source asks faster than
        // its keys are made. Replacing would only queue one more key exchange behind
        // its others (and in front of other clients'); it retransmits later instead.
        ++counters_.half_open_refused;
        LOG_INFO(Protocol, "%s holds %zu half-open IKE SAs, all still being answered: IKE_SA_INIT dropped",
                 source.to_string().c_str(), admission_.from(source));
        return false;
    }
    if (pending != pending_init_.end()) {
        ++counters_.half_open_evicted;
        LOG_INFO(Protocol, "(%u): half-open limit reached, dropping an IKE_SA_INIT of %s still being answered",
                 pending->second.sa->unique_id, pending->second.sa->init_remote.addr.to_string().c_str());
        forget_pending_init(pending->second);
        pending_init_.erase(pending);
        return true;
    }
    auto it = sas_.find(*victim);
    if (it == sas_.end()) return false;
    IkeSa& sa = *it->second;
    ++counters_.half_open_evicted;
    LOG_INFO(Protocol, "(%u): %s, closing the oldest half-open IKE SA of %s for a client with a valid cookie",
             sa.unique_id, own ? "per-source half-open limit reached" : "half-open limit reached",
             sa.init_remote.addr.to_string().c_str());
    close_sa(sa, own ? "per-source half-open limit: replaced by a newer one from the same source"
                     : "half-open limit: made room for a client with a valid cookie",
             false);
    return true;
}

void Gateway::handle_sa_init(const Endpoint& local, const Endpoint& remote, ByteView data, const wire::Header& h) {
    if (is_known_sa_init(local, remote, data, h)) return;
    const config::GlobalConfig& g = ctx_.config->global;
    const HalfOpenLimits limits{g.half_open_cookie_threshold, g.half_open_limit, g.half_open_per_source_limit};
    const auto decision = admission_.decide(remote.addr, limits);
    const bool source_full = decision == HalfOpenAdmission::Decision::RequireCookieAndReplaceOwn;
    auto msg = wire::parse_message(data);
    if (!msg) {
        ++counters_.invalid_packets;
        LOG_EXCH(Protocol, "malformed IKE_SA_INIT from %s: %s", remote.to_string().c_str(), msg.error().detail.c_str());
        // RFC 7296 2.21.1: an unauthenticated error answer is allowed for IKE_SA_INIT;
        // UNSUPPORTED_CRITICAL_PAYLOAD names the payload type (3.10.1).
        send_(local, remote, sa_init_error_response(h, msg.error().notify(), msg.error().notify_data()));
        return;
    }
    LOG_DUMP(Protocol, "Rx IKE_SA_INIT\n%s", wire::dump(msg.value()).c_str());
    // Past the threshold, and always when a limit is reached, the peer proves its address
    // with a cookie first; the COOKIE answer keeps no state.
    const bool require_cookie = decision != HalfOpenAdmission::Decision::Admit;
    SaInitOutcome out = prepare_sa_init(ctx_, cookies_, require_cookie, local, remote, data, msg.value());
    if (out.cookie_sent) ++counters_.cookies_sent;
    if (!out.pending) {
        if (!out.cookie_sent && !out.redirected) ++counters_.ike_sa_failed;
        if (source_full) {
            ++counters_.half_open_refused;
            LOG_INFO(Protocol, "%s holds %zu half-open IKE SAs (limit %u): IKE_SA_INIT refused: %s",
                     remote.addr.to_string().c_str(), admission_.from(remote.addr), g.half_open_per_source_limit,
                     out.failure.c_str());
        } else {
            LOG_EXCH(Protocol, "IKE_SA_INIT from %s refused: %s", remote.to_string().c_str(), out.failure.c_str());
        }
        if (!out.response.empty()) send_(local, remote, out.response);
        return;
    }
    if (jobs_full()) {
        LOG_INFO(Protocol, "%zu jobs in flight: IKE_SA_INIT from %s dropped", executor_.in_flight(),
                 remote.to_string().c_str());
        return;
    }
    if (!make_room_for_new_sa(decision, remote.addr)) return;
    // Counted half-open from now: admission sees it while its keys are computed.
    IkeSa& sa = *out.pending->sa;
    sa.unique_id = next_unique_id_++;
    sa.created_ms = clock_.now_ms();
    sa.last_peer_activity_ms = sa.created_ms;
    sa.auth_deadline_ms = sa.created_ms + g.auth_timeout_s * 1000ull;
    sa.init_remote = remote;
    sa.counted_half_open = true;
    admission_.add(remote.addr, sa.created_ms, sa.spi_r);
    init_index_[{sa.spi_i, remote.addr}] = sa.spi_r;
    const std::uint64_t spi_r = sa.spi_r;
    std::shared_ptr<SaInitKeying> keying = out.pending->keying;
    pending_init_.emplace(spi_r, std::move(*out.pending));
    post_job([keying] { compute_sa_init_keying(*keying); }, util::Executor::Lane::Short, 0,
             [this, spi_r] { complete_sa_init(spi_r); });
}

void Gateway::forget_pending_init(PendingSaInit& pending) {
    pending.keying->cancelled.store(true, std::memory_order_relaxed);  // its job, if still queued, skips the DH
    IkeSa& sa = *pending.sa;
    leave_half_open(sa);
    auto idx = init_index_.find({sa.spi_i, sa.init_remote.addr});
    if (idx != init_index_.end() && idx->second == sa.spi_r) init_index_.erase(idx);
}

void Gateway::drop_pending_inits(const char* why) {
    if (pending_init_.empty()) return;
    LOG_INFO(Protocol, "%zu IKE_SA_INITs being answered dropped: %s", pending_init_.size(), why);
    for (auto& [spi, pending] : pending_init_) forget_pending_init(pending);
    counters_.jobs_discarded += pending_init_.size();
    pending_init_.clear();
}

// The keys are computed: the SA goes into the table and the answer out. A request
// dropped meanwhile (eviction, reload, shutdown) is no longer pending: nothing to do.
void Gateway::complete_sa_init(std::uint64_t spi_r) {
    auto it = pending_init_.find(spi_r);
    if (it == pending_init_.end()) return;
    PendingSaInit pending = std::move(it->second);
    pending_init_.erase(it);
    IkeSa& sa = *pending.sa;
    const Endpoint local = sa.local, remote = sa.init_remote;
    // The worker's time counts against the peer like loop time would.
    work_budget_.charge(remote.addr, pending.keying->worker_us, clock_.now_ms());
    std::string failure;
    Bytes error_response;
    if (!finish_sa_init(ctx_, pending, failure, error_response)) {
        ++counters_.ike_sa_failed;
        forget_pending_init(pending);
        LOG_EXCH(Protocol, "IKE_SA_INIT from %s refused: %s", remote.to_string().c_str(), failure.c_str());
        if (!error_response.empty()) send_(local, remote, error_response);
        return;
    }
    ++counters_.ike_sa_created;
    LOG_EXCH(Protocol, "(%u): IKE_SA_INIT done with %s: %s-%u/%s/%s/%s%s", sa.unique_id, remote.to_string().c_str(),
             iana::name(sa.algs.encr).c_str(), sa.algs.encr_key_bits, iana::name(sa.algs.integ).c_str(),
             iana::name(sa.algs.prf).c_str(), iana::name(sa.algs.dh).c_str(),
             sa.nat_remote ? ", peer behind NAT" : "");
    send_(local, remote, sa.init_response);
    sas_.emplace(spi_r, std::move(pending.sa));
    rearm(spi_r);  // its IKE_AUTH deadline, in the timer heap (sa_deadlines.hpp)
}

}  // namespace ikev2d::ike
