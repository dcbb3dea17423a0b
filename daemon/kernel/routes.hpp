// Routes this daemon puts in the main table (rtnetlink over libmnl), all marked with our
// protocol number (ownership.hpp) for flush and for a safe delete:
//  - a client route per connected client: `<virtual IP>/32 [via <next hop>] dev <if>`
//    along the path the kernel uses for that client's outer address, so that LAN hosts
//    and the gateway itself reach the client (the XFRM output policy then diverts the
//    packets into ESP) and reverse-path filtering accepts what the client sends, whatever
//    the default route is, and on whichever uplink the client came in;
//  - an `unreachable` route per address pool, so that an address of the pool that no
//    client holds is answered with "unreachable" instead of leaking out of the default
//    route. The client routes are more specific and win.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kernel/netlink_message.hpp"
#include "kernel/netlink_socket.hpp"
#include "util/ip_address.hpp"

namespace ikev2d::kernel {

// One route as the messages below build it.
struct RouteSpec {
    IpAddress prefix;
    std::uint8_t len = 0;
    std::uint8_t type = 0;  // RTN_UNICAST, RTN_UNREACHABLE
    std::uint32_t oif = 0;  // 0 = none (unreachable routes, deletes)
    std::optional<IpAddress> gateway;  // next hop; none = on the link of oif
};

// Message construction, exposed for tests. RTM_NEWROUTE / RTM_DELROUTE for the spec's
// prefix (host bits cleared; throws KernelError(EINVAL) for a length past the address).
NlMessage route_message(std::uint16_t type, const RouteSpec& route);
NlMessage route_dump_message(int family);
// RTM_GETROUTE for one destination as seen from `source` (one of our addresses: source
// routing rules apply), like `ip route get <dst> from <source>`.
NlMessage route_get_message(const IpAddress& dst, const std::optional<IpAddress>& source);

struct RouteInfo {
    int family = 0;
    std::uint8_t dst_len = 0;
    std::uint32_t table = 0;
    std::uint8_t protocol = 0;
    std::uint8_t type = 0;
    IpAddress dst;  // any() for a default route
    std::uint32_t oif = 0;  // 0 when absent (e.g. multipath)
    std::optional<IpAddress> gateway;
    std::uint32_t metric = 0;
};
std::optional<RouteInfo> parse_route(const nlmsghdr* nlh);

class Routes {
public:
    explicit Routes(NetlinkSocket& route_socket) : socket_(route_socket) {}

    // The path the kernel uses toward peer from local (interface and next hop). Throws
    // KernelError with the kernel's reason (ENETUNREACH, EHOSTUNREACH, ...) when there
    // is none, or EHOSTUNREACH when the peer's route is not a unicast one (blackhole...).
    RouteInfo path_to(const IpAddress& peer, const std::optional<IpAddress>& local);
    // `client/host-length` along path_to(peer, local). Throws KernelError (no path, or
    // EEXIST when the client's address has a route already).
    void add_client_route(const IpAddress& client, const IpAddress& peer, const std::optional<IpAddress>& local);
    // Throws KernelError(ESRCH) when there is no route of ours for client.
    void del_client_route(const IpAddress& client);

    // `unreachable prefix/len`. Throws KernelError (EEXIST when present).
    void add_pool_route(const IpAddress& prefix, std::uint8_t len);
    void del_pool_route(const IpAddress& prefix, std::uint8_t len);  // only a route with our protocol number

    // Removes every route with our protocol number from the main table.
    void flush_own();

private:
    NetlinkSocket& socket_;
};

}  // namespace ikev2d::kernel
