// dump(): the seed-style lines are there, and AUTH/EAP contents never are.
#include <catch2/catch.hpp>

#include "wire/dump.hpp"
#include "wire/parser.hpp"
#include "seed_messages.hpp"

using namespace ikev2d;
using namespace ikev2d::wire;
using namespace ikev2d::wire::test;

namespace {
bool has_line(const std::string& text, const std::string& line) {
    return text.find(line + "\n") != std::string::npos;
}
}  // namespace

TEST_CASE("dump of the seed's IKE_SA_INIT response reads like the ASA's debug", "[wire][dump]") {
    auto r = parse_message(seed_sa_init_response());
    REQUIRE(r.ok());
    const std::string d = dump(r.value());
    INFO(d);
    CHECK(has_line(d, "IKEV2 HDR ispi: 58AFF71141BA436B - rspi: FC696330E6B94D7F"));
    CHECK(has_line(d, "Next payload: SA, version: 2.0"));
    CHECK(has_line(d, "Exchange type: IKE_SA_INIT, flags: RESPONDER MSG-RESPONSE"));
    CHECK(has_line(d, "Message id: 0x0, length: 386"));
    CHECK(has_line(d, "SA Next payload: KE, reserved: 0x0, length: 48"));
    CHECK(has_line(d, "  last proposal: 0x0, reserved: 0x0, length: 44"));
    CHECK(has_line(d, "  Proposal: 1, Protocol id: IKE, SPI size: 0, #trans: 4"));
    CHECK(has_line(d, "    last transform: 0x3, reserved: 0x0: length: 12"));
    CHECK(has_line(d, "    type: 1, reserved: 0x0, id: AES-CBC, key length: 192"));
    CHECK(has_line(d, "    type: 2, reserved: 0x0, id: SHA1"));
    CHECK(has_line(d, "    type: 3, reserved: 0x0, id: SHA96"));
    CHECK(has_line(d, "    last transform: 0x0, reserved: 0x0: length: 8"));
    CHECK(has_line(d, "    type: 4, reserved: 0x0, id: DH_GROUP_768_MODP/Group 1"));
    CHECK(has_line(d, "KE Next payload: N, reserved: 0x0, length: 104"));
    CHECK(has_line(d, "  DH group: 1, reserved: 0x0"));
    CHECK(has_line(d, "N Next payload: VID, reserved: 0x0, length: 24"));
    CHECK(has_line(d, "  c2 28 7f 8c 7d b3 1e 51 fc eb f1 97 ec 97 b8 67 d5 e7 c2 f5"));
    CHECK(has_line(d, "VID Next payload: VID, reserved: 0x0, length: 23"));
    CHECK(has_line(d, "NOTIFY Next payload: NOTIFY, reserved: 0x0, length: 28"));
    CHECK(has_line(d, "  Security protocol id: 0, spi size: 0, type: NAT_DETECTION_SOURCE_IP"));
    CHECK(has_line(d, "VID Next payload: NONE, reserved: 0x0, length: 20"));
}

TEST_CASE("dump prints TS, CP, IDs and lengths of AUTH/EAP but not their contents", "[wire][dump]") {
    Message m;
    m.header.exchange = ExchangeType::IKE_AUTH;
    m.header.flags = iana::kFlagInitiator;
    m.header.message_id = 5;
    m.payloads = {
        {PayloadType::IDi, false, IdPayload{iana::IdType::CISCO_GROUP, from_hex("2a24"), {}}},
        {PayloadType::AUTH, false, AuthPayload{iana::AuthMethod::SHARED_KEY, from_hex("5ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2")}},
        {PayloadType::CP, false, CpPayload{iana::CfgType::CFG_REQUEST, {{1, {}}, {7, from_hex("4142")}, {28711, from_hex("057e")}}}},
        {PayloadType::TSi, false, TsPayload{{{iana::TsType::IPV4_ADDR_RANGE, 0, 0, 65535, from_hex("00000000"), from_hex("ffffffff")}}}},
        {PayloadType::EAP, false, EapPayload{from_hex("0202000bfe" "706173737764")}},
    };
    const std::string d = dump(m);
    INFO(d);
    CHECK(has_line(d, "Exchange type: IKE_AUTH, flags: INITIATOR"));
    CHECK(has_line(d, "Message id: 0x5, length: 129"));
    CHECK(has_line(d, "  Id type: GROUP_NAME, Reserved: 0x0 0x0"));
    CHECK(has_line(d, "  Auth method PSK, reserved: 0x0, reserved 0x0"));
    CHECK(has_line(d, "  Auth data: 20 bytes"));
    CHECK(has_line(d, "  cfg type: CFG_REQUEST, reserved: 0x0, reserved: 0x0"));
    CHECK(has_line(d, "  attrib type: INTERNAL_IP4_ADDRESS, length: 0"));
    CHECK(has_line(d, "  attrib type: APPLICATION_VERSION, length: 2"));
    CHECK(has_line(d, "  attrib type: UNKNOWN(28711), length: 2"));
    CHECK(has_line(d, "  TS type: TS_IPV4_ADDR_RANGE, proto id: 0, length: 16"));
    CHECK(has_line(d, "  start port: 0, end port: 65535"));
    CHECK(has_line(d, "  start addr: 0.0.0.0, end addr: 255.255.255.255"));
    CHECK(has_line(d, "  Code: 2, id: 2, length: 11, type: 254"));
    CHECK(has_line(d, "  EAP data: 6 bytes"));
    // neither the AUTH value nor the EAP data appear in any form
    CHECK(d.find("5e c2") == std::string::npos);
    CHECK(d.find("5ec2") == std::string::npos);
    CHECK(d.find("70 61 73") == std::string::npos);
    CHECK(d.find("pass") == std::string::npos);
}
