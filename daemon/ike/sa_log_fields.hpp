// The journal fields (util/log_record.hpp) that identify an IKE SA's session.
#pragma once

#include <string_view>

#include "ike/ike_sa.hpp"
#include "util/log_record.hpp"

namespace ikev2d::ike {

// `peer` is the caller's text of sa.remote (a temporary in the logging statement).
inline log::LogFields sa_log_fields(const IkeSa& sa, std::string_view event, std::string_view peer) {
    log::LogFields f;
    f.event = event;
    f.session = sa.unique_id;
    f.user = sa.username.empty() ? std::string_view(sa.peer_id) : std::string_view(sa.username);
    f.peer = peer;
    f.spi_i = sa.spi_i;
    f.spi_r = sa.spi_r;
    return f;
}

}  // namespace ikev2d::ike
