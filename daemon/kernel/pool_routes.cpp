#include "kernel/pool_routes.hpp"

#include <linux/rtnetlink.h>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>
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

}  // namespace

NlMessage route_message(std::uint16_t type, const IpAddress& prefix, std::uint8_t len, std::uint32_t oif) {
    const IpAddress net = network_of(prefix, len);
    const bool add = type == RTM_NEWROUTE;
    NlMessage msg(type, NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0));
    auto& rtm = msg.put_struct<rtmsg>();
    rtm.rtm_family = static_cast<unsigned char>(net.family);
    rtm.rtm_dst_len = len;
    rtm.rtm_table = RT_TABLE_MAIN;
    rtm.rtm_protocol = kRouteProtocol;  // on delete the kernel matches it: never removes a foreign route
    rtm.rtm_scope = add ? RT_SCOPE_LINK : RT_SCOPE_NOWHERE;
    rtm.rtm_type = RTN_UNICAST;
    msg.put_attr(RTA_DST, net.bytes.data(), net.size());
    if (oif != 0) msg.put_attr<std::uint32_t>(RTA_OIF, oif);
    return msg;
}

NlMessage route_dump_message(int family) {
    NlMessage msg(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP);
    msg.put_struct<rtmsg>().rtm_family = static_cast<unsigned char>(family);
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

std::uint32_t PoolRoutes::default_route_interface(int family) {
    std::optional<RouteInfo> best;
    auto msg = route_dump_message(family);
    socket_.dump(msg, "RTM_GETROUTE dump", [&](const nlmsghdr* nlh) {
        auto route = parse_route(nlh);
        if (!route || route->family != family || route->dst_len != 0 || route->table != RT_TABLE_MAIN ||
            route->type != RTN_UNICAST || route->oif == 0)
            return;
        if (!best || route->metric < best->metric) best = route;
    });
    if (!best) throw KernelError(ENETUNREACH, family == AF_INET6 ? "IPv6 default route" : "IPv4 default route", "none in the main table");
    return best->oif;
}

void PoolRoutes::add(const IpAddress& prefix, std::uint8_t len) {
    const std::uint32_t oif = default_route_interface(prefix.family);
    auto msg = route_message(RTM_NEWROUTE, prefix, len, oif);
    socket_.request(msg, route_text("RTM_NEWROUTE", prefix, len));
    LOG_INFO(Platform, "kernel: pool route %s/%u dev #%u", prefix.to_string().c_str(), len, oif);
}

void PoolRoutes::del(const IpAddress& prefix, std::uint8_t len) {
    auto msg = route_message(RTM_DELROUTE, prefix, len, 0);
    socket_.request(msg, route_text("RTM_DELROUTE", prefix, len));
}

void PoolRoutes::flush_own() {
    std::vector<RouteInfo> own;
    auto msg = route_dump_message(AF_UNSPEC);
    socket_.dump(msg, "RTM_GETROUTE dump", [&](const nlmsghdr* nlh) {
        auto route = parse_route(nlh);
        if (route && route->protocol == kRouteProtocol && route->table == RT_TABLE_MAIN) own.push_back(*route);
    });
    for (const auto& route : own) {
        auto del_msg = route_message(RTM_DELROUTE, route.dst, route.dst_len, route.oif);
        try {
            socket_.request(del_msg, route_text("RTM_DELROUTE", route.dst, route.dst_len));
        } catch (const KernelError& e) {
            if (e.err != ESRCH) throw;  // gone meanwhile (its interface went down): fine
        }
    }
}

bool enable_ipv4_forwarding(const std::string& path) {
    const int fd = open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) throw KernelError(errno, "open " + path);
    char previous = '0';
    const bool read_ok = read(fd, &previous, 1) == 1;
    const int read_errno = errno;
    const bool write_ok = read_ok && pwrite(fd, "1\n", 2, 0) == 2;
    const int write_errno = errno;
    close(fd);
    if (!read_ok) throw KernelError(read_errno ? read_errno : EIO, "read " + path);
    if (!write_ok) throw KernelError(write_errno ? write_errno : EIO, "write " + path);
    return previous == '1';
}

void set_ipv4_forwarding(bool on, const std::string& path) {
    const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw KernelError(errno, "open " + path);
    const bool ok = write(fd, on ? "1\n" : "0\n", 2) == 2;
    const int write_errno = errno;
    close(fd);
    if (!ok) throw KernelError(write_errno ? write_errno : EIO, "write " + path);
}

bool Ipv4Forwarding::enable() {
    if (enabled_) return true;
    try {
        enabled_by_us_ = !enable_ipv4_forwarding(path_);
        enabled_ = true;
        if (enabled_by_us_) LOG_ERR(Platform, "IPv4 forwarding enabled (%s was 0; put back at stop)", path_.c_str());
    } catch (const KernelError& e) {
        LOG_ERR(Platform, "could not enable IPv4 forwarding: %s", e.what());
    }
    return enabled_;
}

void Ipv4Forwarding::restore() noexcept {
    if (!enabled_) return;
    enabled_ = false;
    if (!enabled_by_us_) return;
    enabled_by_us_ = false;
    try {
        set_ipv4_forwarding(false, path_);
        LOG_ERR(Platform, "IPv4 forwarding put back to 0 (%s)", path_.c_str());
    } catch (const std::exception& e) {
        LOG_ERR(Platform, "could not put IPv4 forwarding back to 0: %s", e.what());
    }
}

}  // namespace ikev2d::kernel
