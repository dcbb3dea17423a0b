// RFC 5176 Dynamic Authorization: the Disconnect-Request and CoA-Request a RADIUS server
// sends to the gateway, and the ACK/NAK it gets back. radcli has only the client side,
// so these few packets are decoded here: every length is checked, the Request
// Authenticator (and a Message-Authenticator, when present) is verified in constant
// time before anything is believed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.hpp"
#include "util/ip_address.hpp"
#include "util/result.hpp"

namespace ikev2d::aaa {

enum class DaeKind : std::uint8_t { Disconnect = 40, CoA = 43 };

// RFC 5176 3.6 Error-Cause values the gateway uses.
enum class DaeErrorCause : std::uint32_t {
    UnsupportedAttribute = 401,
    MissingAttribute = 402,
    NasIdentificationMismatch = 403,
    InvalidRequest = 404,
    SessionContextNotFound = 503,
    ResourcesUnavailable = 506,
};

struct DaeRequest {
    DaeKind kind = DaeKind::Disconnect;
    std::uint8_t identifier = 0;
    Bytes authenticator;  // the request's, for the response's authenticator
    // Session identification (RFC 5176 3): any of these; all given must match.
    std::optional<std::string> user_name, acct_session_id, nas_identifier, calling_station_id;
    std::optional<IpAddress> framed_ip;
    // What a CoA changes.
    std::optional<std::uint32_t> session_timeout_s, idle_timeout_s;
    std::optional<std::string> filter_id;
    // An attribute the gateway does not act on (its type), for an Error-Cause 401.
    std::optional<std::uint8_t> unsupported_attribute;

    bool identifies_a_session() const { return user_name || acct_session_id || framed_ip; }
};

// The packet, checked against `secret`; the error says why it was refused (no secret in it).
Result<DaeRequest, std::string> parse_dae_request(ByteView packet, std::string_view secret);

// Disconnect-ACK/NAK or CoA-ACK/NAK for `request`, with an Error-Cause on a NAK.
Bytes dae_response(const DaeRequest& request, bool ack, std::optional<DaeErrorCause> cause, std::string_view secret);

}  // namespace ikev2d::aaa
