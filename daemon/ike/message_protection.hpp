// Encryption and integrity of IKE messages after IKE_SA_INIT (the SK payload), and
// RFC 7383 fragmentation (SKF) in both directions. The wire codec builds the bytes;
// crypto::SkCrypter seals them; this file puts the two together for one IKE SA.
#pragma once

#include <string>
#include <vector>

#include "ike/ike_sa.hpp"
#include "wire/message.hpp"

namespace ikev2d::ike {

// Builds, encrypts and (when the peer supports RFC 7383 and the message is larger than
// max_message_size) fragments one message sent by the responder. Returns the datagrams.
std::vector<Bytes> protect_message(const IkeSa& sa, const wire::Header& header,
                                   const std::vector<wire::Payload>& payloads, std::size_t max_message_size);

struct Unprotected {
    enum class Status { Complete, NeedMoreFragments, Invalid } status = Status::Invalid;
    std::vector<wire::Payload> payloads;
    std::string error;  // for the log when Invalid (never contains plaintext)
    bool was_fragmented = false;
};

// Checks and decrypts a message from the initiator. Fragments are kept in sa.reassembly
// until the message is complete. `packet` is the whole datagram, `parsed` its outer parse.
Unprotected unprotect_message(IkeSa& sa, ByteView packet, const wire::Message& parsed);

// Largest IKE message that fits one datagram on a path with this IP MTU.
std::size_t max_ike_message_size(std::uint32_t ip_mtu, bool ipv6, bool natt);

}  // namespace ikev2d::ike
