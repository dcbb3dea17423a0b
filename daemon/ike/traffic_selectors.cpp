#include "ike/traffic_selectors.hpp"

#include <algorithm>

namespace ikev2d::ike {

IpPrefix TsRange::to_prefix() const {
    // Longest common prefix of start and end: exact for ranges that are prefixes.
    IpPrefix p;
    p.addr = start;
    unsigned max = static_cast<unsigned>(start.size() * 8);
    unsigned len = 0;
    while (len < max) {
        std::uint8_t m = static_cast<std::uint8_t>(0x80u >> (len % 8));
        if ((start.bytes[len / 8] & m) != (end.bytes[len / 8] & m)) break;
        ++len;
    }
    p.length = static_cast<std::uint8_t>(len);
    for (unsigned bit = len; bit < max; ++bit) p.addr.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
    return p;
}

TsRange TsRange::from_prefix(const IpPrefix& p) {
    TsRange r;
    r.start = p.addr;
    r.end = p.last();
    return r;
}

bool TsRange::contains(const IpAddress& a) const {
    return a.family == start.family && !(a < start) && !(end < a);
}

std::string TsRange::to_string() const {
    IpPrefix p = to_prefix();
    if (p.addr == start && p.last() == end) return p.to_string();
    return start.to_string() + " - " + end.to_string();
}

std::string to_string(const std::vector<TsRange>& ranges) {
    std::string text;
    for (const auto& r : ranges) text += (text.empty() ? "" : ", ") + r.to_string();
    return text;
}

std::vector<TsRange> ranges_from_payload(const wire::TsPayload& ts) {
    std::vector<TsRange> out;
    for (const auto& sel : ts.selectors) {
        TsRange r;
        r.start = IpAddress::from_bytes(sel.start_addr);
        r.end = IpAddress::from_bytes(sel.end_addr);
        r.ip_protocol = sel.ip_protocol;
        r.start_port = sel.start_port;
        r.end_port = sel.end_port;
        out.push_back(r);
    }
    return out;
}

wire::TsPayload payload_from_ranges(const std::vector<TsRange>& ranges) {
    wire::TsPayload ts;
    for (const auto& r : ranges) {
        wire::TrafficSelector sel;
        sel.type = r.start.is_v4() ? iana::TsType::IPV4_ADDR_RANGE : iana::TsType::IPV6_ADDR_RANGE;
        sel.ip_protocol = r.ip_protocol;
        sel.start_port = r.start_port;
        sel.end_port = r.end_port;
        sel.start_addr.assign(r.start.view().begin(), r.start.view().end());
        sel.end_addr.assign(r.end.view().begin(), r.end.view().end());
        ts.selectors.push_back(std::move(sel));
    }
    return ts;
}

std::optional<TsRange> intersect(const TsRange& a, const TsRange& b) {
    if (a.start.family != b.start.family) return std::nullopt;
    if (a.ip_protocol != 0 && b.ip_protocol != 0 && a.ip_protocol != b.ip_protocol) return std::nullopt;
    TsRange r;
    r.start = std::max(a.start, b.start);
    r.end = std::min(a.end, b.end);
    if (r.end < r.start) return std::nullopt;
    r.ip_protocol = a.ip_protocol != 0 ? a.ip_protocol : b.ip_protocol;
    r.start_port = std::max(a.start_port, b.start_port);
    r.end_port = std::min(a.end_port, b.end_port);
    if (r.end_port < r.start_port) return std::nullopt;
    return r;
}

std::optional<NarrowedSelectors> narrow_selectors(const wire::TsPayload& tsi, const wire::TsPayload& tsr,
                                                  const std::vector<IpAddress>& remote_addresses,
                                                  const std::vector<IpPrefix>& local_networks) {
    NarrowedSelectors out;
    const std::vector<TsRange> offered_remote = ranges_from_payload(tsi);
    for (const IpAddress& address : remote_addresses) {
        TsRange host;
        host.start = host.end = address;
        for (const auto& offered : offered_remote) {
            if (auto r = intersect(offered, host)) {
                out.remote.push_back(*r);
                break;
            }
        }
    }
    if (out.remote.empty()) return std::nullopt;
    auto has_remote_of = [&out](int family) {
        return std::any_of(out.remote.begin(), out.remote.end(), [family](const TsRange& r) { return r.start.family == family; });
    };
    const std::vector<TsRange> offered_local = ranges_from_payload(tsr);
    for (const auto& net : local_networks) {
        if (!has_remote_of(net.addr.family)) continue;  // no policy could pair it with a client address
        TsRange ours = TsRange::from_prefix(net);
        for (const auto& offered : offered_local) {
            if (auto r = intersect(offered, ours)) {
                // Narrowed selectors go into kernel policies as prefixes.
                IpPrefix p = r->to_prefix();
                TsRange exact = TsRange::from_prefix(p);
                exact.ip_protocol = r->ip_protocol;
                exact.start_port = r->start_port;
                exact.end_port = r->end_port;
                if (std::find_if(out.local.begin(), out.local.end(), [&](const TsRange& x) {
                        return x.start == exact.start && x.end == exact.end;
                    }) == out.local.end())
                    out.local.push_back(exact);
            }
        }
    }
    if (out.local.empty()) return std::nullopt;
    return out;
}

}  // namespace ikev2d::ike
