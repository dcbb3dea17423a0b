// Cisco's proprietary IKE fragmentation (shared/protocol/anyconnect-ikev2.md, "Cisco
// fragmentation"), used with peers that sent the FRAGMENTATION vendor ID and did not
// negotiate RFC 7383. Unlike SKF, the already encrypted message (header included) is cut
// into slices, each sent as a plain IKE packet with one fragment payload (type 132):
// fragments carry no integrity check of their own, so reassembly keeps only bounded,
// well-numbered slices and the whole message is authenticated after it is put together.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ike/fragment_reassembly.hpp"
#include "ike/ike_sa.hpp"
#include "util/result.hpp"
#include "wire/message.hpp"
#include "wire/parse_error.hpp"
#include "wire/payloads.hpp"

namespace ikev2d::ike {

// IKE header, generic payload header, Fragment ID(2) | Number(1) | Flags(1).
inline constexpr std::size_t kCiscoFragmentOverhead = wire::kHeaderSize + wire::kGenericHeaderSize + 4;
// Fragment numbers are one octet; more than this many slices are not accepted (nor sent).
inline constexpr std::uint8_t kMaxCiscoFragments = 64;

// Splits one encrypted IKE message (its 28-byte header included) into datagrams of at
// most max_datagram bytes with the given fragment ID; returns it unchanged when it fits.
// Throws std::length_error when it would take more than kMaxCiscoFragments.
std::vector<Bytes> cisco_fragment(ByteView message, std::uint16_t fragment_id, std::size_t max_datagram);

struct CiscoFragmentOutcome {
    enum class Status {
        Stored,    // kept; more are needed
        Complete,  // `whole` is the encrypted message, to be checked like a datagram
        Ignored,   // a duplicate, out of range or not for this reassembly: nothing changed
        Dropped,   // inconsistent with the partial message or over a budget: both dropped
    } status = Status::Ignored;
    Bytes whole;
    std::size_t fragments_dropped = 0;  // when Dropped: this one and the partial's
    std::string error;                  // why, when Ignored or Dropped
};

// Adds one Cisco fragment (header as received) to sa.reassembly. A new fragment ID
// replaces a partial message of another ID (the peer moved on or re-fragmented).
CiscoFragmentOutcome add_cisco_fragment(IkeSa& sa, const wire::Header& header, const wire::CiscoFragmentPayload& fragment,
                                        const ReassemblyPolicy& policy);

// After reassembly: the whole message must be one IKE message for the same SPIs,
// exchange, flags and message ID as its fragments, protected by an SK payload. Returns
// an error text, or an empty string when it may be processed.
std::string check_reassembled(const wire::Header& fragment_header, const Result<wire::Message, wire::ParseError>& whole);

}  // namespace ikev2d::ike
