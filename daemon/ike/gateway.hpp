// The responder: owns the IKE SA table and routes each datagram to its SA and
// exchange. It keeps the message-ID windows (window size 1), answers retransmitted
// requests from its cache without redoing work, retransmits its own requests
// (DPD probes, Deletes), and runs the per-SA timers. It has no event loop of its
// own: the daemon feeds it datagrams and calls on_timer(); tests do the same with
// a fake clock, a fake kernel and an in-process initiator.
//
// Its jobs live in one file each: gateway.cpp (datagram routing, the exception
// boundary, the session table), sa_init_admission.cpp (IKE_SA_INIT: retransmissions,
// half-open admission and cookies), message_window.cpp (requests and responses on an
// IKE SA: message IDs, protection, rate limits, dispatch) and sa_timers.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "ike/context.hpp"
#include "ike/cookie.hpp"
#include "ike/exchange.hpp"
#include "ike/fragment_reassembly.hpp"
#include "ike/half_open_admission.hpp"
#include "ike/ike_sa.hpp"
#include "ike/sa_deadlines.hpp"
#include "ike/sa_init.hpp"
#include "ike/work_budget.hpp"
#include "util/worker_pool.hpp"
#include "wire/message.hpp"

namespace ikev2d::ike {

class Gateway {
public:
    using SendFn = std::function<void(const Endpoint& local, const Endpoint& remote, ByteView data)>;
    struct Clock {
        std::function<std::uint64_t()> now_ms;    // monotonic
        std::function<std::uint64_t()> now_unix;  // wall clock, seconds
    };

    // executor: where the expensive work of the exchanges runs (util/worker_pool.hpp); it
    // must outlive the gateway, and run completions on the thread that feeds it datagrams.
    Gateway(std::shared_ptr<const config::Config> config, std::shared_ptr<const Credentials> credentials,
            kernel::KernelIpsec& kernel, SendFn send, Clock clock, util::Executor& executor);
    ~Gateway();
    Gateway(const Gateway&) = delete;
    Gateway& operator=(const Gateway&) = delete;

    void handle_datagram(const Endpoint& local, const Endpoint& remote, ByteView data);
    // Runs the timers that are due; call it again at next_deadline_ms() (at most 1 s
    // ahead), and sooner if that moved earlier after handle_datagram().
    void on_timer();
    std::uint64_t next_deadline_ms() const;

    // A new configuration (reload). Existing SAs keep what they negotiated.
    void replace_config(std::shared_ptr<const config::Config> config, std::shared_ptr<const Credentials> credentials);
    // Sends a Delete and removes kernel state; returns how many IKE SAs it closed.
    std::uint32_t disconnect(std::uint32_t unique_id, const std::string& reason);
    std::uint32_t disconnect_user(const std::string& username, const std::string& reason);
    // RADIUS CoA (RFC 5176): new limits for a live session, counted from now (0 = none);
    // an absent one is left as it is. Returns how many IKE SAs it changed.
    std::uint32_t change_session_limits(std::uint32_t unique_id, std::optional<std::uint32_t> session_timeout_s,
                                        std::optional<std::uint32_t> idle_timeout_s);
    // Daemon stop: a Delete to every peer, every SA and lease removed.
    void shutdown();
    // RFC 5685 6 (redirect.cpp): sends the client of this established session an
    // INFORMATIONAL with REDIRECT to `gateway` (address or host name); "" when sent, else why not.
    std::string redirect(std::uint32_t unique_id, const std::string& gateway);

    // By our (responder) SPI, which we draw at random: a hash table with the SPI as its
    // own hash (a std::map's cache miss per tree level was a few % of a handshake at tens
    // of thousands of SAs, perf).
    // Iteration order means nothing (it did not with random SPIs either).
    using SaTable = std::unordered_map<std::uint64_t, std::unique_ptr<IkeSa>>;
    const SaTable& sas() const { return sas_; }
    const Counters& counters() const { return counters_; }
    std::size_t half_open() const { return admission_.total(); }
    const SaDeadlines& deadlines() const { return deadlines_; }
    // Bytes held by partial RFC 7383 messages of all IKE SAs.
    std::size_t reassembly_bytes() const { return reassembly_budget_.used(); }
    const config::Config& config() const { return *ctx_.config; }
    kernel::KernelIpsec& kernel() const { return *ctx_.kernel; }
    const std::map<std::string, config::AddressPool>& pools() const { return pools_; }

    // The RADIUS client for groups with authentication = "radius" (nullptr: none).
    void set_radius(std::shared_ptr<aaa::RadiusClient> client, util::Executor* io = nullptr) {
        ctx_.radius = std::move(client);
        ctx_.radius_io = io;
    }
    // Child SA installs run on `lane` (one at a time, completions on the loop thread) with
    // `kernel`, a KernelIpsec the loop never uses (child_install.hpp); both outlive the
    // gateway. Unset (the default): installs run inline on the loop with the gateway's kernel.
    void set_kernel_lane(kernel::KernelIpsec& kernel, util::Executor& lane) {
        ctx_.lane_kernel = &kernel;
        ctx_.kernel_lane = &lane;
    }
    // Jobs on the executor: IKE_SA_INITs whose keys are being computed (counted
    // half-open), and at most this many jobs in flight, beyond which requests are
    // dropped (the peer retransmits).
    std::size_t sa_inits_in_flight() const { return pending_init_.size(); }
    void set_max_jobs_in_flight(std::size_t n) { max_jobs_in_flight_ = n; }

    // For tests: where responder SPIs come from (default: the system's random source).
    void set_spi_generator(std::function<std::uint64_t()> generator) { ctx_.random_spi = std::move(generator); }

    std::function<void(const IkeSa&)> on_session_up;
    std::function<void(const IkeSa&, const std::string& reason)> on_session_down;

private:
    void apply_work_budget();
    // gateway.cpp: routing, the exception boundary, the table
    void route_datagram(const Endpoint& local, const Endpoint& remote, ByteView data, std::uint64_t& spi_r);
    void contain_failure(std::uint64_t spi_r, const char* where, const char* what);
    void close_sa(IkeSa& sa, const std::string& reason, bool send_delete);
    void leave_half_open(IkeSa& sa);
    void adopt_rekeyed_sa(IkeSa& old, std::unique_ptr<IkeSa> successor);
    void session_up(IkeSa& sa);
    void session_down(IkeSa& sa, const std::string& reason);
    void rebuild_pools();
    // The only way an IKE SA becomes Dead: counted, so that reap() (run after every
    // datagram) walks the SA table only when something died, not once per packet.
    void mark_dead(IkeSa& sa) noexcept;
    void reap();
    // sa_init_admission.cpp
    void handle_sa_init(const Endpoint& local, const Endpoint& remote, ByteView data, const wire::Header& header);
    bool is_known_sa_init(const Endpoint& local, const Endpoint& remote, ByteView data, const wire::Header& h);
    // False (and logged): no room, the new request is dropped.
    bool make_room_for_new_sa(HalfOpenAdmission::Decision decision, const IpAddress& source);
    void complete_sa_init(std::uint64_t spi_r);
    void forget_pending_init(PendingSaInit& pending);
    void drop_pending_inits(const char* why);
    // Jobs: the work on the executor, the completion back here (if the gateway still
    // exists), inside the same exception boundary as a datagram.
    void post_job(std::function<void()> work, util::Executor::Lane lane, std::uint64_t spi_r,
                  std::function<void()> completion, util::Executor* on = nullptr);
    bool jobs_full();
    // message_window.cpp
    void handle_request(IkeSa& sa, const Endpoint& local, const Endpoint& remote, ByteView data, const wire::Message& msg);
    void handle_response(IkeSa& sa, const Endpoint& local, const Endpoint& remote, ByteView data, const wire::Message& msg);
    bool within_rate(IkeSa& sa, iana::ExchangeType exchange, ExchangeResult& refusal);
    ExchangeResult dispatch(IkeSa& sa, iana::ExchangeType exchange, std::vector<wire::Payload> request);
    void defer_answer(IkeSa& sa, const wire::Header& request, std::shared_ptr<DeferredExchange> deferred);
    void complete_answer(std::uint64_t spi_r, std::uint64_t ticket, const DeferredExchange& deferred);
    void answer(IkeSa& sa, const wire::Header& request, const ExchangeResult& result);
    void send_response(IkeSa& sa, const wire::Header& request, const std::vector<wire::Payload>& payloads);
    void send_request(IkeSa& sa, std::vector<wire::Payload> payloads, OutstandingRequest::Purpose purpose);
    void send_packets(const IkeSa& sa, const std::vector<Bytes>& packets);  // our requests: to local/remote
    void send_answer_packets(const IkeSa& sa, const std::vector<Bytes>& packets);  // to where the request came from
    // Encrypts, and fragments per RFC 7383 or Cisco's scheme (the peer's), one message we send.
    std::vector<Bytes> protect(IkeSa& sa, const wire::Header& header, const std::vector<wire::Payload>& payloads);
    // A Cisco fragment (cisco_fragments.hpp): kept; once complete, handled as one datagram.
    void handle_cisco_fragment(IkeSa& sa, const Endpoint& local, const Endpoint& remote, const wire::Message& msg);
    ReassemblyPolicy reassembly_policy();
    std::size_t max_message_size(const IkeSa& sa) const;
    // session_limits.cpp
    void start_session_limits(IkeSa& sa, std::optional<std::uint32_t> session_timeout_s,
                              std::optional<std::uint32_t> idle_timeout_s);
    std::uint64_t session_limits_due(const IkeSa& sa) const;
    bool check_session_limits(IkeSa& sa, std::uint64_t now);  // true: it closed the SA
    void enforce_simultaneous_logins(const IkeSa& fresh);
    // sa_timers.cpp. Every event that may change an SA's deadline ends with rearm(sa);
    // whatever adds an SA to sas_ arms it (a forgotten one is found by arm_untracked()).
    void run_sa_timers(IkeSa& sa, std::uint64_t now);
    std::uint64_t sa_deadline(const IkeSa& sa) const;
    void rearm(IkeSa& sa, std::uint64_t not_before_ms = 0);
    void rearm(std::uint64_t spi_r);
    void rearm_all();
    void compact_deadlines();
    void arm_untracked();
    std::uint64_t rekey_grace_ms() const;
    bool check_lifetime(IkeSa& sa, std::uint64_t now);
    void check_liveness(IkeSa& sa, std::uint64_t now);
    // redirect.cpp: a live redirect the client did not follow in time; true: it closed the SA.
    bool check_redirect_deadline(IkeSa& sa, std::uint64_t now);

    GatewayContext ctx_;
    util::Executor& executor_;
    SendFn send_;
    Clock clock_;
    Counters counters_;
    std::map<std::string, config::AddressPool> pools_;
    CookieJar cookies_;
    SourceWorkBudget work_budget_;  // event-loop time per source address
    HalfOpenAdmission admission_;
    ByteBudget reassembly_budget_;  // before sas_: the SAs' shares return to it when they go
    SaTable sas_;  // by our (responder) SPI
    std::vector<std::uint64_t> dead_spis_;  // SAs marked Dead since the last reap()
    bool reap_by_scan_ = false;             // one could not be listed (out of memory)
    SaDeadlines deadlines_;                 // the SAs' next deadlines, for on_timer()
    std::size_t timer_tracked_ = 0;         // SAs in sas_ that rearm() has seen
    // (SPIi, peer address) -> SPIr: an IKE_SA_INIT retransmission, even from another
    // port (NAT rebinding), finds the SA it created.
    std::map<std::pair<std::uint64_t, IpAddress>, std::uint64_t> init_index_;
    std::uint32_t next_unique_id_ = 1;
    // Worker jobs (issue 11): IKE_SA_INITs waiting for their keys, by SPIr; completions
    // hold a weak copy of alive_ and do nothing once the gateway is gone.
    std::map<std::uint64_t, PendingSaInit> pending_init_;
    std::uint64_t next_job_ticket_ = 0;
    std::uint64_t config_generation_ = 0;  // replace_config() calls
    std::size_t max_jobs_in_flight_ = kDefaultMaxJobsInFlight;
    std::shared_ptr<const bool> alive_ = std::make_shared<const bool>(true);

public:
    // A job takes 0.1-2 ms: 1024 queued is up to a second or two of work, about when
    // the peer would retransmit anyway.
    static constexpr std::size_t kDefaultMaxJobsInFlight = 1024;
};

}  // namespace ikev2d::ike
