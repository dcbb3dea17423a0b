// The RFC 5176 Dynamic Authorization endpoint ([radius] dae_port): Disconnect-Requests
// from the configured RADIUS servers (each checked with its own secret) end the sessions
// they name; CoA-Requests change their Session-Timeout / Idle-Timeout (a Filter-Id, which
// would move a live session to another group, is refused with Error-Cause 401). Decoding is
// aaa/dae_packet; this file is the socket and the decision.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "aaa/dae_packet.hpp"
#include "aaa/radius_settings.hpp"
#include "net/event_loop.hpp"
#include "util/ip_address.hpp"

namespace ikev2d::app {

class DaeResponder {
public:
    // find: the unique ids of the live sessions a request names (all its identifying
    // attributes must match); disconnect: ends one; change: applies a CoA's new limits to one.
    using Find = std::function<std::vector<std::uint32_t>(const aaa::DaeRequest&)>;
    using Disconnect = std::function<void(std::uint32_t)>;
    using Change = std::function<void(std::uint32_t, const aaa::DaeRequest&)>;

    DaeResponder(aaa::RadiusSettings settings, Find find, Disconnect disconnect, Change change);

    // The answer to a datagram from `source`, or nullopt when it gets none (not from a
    // configured server, or not authentic).
    std::optional<Bytes> answer(const IpAddress& source, ByteView datagram);

    std::uint64_t refused() const { return refused_; }

private:
    aaa::RadiusSettings settings_;
    Find find_;
    Disconnect disconnect_;
    Change change_;
    std::uint64_t refused_ = 0;
};

// The UDP socket on the event loop.
class DaeListener {
public:
    DaeListener(net::EventLoop& loop, std::uint16_t port, DaeResponder responder);
    ~DaeListener();
    DaeListener(const DaeListener&) = delete;
    DaeListener& operator=(const DaeListener&) = delete;

private:
    void readable();
    int fd_ = -1;
    DaeResponder responder_;
    net::EventSource source_;
};

}  // namespace ikev2d::app
