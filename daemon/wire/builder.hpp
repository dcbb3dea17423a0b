// Building IKEv2 messages from the payload model: next-payload fields and lengths are
// computed here, never by the caller. Inputs are trusted (our own data): a payload or
// message that cannot be represented (length > 65535, more than 255 TSs/transforms,
// TS address size not matching its type) throws std::length_error / std::invalid_argument.
#pragma once

#include <vector>

#include "util/bytes.hpp"
#include "wire/message.hpp"

namespace ikev2d::wire {

// Chained payloads: each generic header's next-payload names the following payload
// (SK/SKF: the inner first payload; Cisco fragment: none), lengths filled in.
Bytes encode_payloads(const std::vector<Payload>& payloads);
// Header + payloads; header.next and header.length are computed from the payloads.
Bytes encode_message(const Message& m);
Bytes encode_header(const Header& h, PayloadType next, uint32_t total_length);
Bytes encode_generic_header(PayloadType next, bool critical, uint16_t length);
// One payload body without its generic header (e.g. for sizes in dumps).
Bytes encode_body(const PayloadBody& body);

}  // namespace ikev2d::wire
