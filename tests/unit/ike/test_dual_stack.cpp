// IPv6 inner addresses (issue 13): a group with an IPv6 pool besides its IPv4 one gives a
// client that asks for both one address of each (INTERNAL_IP6_ADDRESS with its prefix
// length), one Child SA covers both (TSi holds both addresses; IPv4 and IPv6 policies
// share the SAs, whose own selector is then empty), both addresses are routed, and all of
// it goes with the session. An IPv6-only client gets only IPv6; a full IPv6 pool leaves a
// dual-stack client with IPv4.
#include <catch2/catch.hpp>

#include "exchange_helpers.hpp"

using namespace test_ike;
using iana::CfgAttr;
using iana::ExchangeType;
using iana::NotifyType;
using iana::PayloadType;

namespace {

IpAddress ip(const char* text) { return IpAddress::from_string(text); }

// The test configuration with an IPv6 pool of `v6_addresses` for the PSK group, whose
// networks are an IPv4 and an IPv6 LAN.
std::string dual_stack_config(int v6_addresses = 6) {
    std::string toml = kTestConfig;
    const std::string group = "[group.psk]\npool = \"p\"\n";
    auto at = toml.find(group);
    REQUIRE(at != std::string::npos);
    toml.replace(at, group.size(),
                 "[pool.p6]\nrange = \"2001:db8:8::1-2001:db8:8::" + std::to_string(v6_addresses) + "\"\n\n" + group +
                     "ipv6_pool = \"p6\"\n");
    const std::string lan = "local_networks = [\"198.51.100.0/24\"]";
    at = toml.find(lan);
    REQUIRE(at != std::string::npos);
    toml.replace(at, lan.size(), "local_networks = [\"198.51.100.0/24\", \"2001:db8:51::/64\"]");
    return toml;
}

wire::TrafficSelector selector(const char* first, const char* last) {
    wire::TrafficSelector s;
    const IpAddress a = ip(first), b = ip(last);
    s.type = a.is_v4() ? iana::TsType::IPV4_ADDR_RANGE : iana::TsType::IPV6_ADDR_RANGE;
    s.start_addr.assign(a.view().begin(), a.view().end());
    s.end_addr.assign(b.view().begin(), b.view().end());
    return s;
}

wire::TsPayload both_families() {
    return wire::TsPayload{{selector("0.0.0.0", "255.255.255.255"), selector("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")}};
}

// IKE_AUTH with PSK asking for the given address families, TSi/TSr of both families.
std::vector<wire::Payload> auth_asking(GatewayHarness& h, TestInitiator& ini, bool ip4, bool ip6) {
    std::vector<wire::Payload> payloads = ini.auth_payloads("site@psk.test", kTestPsk, true);
    for (auto& p : payloads) {
        if (auto* cp = std::get_if<wire::CpPayload>(&p.body)) {
            cp->attributes.clear();
            if (ip4) cp->attributes.push_back({static_cast<std::uint16_t>(CfgAttr::INTERNAL_IP4_ADDRESS), {}});
            if (ip6) cp->attributes.push_back({static_cast<std::uint16_t>(CfgAttr::INTERNAL_IP6_ADDRESS), {}});
        }
        if (p.type == PayloadType::TSi || p.type == PayloadType::TSr) p.body = both_families();
    }
    auto out = h.deliver(natt_of(ini.self()), ini.request(ExchangeType::IKE_AUTH, payloads));
    REQUIRE(out.size() == 1);
    return ini.open_response(out);
}

std::map<std::uint16_t, Bytes> cfg_reply(const std::vector<wire::Payload>& payloads) {
    std::map<std::uint16_t, Bytes> got;
    for (const auto& p : payloads)
        if (const auto* cp = std::get_if<wire::CpPayload>(&p.body))
            for (const auto& a : cp->attributes) got[a.type] = a.value;
    return got;
}

std::vector<std::string> ts_of(const std::vector<wire::Payload>& payloads, PayloadType type) {
    std::vector<std::string> out;
    for (const auto& p : payloads)
        if (p.type == type)
            for (const auto& s : std::get<wire::TsPayload>(p.body).selectors)
                out.push_back(IpAddress::from_bytes(s.start_addr).to_string() + "-" + IpAddress::from_bytes(s.end_addr).to_string());
    return out;
}

Bytes ip6_attribute(const char* address) {
    const IpAddress a = ip(address);
    Bytes v(a.view().begin(), a.view().end());
    v.push_back(128);
    return v;
}

std::size_t policies_of_family(const GatewayHarness& h, int family) {
    std::size_t n = 0;
    for (const auto& [key, policy] : h.kernel.policies())
        if (key.first.src.family == family) ++n;
    return n;
}

void delete_ike_sa(GatewayHarness& h, TestInitiator& ini) {
    wire::DeletePayload del;
    del.protocol = static_cast<std::uint8_t>(iana::ProtocolId::IKE);
    ini.open_response(h.deliver(natt_of(ini.self()), ini.request(ExchangeType::INFORMATIONAL, {{PayloadType::Delete, false, del}})));
}

const Endpoint kClient{ip("192.0.2.11"), 500};

}  // namespace

TEST_CASE("dual stack: one address of each family, one Child SA for both, all gone with the session", "[ipv6]") {
    GatewayHarness h(dual_stack_config());
    TestInitiator ini(kClient, h.local);
    sa_init_ok(h, ini);
    auto resp = auth_asking(h, ini, true, true);
    REQUIRE(error_notify(resp) == 0);

    auto cp = cfg_reply(resp);
    CHECK(cp.at(static_cast<std::uint16_t>(CfgAttr::INTERNAL_IP4_ADDRESS)) == Bytes{10, 2, 2, 1});
    CHECK(cp.at(static_cast<std::uint16_t>(CfgAttr::INTERNAL_IP6_ADDRESS)) == ip6_attribute("2001:db8:8::1"));
    CHECK(ts_of(resp, PayloadType::TSi) == std::vector<std::string>{"10.2.2.1-10.2.2.1", "2001:db8:8::1-2001:db8:8::1"});
    CHECK(ts_of(resp, PayloadType::TSr) ==
          std::vector<std::string>{"198.51.100.0-198.51.100.255", "2001:db8:51::-2001:db8:51:0:ffff:ffff:ffff:ffff"});

    // One pair of SAs, without a selector of their own (they carry both families).
    REQUIRE(h.kernel.sas().size() == 2);
    for (const auto& [key, sa] : h.kernel.sas()) CHECK_FALSE(sa.selector.has_value());
    // in, out, fwd for each family, all tied to the SAs by one reqid.
    CHECK(policies_of_family(h, AF_INET) == 3);
    CHECK(policies_of_family(h, AF_INET6) == 3);
    std::set<std::uint32_t> reqids;
    for (const auto& [key, policy] : h.kernel.policies()) reqids.insert(policy.reqid);
    CHECK(reqids.size() == 1);
    CHECK(h.kernel.client_routes().count(ip("10.2.2.1")) == 1);
    CHECK(h.kernel.client_routes().count(ip("2001:db8:8::1")) == 1);
    REQUIRE(h.gateway->sas().size() == 1);
    const auto& sa = *h.gateway->sas().begin()->second;
    CHECK(sa.assigned_address == ip("10.2.2.1"));
    CHECK(sa.assigned_address6 == ip("2001:db8:8::1"));

    delete_ike_sa(h, ini);
    CHECK(h.kernel.sas().empty());
    CHECK(h.kernel.policies().empty());
    CHECK(h.kernel.client_routes().empty());
    // Both addresses are free again: the next client gets them.
    TestInitiator next(Endpoint{ip("192.0.2.12"), 500}, h.local);
    sa_init_ok(h, next);
    auto again = cfg_reply(auth_asking(h, next, true, true));
    CHECK(again.at(static_cast<std::uint16_t>(CfgAttr::INTERNAL_IP6_ADDRESS)).size() == 17);
}

TEST_CASE("IPv6 only: a client asking for IPv6 alone gets no IPv4 address and IPv6 policies only", "[ipv6]") {
    GatewayHarness h(dual_stack_config());
    TestInitiator ini(kClient, h.local);
    sa_init_ok(h, ini);
    auto resp = auth_asking(h, ini, false, true);
    REQUIRE(error_notify(resp) == 0);
    auto cp = cfg_reply(resp);
    CHECK(cp.count(static_cast<std::uint16_t>(CfgAttr::INTERNAL_IP4_ADDRESS)) == 0);
    CHECK(cp.at(static_cast<std::uint16_t>(CfgAttr::INTERNAL_IP6_ADDRESS)) == ip6_attribute("2001:db8:8::1"));
    CHECK(ts_of(resp, PayloadType::TSi) == std::vector<std::string>{"2001:db8:8::1-2001:db8:8::1"});
    CHECK(ts_of(resp, PayloadType::TSr) == std::vector<std::string>{"2001:db8:51::-2001:db8:51:0:ffff:ffff:ffff:ffff"});
    CHECK(policies_of_family(h, AF_INET) == 0);
    CHECK(policies_of_family(h, AF_INET6) == 3);
    // One selector pair: the SAs keep theirs (IPv6 inner, IPv4 outer).
    for (const auto& [key, sa] : h.kernel.sas()) {
        REQUIRE(sa.selector.has_value());
        CHECK(sa.selector->src.family == AF_INET6);
        CHECK(sa.src.family == AF_INET);
    }
    CHECK(h.kernel.client_routes().size() == 1);
    CHECK(h.kernel.client_routes().count(ip("2001:db8:8::1")) == 1);
}

TEST_CASE("dual stack with the IPv6 pool full: IPv4 only, not a refused session", "[ipv6]") {
    GatewayHarness h(dual_stack_config(1));
    TestInitiator first(kClient, h.local);
    sa_init_ok(h, first);
    REQUIRE(error_notify(auth_asking(h, first, true, true)) == 0);
    TestInitiator second(Endpoint{ip("192.0.2.12"), 500}, h.local);
    sa_init_ok(h, second);
    auto resp = auth_asking(h, second, true, true);
    REQUIRE(error_notify(resp) == 0);
    auto cp = cfg_reply(resp);
    CHECK(cp.at(static_cast<std::uint16_t>(CfgAttr::INTERNAL_IP4_ADDRESS)) == Bytes{10, 2, 2, 2});
    CHECK(cp.count(static_cast<std::uint16_t>(CfgAttr::INTERNAL_IP6_ADDRESS)) == 0);
    CHECK(ts_of(resp, PayloadType::TSi) == std::vector<std::string>{"10.2.2.2-10.2.2.2"});
}

TEST_CASE("a group without an IPv6 pool refuses a client that asks for IPv6 alone", "[ipv6]") {
    GatewayHarness h;  // group psk: IPv4 pool only
    TestInitiator ini(kClient, h.local);
    sa_init_ok(h, ini);
    auto resp = auth_asking(h, ini, false, true);
    CHECK(error_notify(resp) == code(NotifyType::INTERNAL_ADDRESS_FAILURE));
    CHECK(h.kernel.sas().empty());
    CHECK(h.kernel.policies().empty());
}
