// What an exchange handler hands back to the gateway: the response payloads (to be
// encrypted, fragmented, cached and sent) and what should happen to the IKE SA.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "util/worker_pool.hpp"
#include "wire/payloads.hpp"

namespace ikev2d::ike {

struct GatewayContext;
struct IkeSa;
struct ExchangeResult;

// An answer that needs work off the event loop (signatures, certificate checks, crypt(3)):
// the gateway runs `work` on a worker (it may touch only what it captured), then
// `finish` on the loop with the SA found again; finish's result is the answer (and may
// itself be deferred). While it runs the SA takes no request.
struct DeferredExchange {
    std::function<void()> work;
    std::function<ExchangeResult(GatewayContext&, IkeSa&)> finish;
    // Where `work` runs: nullptr, the gateway's workers (CPU); a RADIUS request, which
    // waits on the network, goes to the RADIUS threads so that it never holds a CPU worker.
    util::Executor* executor = nullptr;
    // Optional: runs on the loop instead of `finish` when the answer is dropped because the
    // SA went away (or closed) meanwhile, to undo what `work` did (a Child SA install).
    std::function<void(GatewayContext&)> abandon = nullptr;
};

struct ExchangeResult {
    std::vector<wire::Payload> payloads;
    bool close_after = false;  // tear the IKE SA down once the response is out
    bool delete_after = false;  // established but unusable: delete it (INFORMATIONAL) after the response
    bool established = false;  // the IKE SA just became established
    bool auth_failed = false;  // count it as an authentication failure
    std::string reason;        // why it closes (log, status, D-Bus signal)
    // With `established`: limits from the RADIUS server, over the group's (session_limits.cpp).
    std::optional<std::uint32_t> session_timeout_s, idle_timeout_s;
    std::shared_ptr<DeferredExchange> deferred;  // set: no answer yet, see DeferredExchange
};

}  // namespace ikev2d::ike
