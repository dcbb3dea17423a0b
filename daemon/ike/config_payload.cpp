#include "ike/config_payload.hpp"

#include <algorithm>

#include "ikev2d_build_config.h"
#include "util/printable.hpp"

namespace ikev2d::ike {
namespace {

using iana::CfgAttr;

wire::CpAttribute attr(CfgAttr type, Bytes value) { return {static_cast<std::uint16_t>(type), std::move(value)}; }

Bytes addr_bytes(const IpAddress& a) { return Bytes(a.view().begin(), a.view().end()); }

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

bool requested(const wire::CpPayload& req, CfgAttr type) {
    return std::any_of(req.attributes.begin(), req.attributes.end(),
                       [type](const wire::CpAttribute& a) { return a.type == static_cast<std::uint16_t>(type); });
}

// The smallest prefix that covers the pool: what we call the client's netmask.
IpAddress pool_netmask(const config::PoolConfig& pool) {
    std::uint32_t a = pool.first.v4_host_order(), b = pool.last.v4_host_order();
    unsigned len = 0;
    while (len < 32 && ((a ^ b) & (0x80000000u >> len)) == 0) ++len;
    std::uint32_t mask = len == 0 ? 0 : ~0u << (32 - len);
    return IpAddress::v4(mask);
}

}  // namespace

CfgRequestInfo inspect_cfg_request(const wire::CpPayload& request) {
    CfgRequestInfo info;
    for (const auto& a : request.attributes) {
        switch (static_cast<CfgAttr>(a.type)) {
            case CfgAttr::INTERNAL_IP4_ADDRESS:
                info.wants_ip4 = true;
                if (a.value.size() == 4 && std::any_of(a.value.begin(), a.value.end(), [](std::uint8_t b) { return b != 0; }))
                    info.requested_ip4 = IpAddress::from_bytes(a.value);
                break;
            case CfgAttr::INTERNAL_IP6_ADDRESS: info.wants_ip6 = true; break;
            case CfgAttr::APPLICATION_VERSION:
                // Shown in logs and status: printable, and no longer than any real client's.
                info.application_version = printable(a.value, 128);
                break;
            default: break;
        }
    }
    return info;
}

wire::CpPayload build_cfg_reply(const wire::CpPayload& request, const std::optional<IpAddress>& assigned,
                                const std::optional<IpAddress>& assigned6, const config::PoolConfig* pool,
                                const config::GroupConfig& group, bool anyconnect) {
    wire::CpPayload reply;
    reply.cfg_type = iana::CfgType::CFG_REPLY;
    if (assigned && assigned->is_v4()) {
        reply.attributes.push_back(attr(CfgAttr::INTERNAL_IP4_ADDRESS, addr_bytes(*assigned)));
        if (pool && pool->first.is_v4() && requested(request, CfgAttr::INTERNAL_IP4_NETMASK))
            reply.attributes.push_back(attr(CfgAttr::INTERNAL_IP4_NETMASK, addr_bytes(pool_netmask(*pool))));
    }
    if (assigned6 && !assigned6->is_v4()) {
        // RFC 7296 3.15.1: the address and a prefix length; the client's own address
        // only (/128): the rest of the pool is other clients, reached through us.
        Bytes v = addr_bytes(*assigned6);
        v.push_back(128);
        reply.attributes.push_back(attr(CfgAttr::INTERNAL_IP6_ADDRESS, std::move(v)));
    }
    for (const auto& dns : group.dns)
        reply.attributes.push_back(attr(dns.is_v4() ? CfgAttr::INTERNAL_IP4_DNS : CfgAttr::INTERNAL_IP6_DNS, addr_bytes(dns)));
    for (const auto& net : group.split_include) {
        Bytes v = addr_bytes(net.addr);
        if (net.addr.is_v4()) {
            append(v, addr_bytes(net.netmask()));
            reply.attributes.push_back(attr(CfgAttr::INTERNAL_IP4_SUBNET, std::move(v)));
        } else if (assigned6) {  // RFC 7296 3.15.1: address and prefix length
            v.push_back(net.length);
            reply.attributes.push_back(attr(CfgAttr::INTERNAL_IP6_SUBNET, std::move(v)));
        }
    }
    for (const auto& domain : group.dns_domains) reply.attributes.push_back(attr(CfgAttr::INTERNAL_DNS_DOMAIN, text(domain)));
    if (requested(request, CfgAttr::APPLICATION_VERSION))
        reply.attributes.push_back(attr(CfgAttr::APPLICATION_VERSION, text(std::string("ikev2d ") + IKEV2D_VERSION)));

    if (anyconnect) {
        // Cisco Unity attributes that AnyConnect understands (shared/protocol).
        if (!group.banner.empty() && requested(request, CfgAttr::CISCO_BANNER))
            reply.attributes.push_back(attr(CfgAttr::CISCO_BANNER, text(group.banner)));
        if (!group.dns_domains.empty() && requested(request, CfgAttr::CISCO_DEFAULT_DOMAIN))
            reply.attributes.push_back(attr(CfgAttr::CISCO_DEFAULT_DOMAIN, text(group.dns_domains.front())));
        if (!group.dns_domains.empty() && requested(request, CfgAttr::CISCO_SPLIT_DNS)) {
            std::string joined;
            for (const auto& d : group.dns_domains) joined += (joined.empty() ? "" : ",") + d;
            reply.attributes.push_back(attr(CfgAttr::CISCO_SPLIT_DNS, text(joined)));
        }
        if (!group.split_include.empty() && requested(request, CfgAttr::CISCO_SPLIT_INCLUDE)) {
            Bytes entries;  // 14 bytes each: address, mask, 6 bytes of zero
            for (const auto& net : group.split_include) {
                if (!net.addr.is_v4()) continue;
                append(entries, addr_bytes(net.addr));
                append(entries, addr_bytes(net.netmask()));
                entries.insert(entries.end(), 6, 0);
            }
            reply.attributes.push_back(attr(CfgAttr::CISCO_SPLIT_INCLUDE, std::move(entries)));
        }
    }
    return reply;
}

}  // namespace ikev2d::ike
