#include "kernel/routes.hpp"

#include <linux/rtnetlink.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "kernel/kernel_ipsec.hpp"
#include "kernel/ownership.hpp"
#include "util/log.hpp"

namespace ikev2d::kernel {

namespace {

IpAddress network_of(const IpAddress& prefix, std::uint8_t len) {
    if (len > prefix.size() * 8)
        throw KernelError(EINVAL, "route " + prefix.to_string() + "/" + std::to_string(len), "prefix length too long");
    IpAddress net = prefix;
    for (std::size_t bit = len; bit < net.size() * 8; ++bit) net.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
    return net;
}

std::string route_text(const char* what, const IpAddress& prefix, std::uint8_t len) {
    return std::string(what) + " " + prefix.to_string() + "/" + std::to_string(len);
}

std::uint8_t host_length(const IpAddress& a) { return static_cast<std::uint8_t>(a.size() * 8); }

const char* route_type_name(std::uint8_t type) {
    switch (type) {
        case RTN_BLACKHOLE: return "blackhole";
        case RTN_UNREACHABLE: return "unreachable";
        case RTN_PROHIBIT: return "prohibit";
        case RTN_LOCAL: return "local";
        default: return "not unicast";
    }
}

}  // namespace

NlMessage route_message(std::uint16_t type, const RouteSpec& route) {
    const IpAddress net = network_of(route.prefix, route.len);
    const bool add = type == RTM_NEWROUTE;
    NlMessage msg(type, NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0));
    auto& rtm = msg.put_struct<rtmsg>();
    rtm.rtm_family = static_cast<unsigned char>(net.family);
    rtm.rtm_dst_len = route.len;
    rtm.rtm_table = RT_TABLE_MAIN;
    rtm.rtm_protocol = kRouteProtocol;  // on delete the kernel matches it: never removes a foreign route
    // A next hop makes a route universe-scoped; a bare `dev` one is on-link.
    if (!add) rtm.rtm_scope = RT_SCOPE_NOWHERE;  // delete: any scope
    else if (route.type == RTN_UNICAST && !route.gateway) rtm.rtm_scope = RT_SCOPE_LINK;
    else rtm.rtm_scope = RT_SCOPE_UNIVERSE;
    rtm.rtm_type = route.type;  // on delete the kernel matches it too
    msg.put_attr(RTA_DST, net.bytes.data(), net.size());
    if (route.oif != 0) msg.put_attr<std::uint32_t>(RTA_OIF, route.oif);
    if (route.gateway) msg.put_attr(RTA_GATEWAY, route.gateway->bytes.data(), route.gateway->size());
    return msg;
}

NlMessage route_dump_message(int family) {
    NlMessage msg(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP);
    msg.put_struct<rtmsg>().rtm_family = static_cast<unsigned char>(family);
    return msg;
}

NlMessage route_get_message(const IpAddress& dst, const std::optional<IpAddress>& source) {
    NlMessage msg(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_ACK);
    auto& rtm = msg.put_struct<rtmsg>();
    rtm.rtm_family = static_cast<unsigned char>(dst.family);
    rtm.rtm_dst_len = host_length(dst);
    msg.put_attr(RTA_DST, dst.bytes.data(), dst.size());
    if (source && source->family == dst.family && !source->is_any()) {
        rtm.rtm_src_len = host_length(*source);
        msg.put_attr(RTA_SRC, source->bytes.data(), source->size());
    }
    return msg;
}

std::optional<RouteInfo> parse_route(const nlmsghdr* nlh) {
    if (nlh->nlmsg_type != RTM_NEWROUTE || mnl_nlmsg_get_payload_len(nlh) < sizeof(rtmsg)) return std::nullopt;
    const auto* rtm = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(nlh));
    if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6) return std::nullopt;
    RouteInfo route;
    route.family = rtm->rtm_family;
    route.dst_len = rtm->rtm_dst_len;
    route.table = rtm->rtm_table;
    route.protocol = rtm->rtm_protocol;
    route.type = rtm->rtm_type;
    route.dst = IpAddress::any(route.family);
    for_each_attr(nlh, sizeof(rtmsg), [&](const nlattr* attr) {
        const auto len = mnl_attr_get_payload_len(attr);
        switch (mnl_attr_get_type(attr)) {
            case RTA_DST:
                if (len == route.dst.size()) std::memcpy(route.dst.bytes.data(), mnl_attr_get_payload(attr), len);
                break;
            case RTA_GATEWAY:
                if (len == route.dst.size()) {
                    IpAddress gw = IpAddress::any(route.family);
                    std::memcpy(gw.bytes.data(), mnl_attr_get_payload(attr), len);
                    route.gateway = gw;
                }
                break;
            case RTA_OIF:
                if (len == sizeof(std::uint32_t)) route.oif = mnl_attr_get_u32(attr);
                break;
            case RTA_TABLE:
                if (len == sizeof(std::uint32_t)) route.table = mnl_attr_get_u32(attr);
                break;
            case RTA_PRIORITY:
                if (len == sizeof(std::uint32_t)) route.metric = mnl_attr_get_u32(attr);
                break;
            default: break;
        }
    });
    return route;
}

RouteInfo Routes::path_to(const IpAddress& peer, const std::optional<IpAddress>& local) {
    const std::string what = "route to " + peer.to_string();
    std::optional<RouteInfo> path;
    auto msg = route_get_message(peer, local);
    socket_.request(msg, what, [&](const nlmsghdr* nlh) {
        if (!path) path = parse_route(nlh);
    });
    if (!path) throw KernelError(EHOSTUNREACH, what, "the kernel gave no route");
    if (path->type != RTN_UNICAST && path->type != RTN_LOCAL)
        throw KernelError(EHOSTUNREACH, what, std::string("its route is ") + route_type_name(path->type));
    if (path->oif == 0) throw KernelError(EHOSTUNREACH, what, "its route names no interface");
    return *path;
}

void Routes::add_client_route(const IpAddress& client, const IpAddress& peer, const std::optional<IpAddress>& local) {
    const RouteInfo path = path_to(peer, local);
    RouteSpec route{client, host_length(client), RTN_UNICAST, path.oif, std::nullopt};
    // The next hop only where it is of the client address's family (an IPv4 client
    // address over IPv6 would need RTA_VIA); on-link otherwise: ESP carries the packets
    // anyway, the route is there for the lookup and for reverse-path filtering.
    if (path.gateway && path.gateway->family == client.family) route.gateway = path.gateway;
    auto msg = route_message(RTM_NEWROUTE, route);
    socket_.request(msg, route_text("RTM_NEWROUTE", client, route.len));
    LOG_INFO(Platform, "kernel: client route %s%s%s dev #%u", client.to_string().c_str(),
              route.gateway ? " via " : "", route.gateway ? route.gateway->to_string().c_str() : "", path.oif);
}

void Routes::del_client_route(const IpAddress& client) {
    auto msg = route_message(RTM_DELROUTE, RouteSpec{client, host_length(client), RTN_UNICAST, 0, std::nullopt});
    socket_.request(msg, route_text("RTM_DELROUTE", client, host_length(client)));
}

void Routes::add_pool_route(const IpAddress& prefix, std::uint8_t len) {
    auto msg = route_message(RTM_NEWROUTE, RouteSpec{prefix, len, RTN_UNREACHABLE, 0, std::nullopt});
    socket_.request(msg, route_text("RTM_NEWROUTE unreachable", prefix, len));
    LOG_INFO(Platform, "kernel: pool route unreachable %s/%u (clients get a route each)", prefix.to_string().c_str(), len);
}

void Routes::del_pool_route(const IpAddress& prefix, std::uint8_t len) {
    auto msg = route_message(RTM_DELROUTE, RouteSpec{prefix, len, RTN_UNREACHABLE, 0, std::nullopt});
    socket_.request(msg, route_text("RTM_DELROUTE unreachable", prefix, len));
}

void Routes::flush_own() {
    std::vector<RouteInfo> own;
    auto msg = route_dump_message(AF_UNSPEC);
    socket_.dump(msg, "RTM_GETROUTE dump", [&](const nlmsghdr* nlh) {
        auto route = parse_route(nlh);
        if (route && route->protocol == kRouteProtocol && route->table == RT_TABLE_MAIN) own.push_back(*route);
    });
    for (const auto& route : own) {
        auto del_msg = route_message(RTM_DELROUTE, RouteSpec{route.dst, route.dst_len, route.type, route.oif, std::nullopt});
        try {
            socket_.request(del_msg, route_text("RTM_DELROUTE", route.dst, route.dst_len));
        } catch (const KernelError& e) {
            if (e.err != ESRCH) throw;  // gone meanwhile (its interface went down): fine
        }
    }
}

}  // namespace ikev2d::kernel
