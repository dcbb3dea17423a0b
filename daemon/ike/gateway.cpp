#include "ike/gateway.hpp"

#include <algorithm>

#include "ike/create_child.hpp"
#include "ike/ike_auth.hpp"
#include "ike/informational.hpp"
#include "ike/message_protection.hpp"
#include "ike/payload_helpers.hpp"
#include "ike/sa_init.hpp"
#include "ike/sa_resources.hpp"
#include "ike/session_policy.hpp"
#include "util/log.hpp"
#include "wire/dump.hpp"
#include "wire/parser.hpp"

namespace ikev2d::ike {
namespace {

using iana::ExchangeType;
using iana::NotifyType;

constexpr std::uint64_t kTickMs = 500;

}  // namespace

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
                 kernel::KernelIpsec& kernel, SendFn send, Clock clock)
    : send_(std::move(send)), clock_(std::move(clock)) {
    ctx_.config = std::move(config);
    ctx_.credentials = std::move(credentials);
    ctx_.kernel = &kernel;
    ctx_.pools = &pools_;
    ctx_.counters = &counters_;
    ctx_.now_ms = clock_.now_ms;
    ctx_.now_unix = clock_.now_unix;
    rebuild_pools();
    cookies_.maybe_rotate(clock_.now_ms());
    ctx_.replace_older_sas = [this](const IkeSa& fresh) {
        for (auto& [spi, sa] : sas_)
            if (sa.get() != &fresh && sa->state == IkeSaState::Established && !sa->rekeyed_to &&
                same_user(*sa, fresh))
                close_sa(*sa, "replaced by a new IKE SA of the same user (INITIAL_CONTACT)", false);
    };
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

void Gateway::replace_config(std::shared_ptr<const config::Config> config, std::shared_ptr<const Credentials> credentials) {
    ctx_.config = std::move(config);
    if (credentials) ctx_.credentials = std::move(credentials);
    rebuild_pools();
    // A user deleted or moved to another group loses the sessions the old configuration admitted.
    for (auto& [spi, sa] : sas_)
        if (sa->state == IkeSaState::Established && !sa->rekeyed_to && !still_admitted(*ctx_.config, *sa))
            close_sa(*sa, "user removed by reload", true);
}

std::size_t Gateway::max_message_size(const IkeSa& sa) const {
    return max_ike_message_size(ctx_.config->global.fragment_mtu, !sa.remote.addr.is_v4(), sa.local.port != 500);
}

void Gateway::handle_datagram(const Endpoint& local, const Endpoint& remote, ByteView data) {
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
        return;
    }
    auto it = sas_.find(h.spi_r);
    if (it == sas_.end() || it->second->spi_i != h.spi_i || it->second->state == IkeSaState::Dead) {
        ++counters_.invalid_packets;
        LOG_INFO(Protocol, "no IKE SA for SPIs %016llx/%016llx, dropped", static_cast<unsigned long long>(h.spi_i),
                 static_cast<unsigned long long>(h.spi_r));
        return;
    }
    IkeSa& sa = *it->second;
    auto msg = wire::parse_message(data);
    if (!msg) {
        ++counters_.invalid_packets;
        LOG_INFO(Protocol, "(%u): malformed message dropped: %s", sa.unique_id, msg.error().detail.c_str());
        return;
    }
    if (h.is_response())
        handle_response(sa, local, remote, data, msg.value());
    else
        handle_request(sa, local, remote, data, msg.value());
    reap();
}

void Gateway::handle_sa_init(const Endpoint& local, const Endpoint& remote, ByteView data, const wire::Header& h) {
    // A retransmitted IKE_SA_INIT gets the same answer again.
    auto idx = init_index_.find({h.spi_i, remote});
    if (idx != init_index_.end()) {
        auto it = sas_.find(idx->second);
        if (it != sas_.end() && it->second->state == IkeSaState::InitDone) {
            IkeSa& sa = *it->second;
            if (std::equal(data.begin(), data.end(), sa.init_request.begin(), sa.init_request.end())) {
                ++counters_.retransmits;
                send_(local, remote, sa.init_response);
            }
            return;
        }
    }
    if (half_open_ >= ctx_.config->global.half_open_limit) {
        LOG_EXCH(Protocol, "half-open limit %u reached, IKE_SA_INIT from %s dropped", ctx_.config->global.half_open_limit,
                 remote.to_string().c_str());
        return;
    }
    auto msg = wire::parse_message(data);
    if (!msg) {
        ++counters_.invalid_packets;
        LOG_EXCH(Protocol, "malformed IKE_SA_INIT from %s: %s", remote.to_string().c_str(), msg.error().detail.c_str());
        // RFC 7296 2.21.1: an unauthenticated error answer is allowed for IKE_SA_INIT.
        send_(local, remote, sa_init_error_response(h, msg.error().notify()));
        return;
    }
    LOG_DUMP(Protocol, "Rx IKE_SA_INIT\n%s", wire::dump(msg.value()).c_str());
    bool require_cookie = half_open_ >= ctx_.config->global.half_open_cookie_threshold;
    SaInitOutcome out = respond_sa_init(ctx_, cookies_, require_cookie, local, remote, data, msg.value());
    if (out.cookie_sent) ++counters_.cookies_sent;
    if (!out.sa) {
        if (!out.cookie_sent) ++counters_.ike_sa_failed;
        LOG_EXCH(Protocol, "IKE_SA_INIT from %s refused: %s", remote.to_string().c_str(), out.failure.c_str());
        if (!out.response.empty()) send_(local, remote, out.response);
        return;
    }
    IkeSa& sa = *out.sa;
    sa.unique_id = next_unique_id_++;
    sa.created_ms = clock_.now_ms();
    sa.last_peer_activity_ms = sa.created_ms;
    sa.auth_deadline_ms = sa.created_ms + ctx_.config->global.auth_timeout_s * 1000ull;
    sa.counted_half_open = true;
    ++half_open_;
    ++counters_.ike_sa_created;
    LOG_EXCH(Protocol, "(%u): IKE_SA_INIT done with %s: %s-%u/%s/%s/%s%s", sa.unique_id, remote.to_string().c_str(),
             iana::name(sa.algs.encr).c_str(), sa.algs.encr_key_bits, iana::name(sa.algs.integ).c_str(),
             iana::name(sa.algs.prf).c_str(), iana::name(sa.algs.dh).c_str(),
             sa.nat_remote ? ", peer behind NAT" : "");
    sa.init_remote = remote;
    init_index_[{sa.spi_i, remote}] = sa.spi_r;
    send_(local, remote, out.response);
    sas_.emplace(sa.spi_r, std::move(out.sa));
}

void Gateway::handle_request(IkeSa& sa, const Endpoint& local, const Endpoint& remote, ByteView data,
                             const wire::Message& msg) {
    const wire::Header& h = msg.header;
    const auto* skf = msg.payloads.empty() ? nullptr : std::get_if<wire::SkfPayload>(&msg.payloads.back().body);
    const bool first_packet = skf == nullptr || skf->fragment_number == 1;
    if (sa.last_response_id && h.message_id == *sa.last_response_id) {
        // A retransmission: the cached answer, byte for byte, and no work redone. Only an
        // exact copy of the request (of its first fragment) counts, so that forged
        // packets cannot make us resend; a fragmented request is answered once.
        if (!first_packet || !std::equal(data.begin(), data.end(), sa.last_request_first_packet.begin(),
                                         sa.last_request_first_packet.end()))
            return;
        ++counters_.retransmits;
        send_packets(sa, sa.last_response_packets);
        return;
    }
    if (h.message_id != sa.next_peer_request_id) {
        LOG_INFO(Protocol, "(%u): request with message ID %u, expected %u: dropped", sa.unique_id, h.message_id,
                 sa.next_peer_request_id);
        return;
    }
    Unprotected un = unprotect_message(sa, data, msg);
    if (un.status == Unprotected::Status::Invalid) {
        ++counters_.invalid_packets;
        LOG_EXCH(Protocol, "(%u): message %u dropped: %s", sa.unique_id, h.message_id, un.error.c_str());
        return;
    }
    if (first_packet) sa.last_request_first_packet.assign(data.begin(), data.end());
    if (un.was_fragmented) ++counters_.fragments_received;
    if (un.status == Unprotected::Status::NeedMoreFragments) return;

    // Authenticated: answer to where it came from (NAT-T port floating, RFC 7296 2.23).
    sa.local = local;
    sa.remote = remote;
    sa.last_peer_activity_ms = clock_.now_ms();
    if (log::enabled(log::Category::Protocol, log::kDump)) {
        wire::Message inner{h, un.payloads};
        LOG_DUMP(Protocol, "(%u): Rx decrypted\n%s", sa.unique_id, wire::dump(inner).c_str());
    }
    ExchangeResult result = dispatch(sa, h.exchange, std::move(un.payloads));
    send_response(sa, h, result.payloads);
    sa.last_response_id = h.message_id;
    sa.next_peer_request_id = h.message_id + 1;

    if (result.auth_failed) ++counters_.auth_failures;
    if (result.established) {
        leave_half_open(sa);
        sa.established_ms = clock_.now_ms();
        sa.established_unix = clock_.now_unix();
        sa.next_dpd_ms = sa.established_ms + ctx_.config->dpd.interval_s * 1000ull;
        ++counters_.ike_sa_established;
        LOG_EXCH(Platform, "(%u): connection UP, peer %s, id '%s', user '%s'%s%s", sa.unique_id,
                 sa.remote.to_string().c_str(), sa.peer_id.c_str(), sa.username.c_str(),
                 sa.assigned_address ? ", assigned " : "",
                 sa.assigned_address ? sa.assigned_address->to_string().c_str() : "");
        if (on_session_up) on_session_up(sa);
    }
    if (result.close_after) close_sa(sa, result.reason, false);
}

ExchangeResult Gateway::dispatch(IkeSa& sa, iana::ExchangeType exchange, std::vector<wire::Payload> request) {
    const bool established = sa.state == IkeSaState::Established;
    switch (exchange) {
        case ExchangeType::IKE_AUTH:
            if (established) break;
            return handle_ike_auth(ctx_, sa, std::move(request));
        case ExchangeType::INFORMATIONAL:
            if (!established && sa.state != IkeSaState::Deleting) break;
            return handle_informational(ctx_, sa, request);
        case ExchangeType::CREATE_CHILD_SA: {
            if (!established) break;
            if (sa.rekeyed_to) {
                ExchangeResult r;
                r.payloads.push_back(notify_payload(NotifyType::TEMPORARY_FAILURE));
                return r;
            }
            std::unique_ptr<IkeSa> successor;
            ExchangeResult r = handle_create_child(ctx_, sa, request, &successor);
            if (successor) adopt_rekeyed_sa(sa, std::move(successor));
            return r;
        }
        default: break;
    }
    ExchangeResult r;
    r.payloads.push_back(notify_payload(NotifyType::INVALID_SYNTAX));
    return r;
}

void Gateway::send_packets(const IkeSa& sa, const std::vector<Bytes>& packets) {
    for (const auto& p : packets) send_(sa.local, sa.remote, p);
}

void Gateway::send_response(IkeSa& sa, const wire::Header& request, const std::vector<wire::Payload>& payloads) {
    wire::Header h;
    h.spi_i = sa.spi_i;
    h.spi_r = sa.spi_r;
    h.exchange = request.exchange;
    h.flags = iana::kFlagResponse;
    h.message_id = request.message_id;
    if (log::enabled(log::Category::Protocol, log::kDump)) {
        wire::Message m{h, payloads};
        LOG_DUMP(Protocol, "(%u): Tx (before encryption)\n%s", sa.unique_id, wire::dump(m).c_str());
    }
    sa.last_response_packets = protect_message(sa, h, payloads, max_message_size(sa));
    if (sa.last_response_packets.size() > 1) counters_.fragments_sent += sa.last_response_packets.size();
    send_packets(sa, sa.last_response_packets);
}

void Gateway::send_request(IkeSa& sa, std::vector<wire::Payload> payloads, OutstandingRequest::Purpose purpose) {
    wire::Header h;
    h.spi_i = sa.spi_i;
    h.spi_r = sa.spi_r;
    h.exchange = ExchangeType::INFORMATIONAL;
    h.flags = 0;  // we are the original responder, and this is a request
    h.message_id = sa.next_own_request_id++;
    OutstandingRequest req;
    req.message_id = h.message_id;
    req.purpose = purpose;
    req.packets = protect_message(sa, h, payloads, max_message_size(sa));
    req.tries = 0;
    std::uint64_t timeout = purpose == OutstandingRequest::Purpose::Dpd
                                ? std::max<std::uint64_t>(1000, ctx_.config->dpd.interval_s * 1000ull)
                                : ctx_.config->global.retransmit_base_ms;
    req.next_retransmit_ms = clock_.now_ms() + timeout;
    send_packets(sa, req.packets);
    sa.outstanding = std::move(req);
}

void Gateway::handle_response(IkeSa& sa, const Endpoint& local, const Endpoint& remote, ByteView data,
                              const wire::Message& msg) {
    if (!sa.outstanding || sa.outstanding->message_id != msg.header.message_id) return;
    Unprotected un = unprotect_message(sa, data, msg);
    if (un.status != Unprotected::Status::Complete) return;
    (void)local;
    (void)remote;
    sa.last_peer_activity_ms = clock_.now_ms();
    auto purpose = sa.outstanding->purpose;
    sa.outstanding.reset();
    if (purpose == OutstandingRequest::Purpose::DeleteIke) {
        sa.state = IkeSaState::Dead;
    } else if (purpose == OutstandingRequest::Purpose::Dpd) {
        sa.next_dpd_ms = clock_.now_ms() + ctx_.config->dpd.interval_s * 1000ull;
    }
}

void Gateway::adopt_rekeyed_sa(IkeSa& old, std::unique_ptr<IkeSa> successor) {
    LOG_EXCH(Protocol, "(%u): IKE SA rekeyed, new SPIs %016llx/%016llx", old.unique_id,
             static_cast<unsigned long long>(successor->spi_i), static_cast<unsigned long long>(successor->spi_r));
    old.rekeyed_to = successor->spi_r;
    old.rekeyed_ms = clock_.now_ms();
    sas_.emplace(successor->spi_r, std::move(successor));  // std::map: `old` stays valid
}

void Gateway::leave_half_open(IkeSa& sa) {
    if (sa.counted_half_open) {
        sa.counted_half_open = false;
        --half_open_;
    }
}

void Gateway::close_sa(IkeSa& sa, const std::string& reason, bool send_delete) {
    if (sa.state == IkeSaState::Dead) return;
    const bool was_up = sa.state == IkeSaState::Established;
    if (!was_up && sa.state != IkeSaState::Deleting) ++counters_.ike_sa_failed;
    leave_half_open(sa);
    LOG_EXCH(Protocol, "(%u): closing IKE SA with %s: %s", sa.unique_id, sa.remote.to_string().c_str(), reason.c_str());
    release_sa_resources(ctx_, sa);
    sa.delete_reason = reason;
    // A rekeyed SA's session lives on in its successor.
    if (was_up && !sa.rekeyed_to && on_session_down) on_session_down(sa, reason);
    if (send_delete && was_up) {
        sa.state = IkeSaState::Deleting;
        send_request(sa, delete_ike_request(), OutstandingRequest::Purpose::DeleteIke);
    } else {
        sa.state = IkeSaState::Dead;
    }
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
    switch (sa.state) {
        case IkeSaState::InitDone:
        case IkeSaState::Authenticating:
            if (now >= sa.auth_deadline_ms) close_sa(sa, "IKE_AUTH not completed in time", false);
            return;
        case IkeSaState::Dead: return;
        case IkeSaState::Established:
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
                sa.state = IkeSaState::Dead;
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

void Gateway::on_timer() {
    const std::uint64_t now = clock_.now_ms();
    cookies_.maybe_rotate(now);
    for (auto& [spi, sa] : sas_) run_sa_timers(*sa, now);
    reap();
}

std::uint64_t Gateway::next_deadline_ms() const { return clock_.now_ms() + kTickMs; }

void Gateway::reap() {
    for (auto it = sas_.begin(); it != sas_.end();) {
        if (it->second->state == IkeSaState::Dead) {
            init_index_.erase({it->second->spi_i, it->second->init_remote});
            it = sas_.erase(it);
        } else {
            ++it;
        }
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
    for (auto& [spi, sa] : sas_) close_sa(*sa, "gateway shutting down", true);
    for (auto& [spi, sa] : sas_) sa->state = IkeSaState::Dead;
    reap();
}

}  // namespace ikev2d::ike
