// What every exchange handler needs from the gateway around it: configuration,
// credentials, the kernel, address pools, counters and the clock. Handlers reach the
// kernel only through kernel::KernelIpsec.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aaa/radius_client.hpp"
#include "config/address_pool.hpp"
#include "config/config.hpp"
#include "crypto/cert_store.hpp"
#include "crypto/private_key.hpp"
#include "crypto/x509.hpp"
#include "eap/eap_tls_session.hpp"
#include "ike/reqid_allocator.hpp"
#include "kernel/kernel_ipsec.hpp"
#include "util/worker_pool.hpp"

namespace ikev2d::ike {

struct IkeSa;

// The gateway's own identity and trust anchors.
struct Credentials {
    std::vector<crypto::Certificate> chain;  // [0] = our certificate, then intermediates
    std::optional<crypto::PrivateKey> key;
    crypto::CertStore trusted;  // CAs for client certificates
    // Workers take these around signing with `key` and verifying with `trusted`
    // (own_identity.hpp, peer_authentication.hpp say why).
    std::shared_ptr<std::mutex> key_lock = std::make_shared<std::mutex>();
    std::shared_ptr<std::mutex> trust_lock = std::make_shared<std::mutex>();
    // EAP-TLS (issue 12): the TLS server's credentials, made from chain, key and trusted
    // on first use (ike_auth.cpp) and shared by the sessions; touched on the loop only.
    // Weak: the credentials hold these Credentials (their trust store) alive, so a strong
    // reference here would be a cycle that never goes; made again once no session holds them.
    mutable std::weak_ptr<const eap::tls::ServerCredentials> eap_tls;
};

struct Counters {
    std::uint64_t ike_sa_created = 0, ike_sa_established = 0, ike_sa_failed = 0, auth_failures = 0;
    std::uint64_t retransmits = 0, fragments_sent = 0, fragments_received = 0;
    std::uint64_t dpd_sent = 0, dpd_timeouts = 0, cookies_sent = 0, invalid_packets = 0;
    // Defences against hostile peers: what each limit turned away.
    std::uint64_t malformed_requests = 0;   // authenticated, but answered INVALID_SYNTAX / UNSUPPORTED_CRITICAL_PAYLOAD
    std::uint64_t half_open_refused = 0;    // IKE_SA_INIT from a source at its half-open limit without a valid cookie
    std::uint64_t half_open_evicted = 0;    // half-open SAs closed to admit a client with a valid cookie
    std::uint64_t fragments_dropped = 0;    // RFC 7383 fragments over a reassembly budget, or timed out
    std::uint64_t create_child_rate_limited = 0;  // answered TEMPORARY_FAILURE
    std::uint64_t informational_rate_limited = 0;  // dropped, message ID not consumed
    std::uint64_t lifetime_expired = 0;     // IKE SAs deleted past their lifetime
    std::uint64_t handler_errors = 0;       // exceptions caught at the gateway boundary
    std::uint64_t work_budget_drops = 0;    // datagrams of a source that spent its event-loop budget
    std::uint64_t timer_sa_visits = 0;      // IKE SAs whose timers ran (only those due, never a scan of all)
    // Worker jobs (issue 11)
    std::uint64_t sa_init_pending_drops = 0;  // IKE_SA_INIT copies dropped while the first is being answered
    std::uint64_t jobs_refused = 0;           // requests dropped: too many jobs in flight
    std::uint64_t jobs_discarded = 0;         // finished jobs whose SA or request was gone (closed, reload, shutdown)
    std::uint64_t request_pending_drops = 0;  // copies of a request dropped while its answer is being computed
    std::uint64_t redirects = 0;  // clients sent to another gateway (RFC 5685: load rule, RADIUS, ikectl redirect)
};

struct GatewayContext {
    std::shared_ptr<const config::Config> config;
    std::shared_ptr<const Credentials> credentials;
    kernel::KernelIpsec* kernel = nullptr;
    std::map<std::string, config::AddressPool>* pools = nullptr;
    Counters* counters = nullptr;
    std::function<std::uint64_t()> now_ms;
    std::function<std::uint64_t()> now_unix;
    // INITIAL_CONTACT (RFC 7296 2.4): the gateway closes the user's older IKE SAs, before
    // the new one takes an address, so that a restarted client gets its address back.
    std::function<void(const IkeSa&)> replace_older_sas;
    ReqidAllocator reqids;  // of live Child SAs; reused after release
    // Draws a responder SPI for a new IKE SA (crypto::random_spi unless a test sets it).
    std::function<std::uint64_t()> random_spi;
    // True when an IKE SA with this responder SPI exists (a fresh SPI must not collide).
    std::function<bool(std::uint64_t)> ike_spi_in_use;
    std::uint32_t next_child_id = 1;
    // The RADIUS client of [radius] (app/aaa_service), or nullptr, and the threads its
    // requests wait on (nullptr: the gateway's workers, as in tests).
    std::shared_ptr<aaa::RadiusClient> radius;
    util::Executor* radius_io = nullptr;
    // Redirect (redirect.hpp): sessions up now (the gateway's session_up minus
    // session_down), and the next of [redirect] gateways in turn.
    std::size_t live_sessions = 0;
    std::size_t redirect_turn = 0;
    // The kernel lane (child_install.hpp): Child SA installs run there one at a time, with
    // lane_kernel (its own netlink sockets; nullptr: `kernel`, as in tests with one thread).
    // kernel_lane nullptr: they run inline on the loop.
    util::Executor* kernel_lane = nullptr;
    kernel::KernelIpsec* lane_kernel = nullptr;
};

}  // namespace ikev2d::ike
