// IKE_SA_INIT, responder side (RFC 7296 1.2, 2.6 cookies, 2.23 NAT detection,
// RFC 7383 fragmentation and RFC 7427 hash algorithm announcements).
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ike/context.hpp"
#include "ike/cookie.hpp"
#include "ike/ike_sa.hpp"
#include "wire/message.hpp"

namespace ikev2d::ike {

// The part of IKE_SA_INIT that takes time, run on a worker: our DH key pair, the shared
// secret and the key derivation. It holds its own copies of what it reads and touches
// nothing else, so that it may run while the loop goes on.
struct SaInitKeying {
    // In
    iana::DhGroup group{};
    Bytes peer_public;
    iana::PrfId prf{};
    Bytes nonce_i, nonce_r;
    std::uint64_t spi_i = 0, spi_r = 0;
    std::size_t integ_key_size = 0, encr_key_size = 0;
    // Out
    Bytes own_public;
    crypto::IkeSaKeys keys;
    std::string error;  // set when the peer's KE value is invalid (or the job failed)
    std::uint64_t worker_us = 0;  // time it took, charged to the peer's work budget
    // Set by the loop when the request was dropped while queued (replaced, evicted,
    // reload): the worker then skips the key exchange, so dropped requests cost no DH.
    std::atomic<bool> cancelled{false};
};
void compute_sa_init_keying(SaInitKeying& job);

// An IKE_SA_INIT accepted so far: the new SA without keys, and what its answer needs.
struct PendingSaInit {
    std::unique_ptr<IkeSa> sa;
    wire::Proposal proposal;  // the one chosen
    std::uint16_t ke_group = 0;
    std::shared_ptr<SaInitKeying> keying;
};

struct SaInitOutcome {
    Bytes response;               // an immediate (error or COOKIE) answer; empty: drop silently
    std::optional<PendingSaInit> pending;  // set when the keying job is to run
    std::string failure;          // why no SA is created (for the log)
    bool cookie_sent = false;
    bool redirected = false;      // `response` sends the client to another gateway (redirect.hpp)
};

// On the loop: checks the request, cookies and proposals, and prepares the SA and its
// keying job (or the error answer).
SaInitOutcome prepare_sa_init(GatewayContext& ctx, const CookieJar& cookies, bool require_cookie,
                              const Endpoint& local, const Endpoint& remote, ByteView packet,
                              const wire::Message& request);

// On the loop, once the keying job has run: the keys into the SA, its answer into
// sa->init_response. On failure returns false with the reason and an error answer.
bool finish_sa_init(const GatewayContext& ctx, PendingSaInit& pending, std::string& failure, Bytes& error_response);

// An unencrypted IKE_SA_INIT error answer carrying one notify (no SA is created).
Bytes sa_init_error_response(const wire::Header& request, iana::NotifyType type, Bytes data = {});

}  // namespace ikev2d::ike
