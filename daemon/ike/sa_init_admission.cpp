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
    if (!victim) return false;
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
    SaInitOutcome out = respond_sa_init(ctx_, cookies_, require_cookie, local, remote, data, msg.value());
    if (out.cookie_sent) ++counters_.cookies_sent;
    if (!out.sa) {
        if (!out.cookie_sent) ++counters_.ike_sa_failed;
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
    if (!make_room_for_new_sa(decision, remote.addr)) {
        LOG_INFO(Protocol, "half-open limit %u reached, IKE_SA_INIT from %s dropped", g.half_open_limit,
                 remote.to_string().c_str());
        return;
    }
    IkeSa& sa = *out.sa;
    sa.unique_id = next_unique_id_++;
    sa.created_ms = clock_.now_ms();
    sa.last_peer_activity_ms = sa.created_ms;
    sa.auth_deadline_ms = sa.created_ms + g.auth_timeout_s * 1000ull;
    sa.init_remote = remote;
    sa.counted_half_open = true;
    admission_.add(remote.addr, sa.created_ms, sa.spi_r);
    ++counters_.ike_sa_created;
    LOG_EXCH(Protocol, "(%u): IKE_SA_INIT done with %s: %s-%u/%s/%s/%s%s", sa.unique_id, remote.to_string().c_str(),
             iana::name(sa.algs.encr).c_str(), sa.algs.encr_key_bits, iana::name(sa.algs.integ).c_str(),
             iana::name(sa.algs.prf).c_str(), iana::name(sa.algs.dh).c_str(),
             sa.nat_remote ? ", peer behind NAT" : "");
    init_index_[{sa.spi_i, remote.addr}] = sa.spi_r;
    send_(local, remote, out.response);
    sas_.emplace(sa.spi_r, std::move(out.sa));
}

}  // namespace ikev2d::ike
