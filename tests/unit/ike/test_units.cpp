// Unit tests of the protocol's pure parts: proposal selection, selector narrowing,
// the configuration payload and cookies.
#include <catch2/catch.hpp>

#include "ike/config_payload.hpp"
#include "ike/cookie.hpp"
#include "ike/payload_helpers.hpp"
#include "ike/proposals.hpp"
#include "ike/traffic_selectors.hpp"

using namespace ikev2d;
using namespace ikev2d::ike;
using iana::TransformType;

namespace {

wire::Proposal ike_proposal(std::uint8_t number, iana::EncrId e, std::optional<std::uint16_t> bits, iana::IntegId i,
                            iana::PrfId p, std::vector<iana::DhGroup> groups) {
    wire::Proposal prop;
    prop.number = number;
    prop.protocol = iana::ProtocolId::IKE;
    prop.transforms.push_back(make_transform(TransformType::ENCR, static_cast<std::uint16_t>(e), bits));
    if (i != iana::IntegId::NONE) prop.transforms.push_back(make_transform(TransformType::INTEG, static_cast<std::uint16_t>(i)));
    prop.transforms.push_back(make_transform(TransformType::PRF, static_cast<std::uint16_t>(p)));
    for (auto g : groups) prop.transforms.push_back(make_transform(TransformType::DH, static_cast<std::uint16_t>(g)));
    return prop;
}

config::IkePolicy policy(std::vector<config::EncrSpec> e, std::vector<iana::IntegId> i, std::vector<iana::PrfId> p,
                         std::vector<iana::DhGroup> g) {
    config::IkePolicy pol;
    pol.encryption = std::move(e);
    pol.integrity = std::move(i);
    pol.prf = std::move(p);
    pol.groups = std::move(g);
    return pol;
}

wire::TrafficSelector ts(const char* a, const char* b) {
    wire::TrafficSelector s;
    s.type = iana::TsType::IPV4_ADDR_RANGE;
    s.ip_protocol = 0;
    s.start_port = 0;
    s.end_port = 65535;
    auto x = IpAddress::from_string(a), y = IpAddress::from_string(b);
    s.start_addr.assign(x.view().begin(), x.view().end());
    s.end_addr.assign(y.view().begin(), y.view().end());
    return s;
}

}  // namespace

TEST_CASE("IKE proposal selection follows the gateway's policy order") {
    std::vector<config::IkePolicy> policies = {
        policy({{iana::EncrId::AES_GCM_16, 256}}, {}, {iana::PrfId::HMAC_SHA2_256}, {iana::DhGroup::ECP_256}),
        policy({{iana::EncrId::AES_CBC, 128}}, {iana::IntegId::HMAC_SHA2_256_128}, {iana::PrfId::HMAC_SHA2_256},
               {iana::DhGroup::CURVE25519, iana::DhGroup::ECP_256}),
    };
    wire::SaPayload offered;
    offered.proposals.push_back(ike_proposal(1, iana::EncrId::AES_CBC, 128, iana::IntegId::HMAC_SHA2_256_128,
                                             iana::PrfId::HMAC_SHA2_256, {iana::DhGroup::ECP_256}));
    offered.proposals.push_back(ike_proposal(2, iana::EncrId::AES_GCM_16, 256, iana::IntegId::NONE,
                                             iana::PrfId::HMAC_SHA2_256, {iana::DhGroup::ECP_256}));
    auto c = select_ike_proposal(policies, offered, iana::DhGroup::ECP_256);
    REQUIRE(c.proposal);
    REQUIRE(c.proposal->number == 2);  // policy 10 (GCM) wins although the client listed CBC first
    REQUIRE(c.algs.encr == iana::EncrId::AES_GCM_16);
    REQUIRE(c.algs.integ == iana::IntegId::NONE);

    // Key length must match: AES-CBC-256 is not AES-CBC-128.
    wire::SaPayload wrong_len;
    wrong_len.proposals.push_back(ike_proposal(1, iana::EncrId::AES_CBC, 256, iana::IntegId::HMAC_SHA2_256_128,
                                               iana::PrfId::HMAC_SHA2_256, {iana::DhGroup::ECP_256}));
    REQUIRE_FALSE(select_ike_proposal(policies, wrong_len, iana::DhGroup::ECP_256).proposal);

    // A KE for a group we accept in a worse position still wins over asking for another.
    wire::SaPayload x;
    x.proposals.push_back(ike_proposal(1, iana::EncrId::AES_CBC, 128, iana::IntegId::HMAC_SHA2_256_128,
                                       iana::PrfId::HMAC_SHA2_256, {iana::DhGroup::ECP_256, iana::DhGroup::CURVE25519}));
    auto k = select_ike_proposal(policies, x, iana::DhGroup::CURVE25519);
    REQUIRE(k.proposal);
    REQUIRE(k.algs.dh == iana::DhGroup::CURVE25519);
    auto invalid_ke = select_ike_proposal(policies, x, iana::DhGroup::MODP_2048);
    REQUIRE_FALSE(invalid_ke.proposal);
    REQUIRE(invalid_ke.ke_group_wanted == iana::DhGroup::CURVE25519);
}

TEST_CASE("ESP proposal selection: AEAD without integrity, ESN only when configured, peer SPI") {
    config::IpsecProposal conf;
    conf.encryption = {{iana::EncrId::AES_GCM_16, 128}, {iana::EncrId::AES_CBC, 256}};
    conf.integrity = {iana::IntegId::HMAC_SHA1_96};
    wire::Proposal p;
    p.number = 3;
    p.protocol = iana::ProtocolId::ESP;
    p.spi = {0xc0, 0xff, 0xee, 0x01};
    p.transforms.push_back(make_transform(TransformType::ENCR, static_cast<std::uint16_t>(iana::EncrId::AES_CBC), 256));
    p.transforms.push_back(make_transform(TransformType::INTEG, static_cast<std::uint16_t>(iana::IntegId::HMAC_SHA1_96)));
    p.transforms.push_back(make_transform(TransformType::ESN, 1));
    p.transforms.push_back(make_transform(TransformType::ESN, 0));
    wire::SaPayload offered{{p}};
    auto c = select_esp_proposal({&conf}, offered, false);
    REQUIRE(c);
    REQUIRE(c->peer_spi == 0xc0ffee01u);
    REQUIRE(c->encr == iana::EncrId::AES_CBC);
    REQUIRE_FALSE(c->esn);
    conf.esn = true;
    REQUIRE(select_esp_proposal({&conf}, offered, false)->esn);
    conf.integrity = {iana::IntegId::HMAC_SHA2_256_128};
    REQUIRE_FALSE(select_esp_proposal({&conf}, offered, false));
}

TEST_CASE("traffic selectors narrow to the client's address and our networks") {
    wire::TsPayload tsi{{ts("0.0.0.0", "255.255.255.255")}};
    wire::TsPayload tsr{{ts("0.0.0.0", "255.255.255.255")}};
    auto n = narrow_selectors(tsi, tsr, {IpAddress::from_string("10.2.2.7")},
                              {*IpPrefix::parse("198.51.100.0/24"), *IpPrefix::parse("10.9.0.0/16")});
    REQUIRE(n);
    REQUIRE(n->remote.size() == 1);
    REQUIRE(n->remote[0].to_string() == "10.2.2.7/32");
    REQUIRE(n->local.size() == 2);
    REQUIRE(n->local[1].to_string() == "10.9.0.0/16");
    // A client that excludes its own address, or wants only networks we don't have.
    REQUIRE_FALSE(narrow_selectors(wire::TsPayload{{ts("10.3.0.0", "10.3.0.255")}}, tsr, {IpAddress::from_string("10.2.2.7")},
                                   {*IpPrefix::parse("0.0.0.0/0")}));
    REQUIRE_FALSE(narrow_selectors(tsi, wire::TsPayload{{ts("172.16.0.0", "172.16.0.255")}}, {IpAddress::from_string("10.2.2.7")},
                                   {*IpPrefix::parse("198.51.100.0/24")}));
    // Narrowing a wide TSr to a configured subnet.
    auto m = narrow_selectors(tsi, wire::TsPayload{{ts("198.51.0.0", "198.51.255.255")}}, {IpAddress::from_string("10.2.2.7")},
                              {*IpPrefix::parse("198.51.100.0/24")});
    REQUIRE(m);
    REQUIRE(m->local[0].to_string() == "198.51.100.0/24");
}

TEST_CASE("CFG_REPLY carries the address, DNS, split networks and ignores unknown attributes") {
    config::GroupConfig group;
    group.dns = {IpAddress::from_string("198.51.100.53")};
    group.split_include = {*IpPrefix::parse("10.0.0.0/8")};
    group.dns_domains = {"corp.example"};
    config::PoolConfig pool;
    pool.first = IpAddress::from_string("10.2.2.1");
    pool.last = IpAddress::from_string("10.2.2.6");
    wire::CpPayload req;
    req.cfg_type = iana::CfgType::CFG_REQUEST;
    for (std::uint16_t t : {1, 2, 3, 28704, 28729}) req.attributes.push_back({t, {}});
    auto reply = build_cfg_reply(req, IpAddress::from_string("10.2.2.3"), std::nullopt, &pool, group, false);
    REQUIRE(reply.cfg_type == iana::CfgType::CFG_REPLY);
    std::map<std::uint16_t, Bytes> got;
    for (const auto& a : reply.attributes) got[a.type] = a.value;
    REQUIRE(got.at(1) == Bytes{10, 2, 2, 3});
    REQUIRE(got.at(2) == Bytes{255, 255, 255, 248});
    REQUIRE(got.at(3) == Bytes{198, 51, 100, 53});
    REQUIRE(got.at(13) == Bytes{10, 0, 0, 0, 255, 0, 0, 0});
    REQUIRE(got.at(25) == Bytes{'c', 'o', 'r', 'p', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e'});
    REQUIRE(got.count(28704) == 0);
}

TEST_CASE("traffic selectors of a dual-stack client: one TSi range per address, TSr of both families") {
    wire::TsPayload tsi{{ts("0.0.0.0", "255.255.255.255"), ts("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")}};
    wire::TsPayload tsr = tsi;
    const std::vector<IpAddress> both{IpAddress::from_string("10.2.2.7"), IpAddress::from_string("2001:db8:8::7")};
    const std::vector<IpPrefix> nets{*IpPrefix::parse("198.51.100.0/24"), *IpPrefix::parse("2001:db8:51::/64")};
    auto n = narrow_selectors(tsi, tsr, both, nets);
    REQUIRE(n);
    CHECK(to_string(n->remote) == "10.2.2.7/32, 2001:db8:8::7/128");
    CHECK(to_string(n->local) == "198.51.100.0/24, 2001:db8:51::/64");
    // A client with only an IPv4 address gets no IPv6 networks (nothing could pair with them).
    auto v4 = narrow_selectors(tsi, tsr, {IpAddress::from_string("10.2.2.7")}, nets);
    REQUIRE(v4);
    CHECK(to_string(v4->local) == "198.51.100.0/24");
    // TSi that covers only the IPv6 address: only that one; TSr only of IPv4: refused,
    // since no IPv4 address of the client remains to pair with it.
    auto v6 = narrow_selectors(wire::TsPayload{{ts("2001:db8:8::", "2001:db8:8::ffff")}}, tsr, both, nets);
    REQUIRE(v6);
    CHECK(to_string(v6->remote) == "2001:db8:8::7/128");
    CHECK(to_string(v6->local) == "2001:db8:51::/64");
    CHECK_FALSE(narrow_selectors(wire::TsPayload{{ts("2001:db8:8::", "2001:db8:8::ffff")}},
                                 wire::TsPayload{{ts("198.51.100.0", "198.51.100.255")}}, both, nets));
}

TEST_CASE("CFG_REPLY gives an IPv6 address with its prefix length, and IPv6 split networks") {
    config::GroupConfig group;
    group.split_include = {*IpPrefix::parse("10.0.0.0/8"), *IpPrefix::parse("2001:db8:51::/64")};
    wire::CpPayload req;
    req.cfg_type = iana::CfgType::CFG_REQUEST;
    req.attributes.push_back({static_cast<std::uint16_t>(iana::CfgAttr::INTERNAL_IP6_ADDRESS), {}});
    auto reply = build_cfg_reply(req, std::nullopt, IpAddress::from_string("2001:db8:8::5"), nullptr, group, false);
    std::map<std::uint16_t, Bytes> got;
    for (const auto& a : reply.attributes) got[a.type] = a.value;
    // RFC 7296 3.15.1: INTERNAL_IP6_ADDRESS (8) and INTERNAL_IP6_SUBNET (15) are 17 octets.
    const IpAddress a6 = IpAddress::from_string("2001:db8:8::5");
    Bytes address(a6.view().begin(), a6.view().end());
    address.push_back(128);
    CHECK(got.at(8) == address);
    const IpAddress n6 = IpAddress::from_string("2001:db8:51::");
    Bytes subnet(n6.view().begin(), n6.view().end());
    subnet.push_back(64);
    CHECK(got.at(15) == subnet);
    CHECK(got.count(1) == 0);  // no IPv4 address was assigned
    CHECK(got.at(13) == Bytes{10, 0, 0, 0, 255, 0, 0, 0});
    // Without an IPv6 address there are no IPv6 networks to offer.
    auto v4 = build_cfg_reply(req, IpAddress::from_string("10.2.2.3"), std::nullopt, nullptr, group, false);
    for (const auto& a : v4.attributes) CHECK((a.type != 8 && a.type != 15));
}

TEST_CASE("cookies depend on the initiator and survive one secret rotation") {
    CookieJar jar;
    jar.maybe_rotate(0);
    Bytes ni(32, 7);
    auto a = IpAddress::from_string("192.0.2.11");
    Bytes c = jar.make(42, ni, a);
    REQUIRE(jar.check(c, 42, ni, a));
    REQUIRE_FALSE(jar.check(c, 43, ni, a));
    REQUIRE_FALSE(jar.check(c, 42, ni, IpAddress::from_string("192.0.2.12")));
    jar.maybe_rotate(10 * 60 * 1000);
    REQUIRE(jar.check(c, 42, ni, a));
    jar.maybe_rotate(20 * 60 * 1000);
    REQUIRE_FALSE(jar.check(c, 42, ni, a));
}

TEST_CASE("CP APPLICATION_VERSION is kept printable and bounded (it reaches logs and status)") {
    wire::CpPayload req;
    req.cfg_type = iana::CfgType::CFG_REQUEST;
    const std::string evil = "AnyConnect\x1b[31m\nFAKE LOG LINE";
    req.attributes.push_back({static_cast<std::uint16_t>(iana::CfgAttr::APPLICATION_VERSION), Bytes(evil.begin(), evil.end())});
    REQUIRE(inspect_cfg_request(req).application_version == "AnyConnect?[31m?FAKE LOG LINE");
    req.attributes[0].value.assign(1000, 'A');
    REQUIRE(inspect_cfg_request(req).application_version == std::string(128, 'A') + "...");
}
