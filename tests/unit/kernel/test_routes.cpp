// rtnetlink messages for client and pool routes, checked without a socket; and
// Routes::add_client_route / del_client_route for IPv6 client addresses against a fake
// kernel (fake_netlink_peer.hpp) that answers the path lookup.
#include <catch2/catch.hpp>

#include <linux/rtnetlink.h>

#include <array>
#include <cerrno>
#include <optional>
#include <vector>

#include "fake_netlink_peer.hpp"
#include "kernel/netlink_socket.hpp"

#include "kernel/kernel_ipsec.hpp"
#include "kernel/ownership.hpp"
#include "kernel/routes.hpp"
#include "nl_inspect.hpp"

using namespace ikev2d;
using namespace ikev2d::kernel;
using ikev2d::kernel::test::attr_payload;
using ikev2d::kernel::test::fixed_struct;
using ikev2d::kernel::test::Datagram;

namespace {
IpAddress ip(const char* text) { return IpAddress::from_string(text); }

// A kernel whose path toward every peer is `family` via interface `oif` and next hop
// `gateway` (none: on the link); it acks every other request. Records the requests.
struct FakeRouteKernel {
    test::FakeNetlinkPeer peer;
    NetlinkSocket socket;
    Routes routes;

    FakeRouteKernel(int family, std::uint32_t oif, std::optional<IpAddress> gateway)
        : peer([family, oif, gateway](const Datagram& datagram) {
              std::vector<Datagram> answers;
              for (const auto& request : test::parse_datagram(datagram)) {
                  if (request.header.nlmsg_type == RTM_GETROUTE) {
                      NlMessage reply(RTM_NEWROUTE, 0);
                      auto& rtm = reply.put_struct<rtmsg>();
                      rtm.rtm_family = static_cast<unsigned char>(family);
                      rtm.rtm_dst_len = family == AF_INET6 ? 128 : 32;
                      rtm.rtm_table = RT_TABLE_MAIN;
                      rtm.rtm_type = RTN_UNICAST;
                      reply.put_attr<std::uint32_t>(RTA_OIF, oif);
                      if (gateway) reply.put_attr(RTA_GATEWAY, gateway->bytes.data(), gateway->size());
                      reply.header()->nlmsg_seq = request.header.nlmsg_seq;
                      const ByteView bytes = reply.bytes();
                      answers.push_back(test::concat({Datagram(bytes.begin(), bytes.end()), test::nl_error(request.header, 0)}));
                  } else {
                      answers.push_back(test::nl_error(request.header, 0));
                  }
              }
              return answers;
          }),
          socket(NetlinkSocket::Adopt{peer.take_daemon_fd()}),
          routes(socket) {}

    // The requests of one type, in order (header + payload copies).
    std::vector<test::ParsedMessage> requests(std::uint16_t type) const {
        std::vector<test::ParsedMessage> out;
        for (const auto& datagram : peer.received())
            for (auto& m : test::parse_datagram(datagram))
                if (m.header.nlmsg_type == type) out.push_back(m);
        return out;
    }
};

const rtmsg& rtm_of(const test::ParsedMessage& m) {
    return *reinterpret_cast<const rtmsg*>(m.whole.data() + NLMSG_HDRLEN);
}

// The payload of attribute `type` (empty when absent).
std::vector<std::uint8_t> attr_of(const test::ParsedMessage& m, std::uint16_t type) {
    std::vector<std::uint8_t> out;
    for_each_attr(reinterpret_cast<const nlmsghdr*>(m.whole.data()), sizeof(rtmsg), [&](const nlattr* attr) {
        if (mnl_attr_get_type(attr) != type) return;
        const auto* p = static_cast<const std::uint8_t*>(mnl_attr_get_payload(attr));
        out.assign(p, p + mnl_attr_get_payload_len(attr));
    });
    return out;
}

std::vector<std::uint8_t> bytes_of(const IpAddress& a) { return {a.bytes.begin(), a.bytes.begin() + a.size()}; }
std::vector<std::uint8_t> u32_bytes(std::uint32_t v) {
    std::vector<std::uint8_t> out(4);
    std::memcpy(out.data(), &v, 4);
    return out;
}
}  // namespace

TEST_CASE("RTM_NEWROUTE for a client on a link: main table, our protocol, link scope, oif", "[kernel][routes]") {
    const NlMessage msg = route_message(RTM_NEWROUTE, RouteSpec{ip("10.2.2.7"), 32, RTN_UNICAST, 3, std::nullopt});
    REQUIRE(msg.type() == RTM_NEWROUTE);
    CHECK((msg.header()->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK)) == (NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK));
    const auto& rtm = fixed_struct<rtmsg>(msg);
    CHECK(rtm.rtm_family == AF_INET);
    CHECK(rtm.rtm_dst_len == 32);
    CHECK(rtm.rtm_table == RT_TABLE_MAIN);
    CHECK(rtm.rtm_protocol == kRouteProtocol);
    CHECK(rtm.rtm_scope == RT_SCOPE_LINK);
    CHECK(rtm.rtm_type == RTN_UNICAST);
    const auto* dst = attr_payload<std::array<std::uint8_t, 4>>(msg, sizeof(rtmsg), RTA_DST);
    REQUIRE(dst != nullptr);
    CHECK(*dst == std::array<std::uint8_t, 4>{10, 2, 2, 7});
    const auto* oif = attr_payload<std::uint32_t>(msg, sizeof(rtmsg), RTA_OIF);
    REQUIRE(oif != nullptr);
    CHECK(*oif == 3);
    CHECK(attr_payload<std::array<std::uint8_t, 4>>(msg, sizeof(rtmsg), RTA_GATEWAY) == nullptr);
}

TEST_CASE("a client route through a next hop is universe-scoped and carries RTA_GATEWAY", "[kernel][routes]") {
    const NlMessage msg = route_message(RTM_NEWROUTE, RouteSpec{ip("10.2.2.7"), 32, RTN_UNICAST, 4, ip("192.0.2.254")});
    CHECK(fixed_struct<rtmsg>(msg).rtm_scope == RT_SCOPE_UNIVERSE);
    const auto* gw = attr_payload<std::array<std::uint8_t, 4>>(msg, sizeof(rtmsg), RTA_GATEWAY);
    REQUIRE(gw != nullptr);
    CHECK(*gw == std::array<std::uint8_t, 4>{192, 0, 2, 254});
}

TEST_CASE("a pool route is unreachable, with no interface", "[kernel][routes]") {
    const NlMessage msg = route_message(RTM_NEWROUTE, RouteSpec{ip("10.2.2.0"), 24, RTN_UNREACHABLE, 0, std::nullopt});
    const auto& rtm = fixed_struct<rtmsg>(msg);
    CHECK(rtm.rtm_type == RTN_UNREACHABLE);
    CHECK(rtm.rtm_scope == RT_SCOPE_UNIVERSE);
    CHECK(rtm.rtm_protocol == kRouteProtocol);
    CHECK(attr_payload<std::uint32_t>(msg, sizeof(rtmsg), RTA_OIF) == nullptr);
}

TEST_CASE("RTM_GETROUTE asks for one destination from our address, like `ip route get`", "[kernel][routes]") {
    const NlMessage msg = route_get_message(ip("198.51.100.9"), ip("192.0.2.1"));
    REQUIRE(msg.type() == RTM_GETROUTE);
    CHECK((msg.header()->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP);
    const auto& rtm = fixed_struct<rtmsg>(msg);
    CHECK(rtm.rtm_dst_len == 32);
    CHECK(rtm.rtm_src_len == 32);
    const auto* dst = attr_payload<std::array<std::uint8_t, 4>>(msg, sizeof(rtmsg), RTA_DST);
    REQUIRE(dst != nullptr);
    CHECK(*dst == std::array<std::uint8_t, 4>{198, 51, 100, 9});
    const auto* src = attr_payload<std::array<std::uint8_t, 4>>(msg, sizeof(rtmsg), RTA_SRC);
    REQUIRE(src != nullptr);
    CHECK(*src == std::array<std::uint8_t, 4>{192, 0, 2, 1});

    // No source (or one of the other family): the plain lookup.
    const NlMessage plain = route_get_message(ip("2001:db8::9"), ip("192.0.2.1"));
    CHECK(fixed_struct<rtmsg>(plain).rtm_dst_len == 128);
    CHECK(attr_payload<std::array<std::uint8_t, 4>>(plain, sizeof(rtmsg), RTA_SRC) == nullptr);
}

TEST_CASE("host bits of the pool prefix are cleared (the kernel refuses them)", "[kernel][routes]") {
    const NlMessage msg = route_message(RTM_NEWROUTE, RouteSpec{ip("10.2.2.77"), 25, RTN_UNICAST, 1, std::nullopt});
    const auto* dst = attr_payload<std::array<std::uint8_t, 4>>(msg, sizeof(rtmsg), RTA_DST);
    REQUIRE(dst != nullptr);
    CHECK(*dst == std::array<std::uint8_t, 4>{10, 2, 2, 0});

    const NlMessage v6 = route_message(RTM_NEWROUTE, RouteSpec{ip("2001:db8:2::ff"), 120, RTN_UNICAST, 1, std::nullopt});
    const auto* dst6 = attr_payload<std::array<std::uint8_t, 16>>(v6, sizeof(rtmsg), RTA_DST);
    REQUIRE(dst6 != nullptr);
    CHECK((*dst6)[15] == 0);
    CHECK((*dst6)[1] == 0x01);
    CHECK(fixed_struct<rtmsg>(v6).rtm_family == AF_INET6);
}

TEST_CASE("RTM_DELROUTE matches on our protocol and the type, and has no CREATE flags", "[kernel][routes]") {
    const NlMessage msg = route_message(RTM_DELROUTE, RouteSpec{ip("10.2.2.0"), 24, RTN_UNREACHABLE, 0, std::nullopt});
    CHECK((msg.header()->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL)) == 0);
    CHECK(fixed_struct<rtmsg>(msg).rtm_protocol == kRouteProtocol);
    CHECK(fixed_struct<rtmsg>(msg).rtm_type == RTN_UNREACHABLE);
    CHECK(fixed_struct<rtmsg>(msg).rtm_scope == RT_SCOPE_NOWHERE);
    CHECK(attr_payload<std::uint32_t>(msg, sizeof(rtmsg), RTA_OIF) == nullptr);
}

TEST_CASE("a prefix length longer than the address is refused", "[kernel][routes]") {
    try {
        route_message(RTM_NEWROUTE, RouteSpec{ip("10.2.2.0"), 33, RTN_UNICAST, 1, std::nullopt});
        FAIL("no exception");
    } catch (const KernelError& e) {
        CHECK(e.err == EINVAL);
    }
}

TEST_CASE("parse_route reads what a route dump entry carries", "[kernel][routes]") {
    NlMessage entry(RTM_NEWROUTE, 0);
    auto& rtm = entry.put_struct<rtmsg>();
    rtm.rtm_family = AF_INET;
    rtm.rtm_dst_len = 0;
    rtm.rtm_table = RT_TABLE_MAIN;
    rtm.rtm_protocol = RTPROT_BOOT;
    rtm.rtm_type = RTN_UNICAST;
    entry.put_attr<std::uint32_t>(RTA_OIF, 7);
    const std::array<std::uint8_t, 4> gw{192, 0, 2, 254};
    entry.put_attr(RTA_GATEWAY, gw.data(), gw.size());
    entry.put_attr<std::uint32_t>(RTA_PRIORITY, 100);
    const auto route = parse_route(entry.header());
    REQUIRE(route.has_value());
    CHECK(route->oif == 7);
    CHECK(route->metric == 100);
    REQUIRE(route->gateway.has_value());
    CHECK(*route->gateway == ip("192.0.2.254"));
    CHECK(route->dst.is_any());
    CHECK(route->protocol == RTPROT_BOOT);

    NlMessage bad(RTM_NEWROUTE, 0);  // no rtmsg at all
    CHECK_FALSE(parse_route(bad.header()).has_value());
}

TEST_CASE("an IPv6 client address over an IPv4 tunnel gets a /128 route on the link toward the peer", "[kernel][routes]") {
    FakeRouteKernel k(AF_INET, 5, ip("192.0.2.254"));  // the IPv4 peer is behind a next hop
    k.routes.add_client_route(ip("2001:db8:8::5"), ip("198.18.0.11"), ip("192.0.2.1"));
    const auto lookups = k.requests(RTM_GETROUTE);
    REQUIRE(lookups.size() == 1);
    CHECK(attr_of(lookups[0], RTA_DST) == bytes_of(ip("198.18.0.11")));  // the path toward the outer address
    const auto adds = k.requests(RTM_NEWROUTE);
    REQUIRE(adds.size() == 1);
    CHECK(rtm_of(adds[0]).rtm_family == AF_INET6);
    CHECK(rtm_of(adds[0]).rtm_dst_len == 128);
    CHECK(rtm_of(adds[0]).rtm_protocol == kRouteProtocol);
    CHECK(attr_of(adds[0], RTA_DST) == bytes_of(ip("2001:db8:8::5")));
    CHECK(attr_of(adds[0], RTA_OIF) == u32_bytes(5));
    CHECK(attr_of(adds[0], RTA_GATEWAY).empty());  // an IPv4 next hop cannot carry an IPv6 route
}

TEST_CASE("an IPv6 client address over an IPv6 tunnel gets a /128 route via the IPv6 next hop", "[kernel][routes]") {
    FakeRouteKernel k(AF_INET6, 6, ip("2001:db8:0:1::fe"));
    k.routes.add_client_route(ip("2001:db8:8::5"), ip("2001:db8:7::11"), ip("2001:db8:0:1::1"));
    const auto lookups = k.requests(RTM_GETROUTE);
    REQUIRE(lookups.size() == 1);
    CHECK(rtm_of(lookups[0]).rtm_family == AF_INET6);
    CHECK(attr_of(lookups[0], RTA_SRC) == bytes_of(ip("2001:db8:0:1::1")));  // from our address: source routing applies
    const auto adds = k.requests(RTM_NEWROUTE);
    REQUIRE(adds.size() == 1);
    CHECK(rtm_of(adds[0]).rtm_family == AF_INET6);
    CHECK(rtm_of(adds[0]).rtm_dst_len == 128);
    CHECK(rtm_of(adds[0]).rtm_scope == RT_SCOPE_UNIVERSE);
    CHECK(attr_of(adds[0], RTA_OIF) == u32_bytes(6));
    CHECK(attr_of(adds[0], RTA_GATEWAY) == bytes_of(ip("2001:db8:0:1::fe")));
}

TEST_CASE("an IPv4 client address over an IPv6 tunnel gets a /32 route on the link", "[kernel][routes]") {
    FakeRouteKernel k(AF_INET6, 6, ip("2001:db8:0:1::fe"));
    k.routes.add_client_route(ip("203.0.113.5"), ip("2001:db8:7::11"), ip("2001:db8:0:1::1"));
    const auto adds = k.requests(RTM_NEWROUTE);
    REQUIRE(adds.size() == 1);
    CHECK(rtm_of(adds[0]).rtm_family == AF_INET);
    CHECK(rtm_of(adds[0]).rtm_dst_len == 32);
    CHECK(rtm_of(adds[0]).rtm_scope == RT_SCOPE_LINK);
    CHECK(attr_of(adds[0], RTA_OIF) == u32_bytes(6));
    CHECK(attr_of(adds[0], RTA_GATEWAY).empty());
}

TEST_CASE("a dual-stack client's routes are removed one per family, each only if ours", "[kernel][routes]") {
    FakeRouteKernel k(AF_INET, 5, std::nullopt);
    k.routes.add_client_route(ip("203.0.113.5"), ip("192.0.2.11"), ip("192.0.2.1"));
    k.routes.add_client_route(ip("2001:db8:8::5"), ip("192.0.2.11"), ip("192.0.2.1"));
    k.routes.del_client_route(ip("203.0.113.5"));
    k.routes.del_client_route(ip("2001:db8:8::5"));
    const auto dels = k.requests(RTM_DELROUTE);
    REQUIRE(dels.size() == 2);
    CHECK(rtm_of(dels[0]).rtm_family == AF_INET);
    CHECK(rtm_of(dels[0]).rtm_dst_len == 32);
    CHECK(attr_of(dels[0], RTA_DST) == bytes_of(ip("203.0.113.5")));
    CHECK(rtm_of(dels[1]).rtm_family == AF_INET6);
    CHECK(rtm_of(dels[1]).rtm_dst_len == 128);
    CHECK(attr_of(dels[1], RTA_DST) == bytes_of(ip("2001:db8:8::5")));
    for (const auto& d : dels) {
        CHECK(rtm_of(d).rtm_protocol == kRouteProtocol);  // never a foreign route
        CHECK(rtm_of(d).rtm_type == RTN_UNICAST);
    }
}
