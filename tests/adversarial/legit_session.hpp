// A legitimate client session over UDP with the test initiator (tests/peer): IKE_SA_INIT
// (following COOKIE and INVALID_KE_PAYLOAD), IKE_AUTH with the PSK, INFORMATIONAL
// round trips, Delete. Requests are retransmitted every second until a deadline, and
// requests from the gateway (DPD) are answered while waiting.
#pragma once

#include <string>
#include <vector>

#include "initiator.hpp"
#include "udp.hpp"

namespace adversarial {

struct LegitResult {
    bool ok = false;
    std::string error;
    double seconds = 0;
    int sends = 0;  // datagrams sent, retransmits included
};

class LegitSession {
public:
    LegitSession(const UdpSocket& socket, Address gateway, peer::InitiatorConfig config);

    // IKE_SA_INIT + IKE_AUTH within timeout_s.
    LegitResult connect(double timeout_s);
    // An empty INFORMATIONAL (liveness check) answered within timeout_s.
    LegitResult ping(double timeout_s);
    // Delete of the IKE SA, answered within timeout_s.
    LegitResult close(double timeout_s);
    // Answers the gateway's requests arriving within `seconds` (DPD).
    void serve(double seconds);

    peer::Initiator& initiator() { return initiator_; }
    int dpd_answered() const { return dpd_answered_; }

private:
    // Sends `request` (again every second) until `accept` takes an answer or the deadline.
    template <typename Accept>
    LegitResult round_trip(const Bytes& request, double deadline, Accept accept);
    bool answer_gateway_request(const Bytes& packet);

    const UdpSocket& socket_;
    Address gateway_;
    peer::Initiator initiator_;
    int dpd_answered_ = 0;
};

}  // namespace adversarial
