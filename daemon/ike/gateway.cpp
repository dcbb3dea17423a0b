// Datagram routing, the exception boundary around every handler, and the session
// table (closing, replacing, rekey adoption, disconnects, shutdown).
#include "ike/gateway.hpp"

#include <algorithm>
#include <chrono>

#include "ike/informational.hpp"
#include "ike/sa_log_fields.hpp"
#include "ike/sa_resources.hpp"
#include "ike/session_policy.hpp"
#include "util/log.hpp"
#include "wire/parser.hpp"

namespace ikev2d::ike {

using iana::ExchangeType;

const char* state_name(IkeSaState s) {
    switch (s) {
        case IkeSaState::InitDone: return "IN-NEG";
        case IkeSaState::Authenticating: return "IN-NEG";
        case IkeSaState::Established: return "READY";
        case IkeSaState::Deleting: return "DELETING";
        case IkeSaState::Dead: return "DEAD";
    }
    return "?";
}

Gateway::Gateway(std::shared_ptr<const config::Config> config, std::shared_ptr<const Credentials> credentials,
                 kernel::KernelIpsec& kernel, SendFn send, Clock clock, util::Executor& executor)
    : executor_(executor), send_(std::move(send)), clock_(std::move(clock)) {
    ctx_.config = std::move(config);
    ctx_.credentials = std::move(credentials);
    ctx_.kernel = &kernel;
    ctx_.pools = &pools_;
    ctx_.counters = &counters_;
    ctx_.now_ms = clock_.now_ms;
    ctx_.now_unix = clock_.now_unix;
    rebuild_pools();
    apply_work_budget();
    cookies_.maybe_rotate(clock_.now_ms());
    ctx_.replace_older_sas = [this](const IkeSa& fresh) {
        for (auto& [spi, sa] : sas_)
            if (sa.get() != &fresh && sa->state == IkeSaState::Established && !sa->rekeyed_to &&
                same_user(*sa, fresh))
                close_sa(*sa, "replaced by a new IKE SA of the same user (INITIAL_CONTACT)", false);
    };
    ctx_.ike_spi_in_use = [this](std::uint64_t spi) { return sas_.count(spi) > 0 || pending_init_.count(spi) > 0; };
}

Gateway::~Gateway() = default;

void Gateway::rebuild_pools() {
    // Keep pools whose range did not change, so that live leases stay valid.
    std::map<std::string, config::AddressPool> fresh;
    for (const auto& p : ctx_.config->pools) {
        auto it = pools_.find(p.name);
        if (it != pools_.end() && it->second.config().first == p.first && it->second.config().last == p.last)
            fresh.emplace(p.name, std::move(it->second));
        else
            fresh.emplace(p.name, config::AddressPool(p));
    }
    pools_ = std::move(fresh);
}

void Gateway::apply_work_budget() {
    const auto& g = ctx_.config->global;
    WorkBudgetLimits limits;
    limits.rate_ms_per_s = g.source_work_ms_per_s;
    limits.burst_ms = g.source_work_burst_ms;
    work_budget_.set_limits(limits);
}

void Gateway::replace_config(std::shared_ptr<const config::Config> config, std::shared_ptr<const Credentials> credentials) {
    ctx_.config = std::move(config);
    if (credentials) ctx_.credentials = std::move(credentials);
    // Their SAs were shaped by the old configuration: the peers retransmit and get the new.
    drop_pending_inits("configuration reloaded");
    ++config_generation_;
    rebuild_pools();
    apply_work_budget();
    // A user deleted or moved to another group loses the sessions the old configuration admitted.
    for (auto& [spi, sa] : sas_)
        if (sa->state == IkeSaState::Established && !sa->rekeyed_to && !still_admitted(*ctx_.config, *sa))
            close_sa(*sa, "user removed by reload", true);
    // Deadlines derive from timeouts in the configuration.
    rearm_all();
}

void Gateway::handle_datagram(const Endpoint& local, const Endpoint& remote, ByteView data) {
    // One datagram at a time: a source that spent its share of the loop waits, unread.
    const std::uint64_t now = clock_.now_ms();
    if (!work_budget_.admit(remote.addr, now)) {
        ++counters_.work_budget_drops;
        return;
    }
    const auto started = std::chrono::steady_clock::now();
    // Whatever a handler throws stays with this packet (and its SA): the daemon's loop
    // and every other session go on.
    std::uint64_t spi_r = 0;
    try {
        route_datagram(local, remote, data, spi_r);
        if (spi_r != 0) rearm(spi_r);
    } catch (const std::exception& e) {
        contain_failure(spi_r, "packet", e.what());
    } catch (...) {
        contain_failure(spi_r, "packet", "unknown exception");
    }
    reap();
    const auto spent = std::chrono::steady_clock::now() - started;
    work_budget_.charge(remote.addr, static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(spent).count()), now);
}

void Gateway::route_datagram(const Endpoint& local, const Endpoint& remote, ByteView data, std::uint64_t& spi_r) {
    auto header = wire::parse_header(data);
    if (!header) {
        ++counters_.invalid_packets;
        LOG_INFO(Platform, "drop %zu bytes from %s: %s", data.size(), remote.to_string().c_str(),
                 header.error().detail.c_str());
        return;
    }
    const wire::Header& h = header.value();
    LOG_INFO(Platform, "RECV PKT [%s] %s->%s InitSPI=0x%016llx RespSPI=0x%016llx MID=%08x",
             iana::name(h.exchange).c_str(), remote.to_string().c_str(), local.to_string().c_str(),
             static_cast<unsigned long long>(h.spi_i), static_cast<unsigned long long>(h.spi_r), h.message_id);
    if (h.exchange == ExchangeType::IKE_SA_INIT && !h.is_response()) {
        handle_sa_init(local, remote, data, h);
        // The SA it made (or found), for the caller to arm its timer.
        if (auto idx = init_index_.find({h.spi_i, remote.addr}); idx != init_index_.end()) spi_r = idx->second;
        return;
    }
    auto it = sas_.find(h.spi_r);
    if (it == sas_.end() || it->second->spi_i != h.spi_i || it->second->state == IkeSaState::Dead) {
        ++counters_.invalid_packets;
        LOG_INFO(Protocol, "no IKE SA for SPIs %016llx/%016llx, dropped", static_cast<unsigned long long>(h.spi_i),
                 static_cast<unsigned long long>(h.spi_r));
        return;
    }
    spi_r = h.spi_r;
    IkeSa& sa = *it->second;
    auto msg = wire::parse_message(data);
    if (!msg) {
        // Not authenticated yet: no answer (RFC 7296 2.21.2).
        ++counters_.invalid_packets;
        LOG_INFO(Protocol, "(%u): malformed message dropped: %s", sa.unique_id, msg.error().detail.c_str());
        return;
    }
    if (!msg.value().payloads.empty() &&
        std::holds_alternative<wire::CiscoFragmentPayload>(msg.value().payloads.back().body))
        handle_cisco_fragment(sa, local, remote, msg.value());
    else if (h.is_response())
        handle_response(sa, local, remote, data, msg.value());
    else
        handle_request(sa, local, remote, data, msg.value());
}

bool Gateway::jobs_full() {
    if (executor_.in_flight() < max_jobs_in_flight_) return false;
    ++counters_.jobs_refused;
    return true;
}

void Gateway::post_job(std::function<void()> work, util::Executor::Lane lane, std::uint64_t spi_r,
                       std::function<void()> completion, util::Executor* on) {
    (on ? *on : executor_).post(std::move(work), [this, alive = std::weak_ptr<const bool>(alive_), spi_r, completion = std::move(completion)] {
        if (alive.expired()) return;  // the gateway is gone; so is what the job was for
        try {
            completion();
            if (spi_r != 0) rearm(spi_r);  // what the answer changed may move the SA's next deadline
        } catch (const std::exception& e) {
            contain_failure(spi_r, "job completion", e.what());
        } catch (...) {
            contain_failure(spi_r, "job completion", "unknown exception");
        }
        reap();
    }, lane);
}

void Gateway::contain_failure(std::uint64_t spi_r, const char* where, const char* what) {
    ++counters_.handler_errors;
    auto it = spi_r != 0 ? sas_.find(spi_r) : sas_.end();
    if (it == sas_.end()) {
        LOG_ERR(Protocol, "internal error handling a %s, dropped: %s", where, what);
        return;
    }
    IkeSa& sa = *it->second;
    LOG_ERR(Protocol, "(%u): internal error handling a %s, closing the IKE SA: %s", sa.unique_id, where, what);
    // Its state may be half-updated: close it, and if even that fails, just forget it.
    try {
        close_sa(sa, std::string("internal error: ") + what, sa.state == IkeSaState::Established);
    } catch (...) {
        leave_half_open(sa);
        mark_dead(sa);
    }
}

void Gateway::session_up(IkeSa& sa) {
    ++ctx_.live_sessions;
    if (!on_session_up) return;
    try {
        on_session_up(sa);
    } catch (const std::exception& e) {
        ++counters_.handler_errors;
        LOG_ERR(Platform, "(%u): session-up notification failed: %s", sa.unique_id, e.what());
    }
}

void Gateway::session_down(IkeSa& sa, const std::string& reason) {
    if (ctx_.live_sessions > 0) --ctx_.live_sessions;
    if (!on_session_down) return;
    try {
        on_session_down(sa, reason);
    } catch (const std::exception& e) {
        ++counters_.handler_errors;
        LOG_ERR(Platform, "(%u): session-down notification failed: %s", sa.unique_id, e.what());
    }
}

void Gateway::adopt_rekeyed_sa(IkeSa& old, std::unique_ptr<IkeSa> successor) {
    LOG_EXCH(Protocol, "(%u): IKE SA rekeyed, new SPIs %016llx/%016llx", old.unique_id,
             static_cast<unsigned long long>(successor->spi_i), static_cast<unsigned long long>(successor->spi_r));
    old.rekeyed_to = successor->spi_r;
    old.rekeyed_ms = clock_.now_ms();
    IkeSa& fresh = *successor;
    fresh.drop_negotiation_state();  // keyed by the CREATE_CHILD_SA exchange: its nonces are spent
    sas_.emplace(successor->spi_r, std::move(successor));  // `old` is on the heap: it stays valid
    rearm(fresh);
}

void Gateway::leave_half_open(IkeSa& sa) {
    if (sa.counted_half_open) {
        sa.counted_half_open = false;
        admission_.remove(sa.init_remote.addr, sa.created_ms, sa.spi_r);
    }
}

void Gateway::close_sa(IkeSa& sa, const std::string& reason, bool send_delete) {
    if (sa.state == IkeSaState::Dead) return;
    const bool was_up = sa.state == IkeSaState::Established;
    if (!was_up && sa.state != IkeSaState::Deleting) ++counters_.ike_sa_failed;
    leave_half_open(sa);
    if (was_up && !sa.rekeyed_to)
        IKEV2D_LOG_FIELDS(Platform, log::kExchange, Info, sa_log_fields(sa, "session-down", sa.remote.to_string()),
                          "(%u): connection DOWN, peer %s, user '%s': %s", sa.unique_id,
                          sa.remote.to_string().c_str(), sa.username.c_str(), reason.c_str());
    LOG_EXCH(Protocol, "(%u): closing IKE SA with %s: %s", sa.unique_id, sa.remote.to_string().c_str(), reason.c_str());
    sa.reassembly.reset();
    sa.delete_reason = reason;
    // A rekeyed SA's session lives on in its successor. Told before the Child SAs and
    // the address go, so that the session's last byte counters and address are known.
    if (was_up && !sa.rekeyed_to) session_down(sa, reason);
    release_sa_resources(ctx_, sa);
    if (send_delete && was_up) {
        sa.state = IkeSaState::Deleting;
        send_request(sa, delete_ike_request(), OutstandingRequest::Purpose::DeleteIke);
    } else {
        mark_dead(sa);
    }
}

void Gateway::mark_dead(IkeSa& sa) noexcept {
    if (sa.state == IkeSaState::Dead) return;
    sa.state = IkeSaState::Dead;
    sa.timer_due_ms = SaDeadlines::kNone;  // its timer entry, if any, is stale now
    try {
        dead_spis_.push_back(sa.spi_r);
    } catch (...) {
        reap_by_scan_ = true;
    }
}

void Gateway::reap() {
    if (dead_spis_.empty() && !reap_by_scan_) return;
    std::vector<std::uint64_t> dead;
    dead.swap(dead_spis_);
    if (reap_by_scan_) {
        reap_by_scan_ = false;
        dead.clear();
        for (const auto& [spi, sa] : sas_)
            if (sa->state == IkeSaState::Dead) dead.push_back(spi);
    }
    for (std::uint64_t spi : dead) {
        auto it = sas_.find(spi);
        if (it == sas_.end() || it->second->state != IkeSaState::Dead) continue;
        leave_half_open(*it->second);
        // Only its own entry: a newer SA may have taken the key over.
        auto idx = init_index_.find({it->second->spi_i, it->second->init_remote.addr});
        if (idx != init_index_.end() && idx->second == it->first) init_index_.erase(idx);
        if (it->second->timer_tracked) --timer_tracked_;
        sas_.erase(it);
    }
}

std::uint32_t Gateway::disconnect(std::uint32_t unique_id, const std::string& reason) {
    std::uint32_t n = 0;
    for (auto& [spi, sa] : sas_) {
        if (sa->unique_id == unique_id && !sa->rekeyed_to && sa->state != IkeSaState::Dead &&
            sa->state != IkeSaState::Deleting) {
            close_sa(*sa, reason, true);
            ++n;
        }
    }
    return n;
}

std::uint32_t Gateway::disconnect_user(const std::string& username, const std::string& reason) {
    std::uint32_t n = 0;
    for (auto& [spi, sa] : sas_) {
        if (sa->username == username && sa->state == IkeSaState::Established && !sa->rekeyed_to) {
            close_sa(*sa, reason, true);
            ++n;
        }
    }
    return n;
}

void Gateway::shutdown() {
    drop_pending_inits("gateway shutting down");
    for (auto& [spi, sa] : sas_) close_sa(*sa, "gateway shutting down", true);
    for (auto& [spi, sa] : sas_) mark_dead(*sa);
    reap();
}

}  // namespace ikev2d::ike
