// IKE_SA_INIT, responder side (RFC 7296 1.2, 2.6 cookies, 2.23 NAT detection,
// RFC 7383 fragmentation and RFC 7427 hash algorithm announcements).
#pragma once

#include <memory>
#include <string>

#include "ike/context.hpp"
#include "ike/cookie.hpp"
#include "ike/ike_sa.hpp"
#include "wire/message.hpp"

namespace ikev2d::ike {

struct SaInitOutcome {
    Bytes response;               // empty: drop silently
    std::unique_ptr<IkeSa> sa;    // set when an IKE SA was created
    std::string failure;          // why no SA was created (for the log)
    bool cookie_sent = false;
};

SaInitOutcome respond_sa_init(GatewayContext& ctx, const CookieJar& cookies, bool require_cookie,
                              const Endpoint& local, const Endpoint& remote, ByteView packet,
                              const wire::Message& request);

// An unencrypted IKE_SA_INIT error answer carrying one notify (no SA is created).
Bytes sa_init_error_response(const wire::Header& request, iana::NotifyType type, Bytes data = {});

}  // namespace ikev2d::ike
