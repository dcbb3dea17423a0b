// Human-readable multi-line description of a message for protocol debug logs, in the
// spirit of the ASA's IKEv2-PROTO-4 lines in the seed. Key exchange values, nonces,
// notify data and IDs are public and printed in hex; AUTH and EAP data are never printed
// (they carry secrets or credentials), only their length; certificates only by size.
#pragma once

#include <string>

#include "wire/message.hpp"

namespace ikev2d::wire {

std::string dump(const Message& m);
// Payloads only (e.g. decrypted SK content), indented like in dump().
std::string dump_payloads(const std::vector<Payload>& payloads);

}  // namespace ikev2d::wire
