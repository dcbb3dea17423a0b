// What went wrong when parsing an IKEv2 message, precisely enough to log it and to
// answer the peer with the right error notify (RFC 7296 2.21, 3.10.1).
#pragma once

#include <cstddef>
#include <string>

#include "util/bytes.hpp"
#include "util/iana.hpp"

namespace ikev2d::wire {

enum class ParseErrorCode {
    TruncatedHeader,      // fewer than 28 bytes
    BadVersion,           // major version != 2
    LengthMismatch,       // header length != datagram length
    TrailingData,         // bytes after the last payload of the chain
    PayloadOverrun,       // a payload (or its generic header) runs past the end
    PayloadTooShort,      // payload length below the minimum for its type
    BadProposal,          // proposal substructure malformed (length, last flag, no transforms)
    ProposalNumbering,    // first proposal not 1, or not consecutive
    BadTransform,         // transform substructure malformed
    BadAttribute,         // transform or CP attribute that cannot be skipped safely
    CountMismatch,        // declared count (transforms, SPIs, TSs) disagrees with the data
    SpiSizeMismatch,      // SPI size inconsistent with the protocol or the payload
    UnsupportedCritical,  // unknown payload type with the critical bit
    BadTrafficSelector,   // TS type/length unknown, or start address > end address
    BadNonceLength,       // nonce outside 16..256 bytes
    BadEapLength,         // EAP packet length field != payload body
    BadFragment,          // SKF / Cisco fragment numbering
    SkNotLast,            // SK/SKF/Cisco fragment followed by more data
    NestedEncrypted,      // SK/SKF/Cisco fragment inside decrypted SK content
};

std::string name(ParseErrorCode code);

struct ParseError {
    ParseErrorCode code{};
    std::string detail;
    std::size_t offset = 0;  // from the start of the parsed buffer
    iana::PayloadType payload = iana::PayloadType::None;  // payload being parsed (None: header)
    uint8_t unsupported_type = 0;  // the payload type byte for UnsupportedCritical

    // The error notify to answer with: INVALID_MAJOR_VERSION, UNSUPPORTED_CRITICAL_PAYLOAD
    // or INVALID_SYNTAX.
    iana::NotifyType notify() const;
    // The notification data that goes with notify(): the one-byte payload type for
    // UNSUPPORTED_CRITICAL_PAYLOAD (RFC 7296 3.10.1), empty otherwise.
    Bytes notify_data() const;
    // "PayloadOverrun at offset 40 in SA: ..." for logs.
    std::string to_string() const;
};

}  // namespace ikev2d::wire
