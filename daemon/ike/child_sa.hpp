// A Child SA (ESP) as negotiated in IKE_AUTH / CREATE_CHILD_SA: what the kernel holds,
// plus what the status output needs. Keys are not kept here: once installed they live
// only in the kernel.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kernel/kernel_ipsec.hpp"
#include "util/iana.hpp"
#include "util/ip_address.hpp"

namespace ikev2d::ike {

struct TsRange {
    IpAddress start, end;
    std::uint8_t ip_protocol = 0;
    std::uint16_t start_port = 0, end_port = 65535;
    // The smallest prefix covering the range (kernel selectors are prefixes).
    IpPrefix to_prefix() const;
    static TsRange from_prefix(const IpPrefix& p);
    bool contains(const IpAddress& a) const;
    std::string to_string() const;  // "10.2.2.1/32" or "a - b" when not a prefix
};
// "10.2.2.1/32, 2001:db8:8::1/128"
std::string to_string(const std::vector<TsRange>& ranges);

struct ChildSa {
    std::uint32_t unique_id = 0;
    std::uint32_t reqid = 0;
    std::uint32_t spi_in = 0;   // ours: the peer sends with it
    std::uint32_t spi_out = 0;  // the peer's
    iana::EncrId encr{};
    std::uint16_t encr_key_bits = 0;
    iana::IntegId integ = iana::IntegId::NONE;
    bool esn = false;
    bool udp_encap = false;
    std::vector<TsRange> local_ts;  // TSr: networks behind the gateway
    std::vector<TsRange> remote_ts;  // TSi: the client's (virtual) addresses, one per family
    std::uint32_t lifetime_s = 0;
    std::uint64_t lifetime_kbytes = 0;
    std::uint64_t installed_at_ms = 0;  // monotonic
    std::uint64_t installed_unix = 0;
    bool installed = false;
    // Exactly what installing this child put in the kernel, so that removing it takes
    // away nothing else (never "whatever matches these selectors"): its two ESP SAs as
    // (destination, SPI), and the policies it added, which rekeyed successors share.
    std::vector<std::pair<IpAddress, std::uint32_t>> kernel_sas;
    std::vector<std::pair<kernel::Selector, kernel::PolicyConfig::Dir>> kernel_policies;
    // The routes toward the client's addresses it added (shared like the policies).
    std::vector<IpAddress> kernel_routes;
};

}  // namespace ikev2d::ike
