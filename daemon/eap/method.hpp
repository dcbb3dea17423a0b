// The interface every EAP method implements, as seen by EapServer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "eap/packet.hpp"
#include "util/bytes.hpp"
#include "util/iana.hpp"

namespace ikev2d::eap {

struct Outcome {
    enum class Kind { Continue, Success, Failure };
    Kind kind{Kind::Failure};
    Bytes next_packet;     // Request to send (Continue), or the final EAP-Success/Failure packet
    std::string username;  // authenticated user on Success
    std::string reason;    // on Failure, for logs, no secrets

    static Outcome proceed(Bytes request) { return {Kind::Continue, std::move(request), {}, {}}; }
    static Outcome success(std::uint8_t identifier, std::string user) {
        return {Kind::Success, make_success(identifier), std::move(user), {}};
    }
    static Outcome failure(std::uint8_t identifier, std::string why) {
        return {Kind::Failure, make_failure(identifier), {}, std::move(why)};
    }
};

// Peer-chosen text (user names) made safe for a log line: control bytes become '?'
// and the length is capped.
std::string loggable(std::string_view peer_text);

class EapMethod {
public:
    virtual ~EapMethod();
    virtual iana::EapType type() const = 0;
    // The first Request of this method, with the given EAP Identifier.
    virtual Bytes start(std::uint8_t identifier) = 0;
    // Each Response from the peer. EapServer has already checked that its Identifier
    // answers the last Request and that its Type is this method's.
    virtual Outcome process(const EapPacket& response) = 0;
    // Master Session Key after Success (MSCHAPv2 yes, MD5/GTC no).
    virtual std::optional<SecureBytes> msk() const { return std::nullopt; }
};

}  // namespace ikev2d::eap
