// An ID payload as text for logs, status and identity comparisons: addresses in their
// usual notation, a DER DN as "asn1dn:<hex>", anything else through util/printable.
#pragma once

#include <string>

#include "wire/payloads.hpp"

namespace ikev2d::ike {

std::string printable_id(const wire::IdPayload& id);

}  // namespace ikev2d::ike
