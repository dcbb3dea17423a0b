// EAP through RADIUS (RFC 3579, as strongSwan's eap-radius and the ASA do): the gateway
// knows no EAP method. It asks the client for its identity, then carries each
// EAP-Response to the server in an Access-Request (with the State of the last
// challenge) and each Access-Challenge's EAP-Request back, so every method the server
// has (MSCHAPv2, TLS, PEAP, TTLS) works. Access-Accept ends it with the MSK, taken from
// MS-MPPE-Recv-Key | MS-MPPE-Send-Key (zero-padded to 64 bytes). No I/O here: the caller sends the requests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "aaa/radius_client.hpp"
#include "eap/method.hpp"

namespace ikev2d::aaa {

class EapRelay {
public:
    // `calling_station` / `called_station`: the client's and the gateway's outer addresses.
    EapRelay(std::string calling_station, std::string called_station, std::uint32_t nas_port);

    // The first EAP packet for the client: Request/Identity.
    Bytes start();
    // The client's next EAP packet: what to ask the server, or nullopt (and `refusal`)
    // when it is not a Response to our last Request.
    std::optional<AccessRequest> on_client(ByteView eap_packet, std::string& refusal);
    // The server's answer to that request: the next packet for the client (Continue), or
    // the end (Success with the user and msk(), or Failure with the reason).
    eap::Outcome on_server(const AccessReply& reply);

    std::optional<SecureBytes> msk() const;
    // From the Access-Accept, for the session (address, group, limits, accounting).
    const AccessReply* accepted() const { return accepted_ ? &*accepted_ : nullptr; }
    const std::string& identity() const { return identity_; }

private:
    std::string calling_station_, called_station_;
    std::uint32_t nas_port_;
    std::string identity_;
    std::uint8_t last_identifier_ = 0;
    bool awaiting_identity_ = true;
    Bytes state_;
    std::optional<AccessReply> accepted_;
};

}  // namespace ikev2d::aaa
