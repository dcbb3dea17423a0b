// What an exchange handler hands back to the gateway: the response payloads (to be
// encrypted, fragmented, cached and sent) and what should happen to the IKE SA.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wire/payloads.hpp"

namespace ikev2d::ike {

struct ExchangeResult {
    std::vector<wire::Payload> payloads;
    bool close_after = false;  // tear the IKE SA down once the response is out
    bool delete_after = false;  // established but unusable: delete it (INFORMATIONAL) after the response
    bool established = false;  // the IKE SA just became established
    bool auth_failed = false;  // count it as an authentication failure
    std::string reason;        // why it closes (log, status, D-Bus signal)
    // With `established`: limits from the RADIUS server, over the group's (session_limits.cpp).
    std::optional<std::uint32_t> session_timeout_s, idle_timeout_s;
};

}  // namespace ikev2d::ike
