// Parsing untrusted IKEv2 datagrams (RFC 7296 3.1-3.16, RFC 7383 2.5, Cisco fragment
// payload). Structural checks only: lengths, counts, numbering, mandatory sizes. What
// a payload means in an exchange (e.g. "IDi only inside SK") is the protocol's job.
#pragma once

#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"
#include "wire/message.hpp"
#include "wire/parse_error.hpp"

namespace ikev2d::wire {

// Just the fixed 28-byte header, for the SPI lookup before a full parse. Checks only
// that 28 bytes are there: the version and the length are checked by parse_message, so
// that a caller can still read the SPIs to answer INVALID_MAJOR_VERSION.
Result<Header, ParseError> parse_header(ByteView packet);

// Header plus payload chain. The major version must be 2 and the header length must
// equal the datagram length. SK, SKF and the Cisco fragment payload are kept opaque and
// must end the message. Unknown payloads without the critical bit are kept as
// UnknownPayload; with it, the result is UnsupportedCritical.
Result<Message, ParseError> parse_message(ByteView packet);

// The payload chain found in decrypted SK content, starting with `first` (the SK
// payload's next-payload field). SK/SKF/Cisco fragments are not allowed in here.
Result<std::vector<Payload>, ParseError> parse_payloads(PayloadType first, ByteView data);

}  // namespace ikev2d::wire
