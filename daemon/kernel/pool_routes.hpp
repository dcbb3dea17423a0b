// Routes for client address pools (rtnetlink over libmnl): `<pool> dev <outside
// interface> proto 0x1d` in the main table, so that packets from LAN hosts to clients
// are routed at all; the XFRM output policy then diverts them into ESP. The protocol
// number marks them ours (ownership.hpp) for flush and for a safe delete.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kernel/netlink_message.hpp"
#include "kernel/netlink_socket.hpp"
#include "util/ip_address.hpp"

namespace ikev2d::kernel {

inline constexpr const char* kIpv4ForwardingPath = "/proc/sys/net/ipv4/ip_forward";

// Message construction, exposed for tests. RTM_NEWROUTE / RTM_DELROUTE for prefix/len
// (host bits cleared) out of interface oif (0 = unspecified, for deletes).
NlMessage route_message(std::uint16_t type, const IpAddress& prefix, std::uint8_t len, std::uint32_t oif);
NlMessage route_dump_message(int family);

struct RouteInfo {
    int family = 0;
    std::uint8_t dst_len = 0;
    std::uint32_t table = 0;
    std::uint8_t protocol = 0;
    std::uint8_t type = 0;
    IpAddress dst;  // any() for a default route
    std::uint32_t oif = 0;  // 0 when absent (e.g. multipath)
    std::uint32_t metric = 0;
};
std::optional<RouteInfo> parse_route(const nlmsghdr* nlh);

class PoolRoutes {
public:
    explicit PoolRoutes(NetlinkSocket& route_socket) : socket_(route_socket) {}
    // Throws KernelError (ENETUNREACH when there is no default route of prefix's family).
    void add(const IpAddress& prefix, std::uint8_t len);
    void del(const IpAddress& prefix, std::uint8_t len);  // only a route with our protocol number
    void flush_own();
    // The interface of the main table's preferred default route of that family.
    std::uint32_t default_route_interface(int family);

private:
    NetlinkSocket& socket_;
};

// Writes 1 to /proc/sys/net/ipv4/ip_forward (the gateway forwards between clients and
// the LAN). Returns the previous value; throws KernelError on failure.
bool enable_ipv4_forwarding(const std::string& path = kIpv4ForwardingPath);
// Writes 0 or 1 there; throws KernelError on failure.
void set_ipv4_forwarding(bool on, const std::string& path = kIpv4ForwardingPath);

// IPv4 forwarding switched on while clients have pools, and put back as it was found:
// a daemon that is stopped (or whose pools are all removed) leaves the host as it was.
class Ipv4Forwarding {
public:
    explicit Ipv4Forwarding(std::string path = kIpv4ForwardingPath) : path_(std::move(path)) {}
    ~Ipv4Forwarding() { restore(); }
    Ipv4Forwarding(const Ipv4Forwarding&) = delete;
    Ipv4Forwarding& operator=(const Ipv4Forwarding&) = delete;
    // Switches forwarding on (once); logs and returns false when it cannot.
    bool enable();
    // Writes 0 back if enable() changed it from 0; never throws.
    void restore() noexcept;

private:
    std::string path_;
    bool enabled_by_us_ = false;  // it was 0 and we wrote 1
    bool enabled_ = false;
};

}  // namespace ikev2d::kernel
