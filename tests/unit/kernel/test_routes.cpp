// rtnetlink messages for client and pool routes, checked without a socket.
#include <catch2/catch.hpp>

#include <linux/rtnetlink.h>

#include <cerrno>

#include "kernel/kernel_ipsec.hpp"
#include "kernel/ownership.hpp"
#include "kernel/routes.hpp"
#include "nl_inspect.hpp"

using namespace ikev2d;
using namespace ikev2d::kernel;
using ikev2d::kernel::test::attr_payload;
using ikev2d::kernel::test::fixed_struct;

namespace {
IpAddress ip(const char* text) { return IpAddress::from_string(text); }
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
