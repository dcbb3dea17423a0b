// Internal to the parser: decoding of one payload body, already cut to the length
// its generic header declares.
#pragma once

#include <cstddef>

#include "util/bytes.hpp"
#include "util/result.hpp"
#include "wire/parse_error.hpp"
#include "wire/payloads.hpp"

namespace ikev2d::wire::detail {

// True for the payload types this codec understands (everything in PayloadBody except
// UnknownPayload).
bool is_known_payload(PayloadType type);

// `next` is the generic header's next-payload field (the inner first payload for SK and
// SKF); `base` is the body's offset in the whole buffer, for error offsets.
Result<PayloadBody, ParseError> decode_body(PayloadType type, PayloadType next, ByteView body, std::size_t base);

inline Unexpected<ParseError> fail(ParseErrorCode code, std::size_t offset, PayloadType payload, std::string detail) {
    return unexpected(ParseError{code, std::move(detail), offset, payload, 0});
}

}  // namespace ikev2d::wire::detail
