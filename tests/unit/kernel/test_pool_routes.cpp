// rtnetlink messages for pool routes, checked without a socket.
#include <catch2/catch.hpp>

#include <linux/rtnetlink.h>

#include <cerrno>

#include "kernel/kernel_ipsec.hpp"
#include "kernel/ownership.hpp"
#include "kernel/pool_routes.hpp"
#include "nl_inspect.hpp"

using namespace ikev2d;
using namespace ikev2d::kernel;
using ikev2d::kernel::test::attr_payload;
using ikev2d::kernel::test::fixed_struct;

TEST_CASE("RTM_NEWROUTE for a pool: main table, our protocol, link scope, oif", "[kernel][routes]") {
    const NlMessage msg = route_message(RTM_NEWROUTE, IpAddress::from_string("10.2.2.0"), 24, 3);
    REQUIRE(msg.type() == RTM_NEWROUTE);
    CHECK((msg.header()->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK)) == (NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK));
    const auto& rtm = fixed_struct<rtmsg>(msg);
    CHECK(rtm.rtm_family == AF_INET);
    CHECK(rtm.rtm_dst_len == 24);
    CHECK(rtm.rtm_table == RT_TABLE_MAIN);
    CHECK(rtm.rtm_protocol == kRouteProtocol);
    CHECK(rtm.rtm_scope == RT_SCOPE_LINK);
    CHECK(rtm.rtm_type == RTN_UNICAST);
    const auto* dst = attr_payload<std::array<std::uint8_t, 4>>(msg, sizeof(rtmsg), RTA_DST);
    REQUIRE(dst != nullptr);
    CHECK(*dst == std::array<std::uint8_t, 4>{10, 2, 2, 0});
    const auto* oif = attr_payload<std::uint32_t>(msg, sizeof(rtmsg), RTA_OIF);
    REQUIRE(oif != nullptr);
    CHECK(*oif == 3);
}

TEST_CASE("host bits of the pool prefix are cleared (the kernel refuses them)", "[kernel][routes]") {
    const NlMessage msg = route_message(RTM_NEWROUTE, IpAddress::from_string("10.2.2.77"), 25, 1);
    const auto* dst = attr_payload<std::array<std::uint8_t, 4>>(msg, sizeof(rtmsg), RTA_DST);
    REQUIRE(dst != nullptr);
    CHECK(*dst == std::array<std::uint8_t, 4>{10, 2, 2, 0});

    const NlMessage v6 = route_message(RTM_NEWROUTE, IpAddress::from_string("2001:db8:2::ff"), 120, 1);
    const auto* dst6 = attr_payload<std::array<std::uint8_t, 16>>(v6, sizeof(rtmsg), RTA_DST);
    REQUIRE(dst6 != nullptr);
    CHECK((*dst6)[15] == 0);
    CHECK((*dst6)[1] == 0x01);
    CHECK(fixed_struct<rtmsg>(v6).rtm_family == AF_INET6);
}

TEST_CASE("RTM_DELROUTE matches on our protocol and has no CREATE flags", "[kernel][routes]") {
    const NlMessage msg = route_message(RTM_DELROUTE, IpAddress::from_string("10.2.2.0"), 24, 0);
    CHECK((msg.header()->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL)) == 0);
    CHECK(fixed_struct<rtmsg>(msg).rtm_protocol == kRouteProtocol);
    CHECK(attr_payload<std::uint32_t>(msg, sizeof(rtmsg), RTA_OIF) == nullptr);
}

TEST_CASE("a prefix length longer than the address is refused", "[kernel][routes]") {
    try {
        route_message(RTM_NEWROUTE, IpAddress::from_string("10.2.2.0"), 33, 1);
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
    entry.put_attr<std::uint32_t>(RTA_PRIORITY, 100);
    const auto route = parse_route(entry.header());
    REQUIRE(route.has_value());
    CHECK(route->oif == 7);
    CHECK(route->metric == 100);
    CHECK(route->dst.is_any());
    CHECK(route->protocol == RTPROT_BOOT);

    NlMessage bad(RTM_NEWROUTE, 0);  // no rtmsg at all
    CHECK_FALSE(parse_route(bad.header()).has_value());
}
