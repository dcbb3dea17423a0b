// One client of the load generator (ike_load): the exchanges of its mode over the test
// initiator (tests/peer), bytes in and bytes out; the generator owns sockets and timers.
//
//   init       IKE_SA_INIT only: done when the gateway answers with SA and KE (a half-open
//              IKE SA there); the generator does no Diffie-Hellman of its own
//   psk        IKE_SA_INIT + IKE_AUTH with a PSK, a Child SA and an address (CP)
//   cert-eap   IKE_SA_INIT + IKE_AUTH: the gateway's certificate and signature, then
//              EAP-MSCHAPv2, a Child SA and an address
//   childless  IKE_SA_INIT + IKE_AUTH with a PSK, no Child SA (RFC 6023)
//   gtc        as cert-eap with EAP-GTC: the gateway checks the password against a
//              crypt(3) hash (slow on purpose: the load that must not stall the loop)
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "initiator.hpp"

namespace bench {

enum class LoadMode { Init, Psk, CertEap, Childless, Gtc };
std::optional<LoadMode> parse_mode(std::string_view name);
const char* mode_name(LoadMode mode);

class LoadSession {
public:
    enum class State { Waiting, Established, Failed };

    // `config` carries the credentials; the mode decides the rest.
    LoadSession(LoadMode mode, peer::InitiatorConfig config);

    // The request in flight: to send now and to retransmit until answered.
    const peer::Bytes& request() const { return request_; }
    // A datagram for this session's SPI. `resend` is set when request() is a new request
    // to send at once; an answer that is not the one awaited changes nothing.
    State on_packet(peer::ByteView packet, bool& resend);

    std::uint64_t spi_i() const { return initiator_.spi_i(); }
    const std::string& error() const { return error_; }
    // After Established: the IKE SA has its Child SA, or the gateway refused that with
    // child_refusal() (e.g. TEMPORARY_FAILURE where the kernel has no ESP).
    bool has_child() const { return initiator_.established() && !initiator_.child_spi_out().empty(); }
    std::uint16_t child_refusal() const { return initiator_.child_refusal(); }

private:
    State on_sa_init(peer::ByteView packet, bool& resend);
    State on_auth(peer::ByteView packet, bool& resend);
    State failed(std::string why);

    LoadMode mode_;
    peer::Initiator initiator_;
    peer::Bytes request_;
    bool in_auth_ = false;
    std::string error_;
};

}  // namespace bench
