// Traffic selector narrowing (RFC 7296 2.9) for a remote-access responder:
// the client's side becomes its assigned address, ours the configured networks.
#pragma once

#include <optional>
#include <vector>

#include "ike/child_sa.hpp"
#include "wire/payloads.hpp"

namespace ikev2d::ike {

std::vector<TsRange> ranges_from_payload(const wire::TsPayload& ts);
wire::TsPayload payload_from_ranges(const std::vector<TsRange>& ranges);
std::optional<TsRange> intersect(const TsRange& a, const TsRange& b);

struct NarrowedSelectors {
    TsRange remote;               // TSi in the answer
    std::vector<TsRange> local;   // TSr in the answer
};

// remote_address: the client's virtual IP, or its outer address when it asked for none.
// Fails (nullopt → TS_UNACCEPTABLE) when the client's TSi excludes that address or
// no configured local network overlaps its TSr.
std::optional<NarrowedSelectors> narrow_selectors(const wire::TsPayload& tsi, const wire::TsPayload& tsr,
                                                  const IpAddress& remote_address,
                                                  const std::vector<IpPrefix>& local_networks);

}  // namespace ikev2d::ike
