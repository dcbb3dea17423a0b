// Requests and responses on an established or negotiating IKE SA: the message-ID
// window (size 1) with its cache of the last answer, protection (SK/SKF) and its
// failures, per-SA rate limits, and dispatch to the exchange handlers.
#include <algorithm>

#include "ike/cisco_fragments.hpp"
#include "ike/create_child.hpp"
#include "ike/gateway.hpp"
#include "ike/ike_auth.hpp"
#include "ike/informational.hpp"
#include "ike/message_protection.hpp"
#include "ike/payload_helpers.hpp"
#include "ike/sa_log_fields.hpp"
#include "ike/session_policy.hpp"
#include "util/log.hpp"
#include "wire/dump.hpp"
#include "wire/parser.hpp"

namespace ikev2d::ike {

using iana::ExchangeType;
using iana::NotifyType;

std::size_t Gateway::max_message_size(const IkeSa& sa) const {
    return max_ike_message_size(ctx_.config->global.fragment_mtu, !sa.remote.addr.is_v4(), sa.local.port != 500);
}

ReassemblyPolicy Gateway::reassembly_policy() {
    ReassemblyPolicy p;
    p.max_bytes_per_sa = ctx_.config->global.reassembly_max_bytes_per_sa;
    p.max_bytes_total = ctx_.config->global.reassembly_max_bytes_total;
    p.budget = &reassembly_budget_;
    p.now_ms = clock_.now_ms();
    return p;
}

void Gateway::handle_request(IkeSa& sa, const Endpoint& local, const Endpoint& remote, ByteView data,
                             const wire::Message& msg) {
    const wire::Header& h = msg.header;
    const auto* skf = msg.payloads.empty() ? nullptr : std::get_if<wire::SkfPayload>(&msg.payloads.back().body);
    const bool first_packet = skf == nullptr || skf->fragment_number == 1;
    if (sa.pending_answer && h.message_id == sa.pending_answer->request.message_id) {
        // Its answer is being computed: sent once ready, cached for later copies.
        ++counters_.request_pending_drops;
        return;
    }
    if (h.exchange == ExchangeType::IKE_AUTH && h.message_id == sa.next_peer_request_id && jobs_full()) {
        // Dropped before anything changes: the peer's retransmission finds room later.
        LOG_INFO(Protocol, "(%u): %zu jobs in flight, IKE_AUTH request dropped", sa.unique_id, executor_.in_flight());
        return;
    }
    if (sa.last_response_id && h.message_id == *sa.last_response_id) {
        // A retransmission: the cached answer, byte for byte, and no work redone. Only an
        // exact copy of the request (of its first fragment) counts, so that forged
        // packets cannot make us resend; a fragmented request is answered once.
        if (!first_packet || !std::equal(data.begin(), data.end(), sa.last_request_first_packet.begin(),
                                         sa.last_request_first_packet.end()))
            return;
        ++counters_.retransmits;
        send_answer_packets(sa, sa.last_response_packets);
        return;
    }
    if (h.message_id != sa.next_peer_request_id) {
        LOG_INFO(Protocol, "(%u): request with message ID %u, expected %u: dropped", sa.unique_id, h.message_id,
                 sa.next_peer_request_id);
        return;
    }
    Unprotected un = unprotect_message(sa, data, msg, reassembly_policy());
    switch (un.status) {
        case Unprotected::Status::Invalid:
            // Not authenticated: no answer, the message ID stays (RFC 7296 2.21.2).
            ++counters_.invalid_packets;
            LOG_EXCH(Protocol, "(%u): message %u dropped: %s", sa.unique_id, h.message_id, un.error.c_str());
            return;
        case Unprotected::Status::FragmentDropped:
            counters_.fragments_dropped += un.fragments_dropped;
            LOG_INFO(Protocol, "(%u): message %u: %zu fragments dropped: %s", sa.unique_id, h.message_id,
                     un.fragments_dropped, un.error.c_str());
            return;
        case Unprotected::Status::NeedMoreFragments:
        case Unprotected::Status::Malformed:
        case Unprotected::Status::Complete: break;
    }
    if (first_packet) sa.last_request_first_packet.assign(data.begin(), data.end());
    if (un.was_fragmented) ++counters_.fragments_received;
    if (un.status == Unprotected::Status::NeedMoreFragments) return;

    // Authenticated: answer to where it came from (RFC 7296 2.11), and the SA follows (NAT-T
    // port floating, 2.23) unless MOBIKE lets only UPDATE_SA_ADDRESSES move it (mobike.hpp).
    sa.request_local = local;
    sa.request_remote = remote;
    if (!sa.mobike) {
        sa.local = local;
        sa.remote = remote;
    }
    sa.last_peer_activity_ms = clock_.now_ms();
    if (un.status == Unprotected::Status::Malformed) {
        // Authentic but unparsable: the error notify goes back encrypted and the message
        // ID is used up like for any answered request (RFC 7296 2.21.2, 3.10.1).
        ++counters_.malformed_requests;
        ExchangeResult r;
        r.payloads.push_back(notify_payload(un.malformed->notify(), un.malformed->notify_data()));
        LOG_INFO(Protocol, "(%u): %s request %u malformed, answering %s: %s", sa.unique_id, iana::name(h.exchange).c_str(),
                 h.message_id, iana::name(un.malformed->notify()).c_str(), un.error.c_str());
        if (sa.state != IkeSaState::Established && sa.state != IkeSaState::Deleting) {
            // A failed IKE_AUTH leaves no IKE SA behind.
            r.close_after = true;
            r.reason = "malformed " + iana::name(h.exchange) + " request";
        }
        answer(sa, h, r);
        return;
    }
    ExchangeResult refusal;
    if (!within_rate(sa, h.exchange, refusal)) {
        if (!refusal.payloads.empty()) answer(sa, h, refusal);
        return;
    }
    if (log::enabled(log::Category::Protocol, log::kDump)) {
        wire::Message inner{h, un.payloads};
        LOG_DUMP(Protocol, "(%u): Rx decrypted\n%s", sa.unique_id, wire::dump(inner).c_str());
    }
    ExchangeResult result = dispatch(sa, h.exchange, std::move(un.payloads));
    if (result.deferred) {
        defer_answer(sa, h, std::move(result.deferred));
        return;
    }
    answer(sa, h, result);
}

void Gateway::defer_answer(IkeSa& sa, const wire::Header& request, std::shared_ptr<DeferredExchange> deferred) {
    const std::uint64_t ticket = ++next_job_ticket_;
    sa.pending_answer = IkeSa::PendingAnswer{request, ticket, config_generation_};
    const std::uint64_t spi_r = sa.spi_r;
    // Signatures, chain checks and crypt(3): the long lane, never ahead of anyone's IKE_SA_INIT.
    post_job(deferred->work, util::Executor::Lane::Long, spi_r,
             [this, spi_r, ticket, deferred] { complete_answer(spi_r, ticket, *deferred); }, deferred->executor);
}

void Gateway::complete_answer(std::uint64_t spi_r, std::uint64_t ticket, const DeferredExchange& deferred) {
    auto it = sas_.find(spi_r);
    if (it == sas_.end() || !it->second->pending_answer || it->second->pending_answer->ticket != ticket) {
        ++counters_.jobs_discarded;  // the SA is gone (or another took its SPI)
        if (deferred.abandon) deferred.abandon(ctx_);
        return;
    }
    IkeSa& sa = *it->second;
    const IkeSa::PendingAnswer pending = *sa.pending_answer;
    sa.pending_answer.reset();
    if (sa.state == IkeSaState::Dead || sa.state == IkeSaState::Deleting) {
        ++counters_.jobs_discarded;  // closed meanwhile (disconnect, timeout, shutdown)
        if (deferred.abandon) deferred.abandon(ctx_);
        return;
    }
    ExchangeResult result = deferred.finish(ctx_, sa);
    if (result.deferred) {
        defer_answer(sa, pending.request, std::move(result.deferred));
        return;
    }
    answer(sa, pending.request, result);
    // A reload while the job ran did not see this session: the same check as for the others.
    if (result.established && pending.config_generation != config_generation_ && sa.state == IkeSaState::Established &&
        !still_admitted(*ctx_.config, sa))
        close_sa(sa, "user removed by reload", true);
}

bool Gateway::within_rate(IkeSa& sa, ExchangeType exchange, ExchangeResult& refusal) {
    const config::GlobalConfig& g = ctx_.config->global;
    const std::uint64_t now = clock_.now_ms();
    if (exchange == ExchangeType::CREATE_CHILD_SA && sa.state == IkeSaState::Established) {
        if (sa.create_child_rate.allow(now, g.create_child_per_minute)) return true;
        // RFC 7296 2.25 lets a responder refuse for now with TEMPORARY_FAILURE; the peer
        // retries later and the IKE SA stays.
        ++counters_.create_child_rate_limited;
        LOG_INFO(Protocol, "(%u): more than %u CREATE_CHILD_SA requests a minute, answering TEMPORARY_FAILURE",
                 sa.unique_id, g.create_child_per_minute);
        refusal.payloads.push_back(notify_payload(NotifyType::TEMPORARY_FAILURE));
        return false;
    }
    if (exchange == ExchangeType::INFORMATIONAL) {
        if (sa.informational_rate.allow(now, g.informational_per_minute)) return true;
        // INFORMATIONAL has no "try later" error. Dropping without using up the message
        // ID looks like a lost packet to the peer (RFC 7296 2.1): it retransmits, and
        // the retransmission is served once the budget has refilled.
        ++counters_.informational_rate_limited;
        LOG_INFO(Protocol, "(%u): more than %u INFORMATIONAL requests a minute, request dropped", sa.unique_id,
                 g.informational_per_minute);
        return false;
    }
    return true;
}

void Gateway::answer(IkeSa& sa, const wire::Header& request, const ExchangeResult& result) {
    send_response(sa, request, result.payloads);
    sa.last_response_id = request.message_id;
    sa.next_peer_request_id = request.message_id + 1;

    if (result.auth_failed) {
        ++counters_.auth_failures;
        IKEV2D_LOG_FIELDS(Platform, log::kExchange, Warning, sa_log_fields(sa, "auth-failed", sa.remote.to_string()),
                          "(%u): login refused, peer %s, id '%s': %s", sa.unique_id, sa.remote.to_string().c_str(),
                          sa.peer_id.c_str(), result.reason.c_str());
    }
    if (result.established) {
        leave_half_open(sa);
        sa.drop_negotiation_state();
        sa.established_ms = clock_.now_ms();
        sa.established_unix = clock_.now_unix();
        sa.next_dpd_ms = sa.established_ms + ctx_.config->dpd.interval_s * 1000ull;
        ++counters_.ike_sa_established;
        IKEV2D_LOG_FIELDS(Platform, log::kExchange, Info, sa_log_fields(sa, "session-up", sa.remote.to_string()),
                          "(%u): connection UP, peer %s, id '%s', user '%s'%s%s%s%s", sa.unique_id,
                          sa.remote.to_string().c_str(), sa.peer_id.c_str(), sa.username.c_str(),
                          sa.assigned_address ? ", assigned " : "",
                          sa.assigned_address ? sa.assigned_address->to_string().c_str() : "",
                          sa.assigned_address6 ? (sa.assigned_address ? " and " : ", assigned ") : "",
                          sa.assigned_address6 ? sa.assigned_address6->to_string().c_str() : "");
        start_session_limits(sa, result.session_timeout_s, result.idle_timeout_s);
        enforce_simultaneous_logins(sa);
        session_up(sa);
    }
    if (result.close_after) close_sa(sa, result.reason, false);
    else if (result.delete_after) close_sa(sa, result.reason, true);
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

void Gateway::send_answer_packets(const IkeSa& sa, const std::vector<Bytes>& packets) {
    for (const auto& p : packets) send_(sa.request_local, sa.request_remote, p);
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
    sa.last_response_packets = protect(sa, h, payloads);
    if (sa.last_response_packets.size() > 1) counters_.fragments_sent += sa.last_response_packets.size();
    send_answer_packets(sa, sa.last_response_packets);
}

std::vector<Bytes> Gateway::protect(IkeSa& sa, const wire::Header& header, const std::vector<wire::Payload>& payloads) {
    std::vector<Bytes> packets = protect_message(sa, header, payloads, max_message_size(sa));
    // RFC 7383, when negotiated, has already fragmented it; Cisco's scheme only otherwise.
    if (sa.peer_fragmentation || !sa.peer_cisco_fragmentation || packets.size() != 1 ||
        packets.front().size() <= max_message_size(sa))
        return packets;
    const std::uint16_t id = sa.next_cisco_fragment_id++;
    if (sa.next_cisco_fragment_id == 0) sa.next_cisco_fragment_id = 1;
    std::vector<Bytes> fragments = cisco_fragment(packets.front(), id, max_message_size(sa));
    LOG_INFO(Protocol, "(%u): fragmenting packet, fragment MTU: %zu, fragments: %zu, fragment ID: %u", sa.unique_id,
             max_message_size(sa), fragments.size(), id);
    return fragments;
}

void Gateway::handle_cisco_fragment(IkeSa& sa, const Endpoint& local, const Endpoint& remote, const wire::Message& msg) {
    const wire::Header& h = msg.header;
    const auto& fragment = std::get<wire::CiscoFragmentPayload>(msg.payloads.back().body);
    // Only from peers that announced the scheme, and only for a message we would take:
    // the next request (or a copy of the last, for the cached answer), or our request's answer.
    const bool wanted = h.is_response() ? sa.outstanding && sa.outstanding->message_id == h.message_id
                                        : h.message_id == sa.next_peer_request_id ||
                                              (sa.last_response_id && h.message_id == *sa.last_response_id);
    if (!sa.peer_cisco_fragmentation || msg.payloads.size() != 1 || !wanted) {
        ++counters_.invalid_packets;
        LOG_INFO(Protocol, "(%u): unexpected Cisco fragment for message %u dropped", sa.unique_id, h.message_id);
        return;
    }
    CiscoFragmentOutcome added = add_cisco_fragment(sa, h, fragment, reassembly_policy());
    counters_.fragments_dropped += added.fragments_dropped;
    switch (added.status) {
        case CiscoFragmentOutcome::Status::Ignored:
        case CiscoFragmentOutcome::Status::Dropped:
            ++counters_.invalid_packets;
            LOG_INFO(Protocol, "(%u): Cisco fragment %u of ID %u (message %u) dropped: %s", sa.unique_id, fragment.number,
                     fragment.fragment_id, h.message_id, added.error.c_str());
            return;
        case CiscoFragmentOutcome::Status::Stored: ++counters_.fragments_received; return;
        case CiscoFragmentOutcome::Status::Complete: ++counters_.fragments_received; break;
    }
    auto whole = wire::parse_message(added.whole);
    if (std::string error = check_reassembled(h, whole); !error.empty()) {
        ++counters_.invalid_packets;
        LOG_INFO(Protocol, "(%u): Cisco-fragmented message %u dropped: %s", sa.unique_id, h.message_id, error.c_str());
        return;
    }
    // From here on it is one datagram like any other: authenticated (or dropped) there.
    if (h.is_response())
        handle_response(sa, local, remote, added.whole, whole.value());
    else
        handle_request(sa, local, remote, added.whole, whole.value());
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
    req.packets = protect(sa, h, payloads);
    req.tries = 0;
    std::uint64_t timeout = purpose == OutstandingRequest::Purpose::Dpd
                                ? std::max<std::uint64_t>(1000, ctx_.config->dpd.interval_s * 1000ull)
                                : ctx_.config->global.retransmit_base_ms;
    req.next_retransmit_ms = clock_.now_ms() + timeout;
    send_packets(sa, req.packets);
    sa.outstanding = std::move(req);
    rearm(sa);
}

void Gateway::handle_response(IkeSa& sa, const Endpoint& local, const Endpoint& remote, ByteView data,
                              const wire::Message& msg) {
    if (!sa.outstanding || sa.outstanding->message_id != msg.header.message_id) return;
    Unprotected un = unprotect_message(sa, data, msg, reassembly_policy());
    if (un.status == Unprotected::Status::FragmentDropped) counters_.fragments_dropped += un.fragments_dropped;
    // A malformed answer still proves the peer alive; nothing in it is needed.
    if (un.status != Unprotected::Status::Complete && un.status != Unprotected::Status::Malformed) return;
    (void)local;
    (void)remote;
    sa.last_peer_activity_ms = clock_.now_ms();
    auto purpose = sa.outstanding->purpose;
    sa.outstanding.reset();
    if (purpose == OutstandingRequest::Purpose::DeleteIke) {
        mark_dead(sa);
    } else if (purpose == OutstandingRequest::Purpose::Dpd) {
        sa.next_dpd_ms = clock_.now_ms() + ctx_.config->dpd.interval_s * 1000ull;
    }
}

}  // namespace ikev2d::ike
