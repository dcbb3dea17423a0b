// Encryption and integrity of IKE messages after IKE_SA_INIT (the SK payload), and
// RFC 7383 fragmentation (SKF) in both directions. The wire codec builds the bytes;
// crypto::SkCrypter seals them; this file puts the two together for one IKE SA.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ike/fragment_reassembly.hpp"
#include "ike/ike_sa.hpp"
#include "wire/message.hpp"
#include "wire/parse_error.hpp"

namespace ikev2d::ike {

// Builds, encrypts and (when the peer supports RFC 7383 and the message is larger than
// max_message_size) fragments one message sent by the responder. Returns the datagrams.
std::vector<Bytes> protect_message(const IkeSa& sa, const wire::Header& header,
                                   const std::vector<wire::Payload>& payloads, std::size_t max_message_size);

struct Unprotected {
    enum class Status {
        Complete,           // authenticated and parsed: `payloads`
        NeedMoreFragments,  // an authenticated fragment was kept
        Invalid,            // not authenticated (or not encrypted at all): drop silently
        Malformed,          // authenticated, but its content does not parse: answer `malformed`
        FragmentDropped,    // authenticated fragment over a reassembly budget: drop and count
    } status = Status::Invalid;
    std::vector<wire::Payload> payloads;
    std::optional<wire::ParseError> malformed;  // when Malformed: what to answer (RFC 7296 2.21.2)
    std::string error;  // for the log when not Complete (never contains plaintext)
    bool was_fragmented = false;
    std::size_t fragments_dropped = 0;  // when FragmentDropped
};

// Checks and decrypts a message from the initiator. Fragments are kept in sa.reassembly
// until the message is complete, within the reassembly budgets of `policy`. `packet` is
// the whole datagram, `parsed` its outer parse. Only content whose integrity check
// passed is ever reported Malformed: forged packets never earn an answer.
Unprotected unprotect_message(IkeSa& sa, ByteView packet, const wire::Message& parsed,
                              const ReassemblyPolicy& policy = {});

// Largest IKE message that fits one datagram on a path with this IP MTU.
std::size_t max_ike_message_size(std::uint32_t ip_mtu, bool ipv6, bool natt);

}  // namespace ikev2d::ike
