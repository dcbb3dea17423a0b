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
    std::vector<TsRange> remote;  // TSi in the answer: one host range per client address
    std::vector<TsRange> local;   // TSr in the answer
};

// remote_addresses: the client's virtual IPs (IPv4, IPv6 or both: dual stack), or its
// outer address when it asked for none. Each address the client's TSi covers becomes one
// TSi range; the local networks overlapping its TSr and of a family it has an address
// of become TSr (IPv4 and IPv6 in one Child SA: the kernel policies pair them by
// family). Fails (nullopt → TS_UNACCEPTABLE) when TSi covers none of the addresses or
// no configured local network overlaps its TSr.
std::optional<NarrowedSelectors> narrow_selectors(const wire::TsPayload& tsi, const wire::TsPayload& tsr,
                                                  const std::vector<IpAddress>& remote_addresses,
                                                  const std::vector<IpPrefix>& local_networks);

}  // namespace ikev2d::ike
