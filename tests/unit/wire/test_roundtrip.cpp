// Round trips for every payload type, two ways:
//  - hand-assembled bytes -> parse -> encode gives the same bytes (the builder agrees
//    with an independent reading of the RFC diagrams);
//  - model -> encode -> parse gives the same model, and re-encoding is byte-identical.
#include <catch2/catch.hpp>

#include "wire/builder.hpp"
#include "wire/parser.hpp"
#include "wire_test_util.hpp"

using namespace ikev2d;
using namespace ikev2d::wire;
using namespace ikev2d::wire::test;

namespace {

Message with(std::vector<Payload> payloads) {
    Message m;
    m.header.spi_i = 0x0102030405060708u;
    m.header.spi_r = 0x1112131415161718u;
    m.header.exchange = ExchangeType::IKE_AUTH;
    m.header.flags = iana::kFlagInitiator;
    m.header.message_id = 7;
    m.payloads = std::move(payloads);
    return m;
}

void check_model_round_trip(const Message& m) {
    const Bytes encoded = encode_message(m);
    auto parsed = parse_message(encoded);
    REQUIRE(parsed.ok());
    CHECK(parsed->payloads == m.payloads);
    CHECK(parsed->header.length == encoded.size());
    CHECK(parsed->header.next == (m.payloads.empty() ? PayloadType::None : m.payloads.front().type));
    CHECK(encode_message(parsed.value()) == encoded);
}

void check_bytes_round_trip(const Bytes& datagram) {
    auto parsed = parse_message(datagram);
    if (!parsed) FAIL(parsed.error().to_string());
    CHECK(to_hex(encode_message(parsed.value())) == to_hex(datagram));
}

Transform tf(iana::TransformType type, uint16_t id, std::optional<uint16_t> key = {}) {
    return Transform{type, id, key, false, {}};
}

Bytes v4(const char* hex) { return from_hex(hex); }

}  // namespace

TEST_CASE("SA payload round trips", "[wire][roundtrip]") {
    using T = iana::TransformType;
    SaPayload sa;
    sa.proposals.push_back({1, iana::ProtocolId::IKE, {},
                            {tf(T::ENCR, 12, 256), tf(T::ENCR, 20, 128), tf(T::PRF, 5), tf(T::INTEG, 12), tf(T::DH, 19)}});
    sa.proposals.push_back({2, iana::ProtocolId::IKE, from_hex("0011223344556677"), {tf(T::ENCR, 3), tf(T::PRF, 2),
                                                                                      tf(T::INTEG, 2), tf(T::DH, 2)}});
    sa.proposals.push_back({3, iana::ProtocolId::ESP, from_hex("c0ffee01"), {tf(T::ENCR, 12, 128), tf(T::INTEG, 2),
                                                                             tf(T::ESN, 0)}});
    Transform odd = tf(T::ENCR, 12, 192);
    odd.has_unknown_attribute = true;
    odd.unknown_attributes = from_hex("00050003aabbcc");
    sa.proposals.push_back({4, iana::ProtocolId::ESP, from_hex("c0ffee02"), {odd}});
    check_model_round_trip(with({{PayloadType::SA, false, sa}}));

    // RFC 7296 3.3 diagrams, assembled by hand: one IKE proposal, AES-CBC-256 / SHA256 / SHA256-128 / group 14
    check_bytes_round_trip(packet(33, payload(0, proposal(0, 1, 1, "", 4,
                                                           transform(3, 1, 12, "800e0100") + transform(3, 2, 5) +
                                                               transform(3, 3, 12) + transform(0, 4, 14)))));
}

TEST_CASE("KE, nonce, ID, CERT, CERTREQ and AUTH payloads round trip", "[wire][roundtrip]") {
    IdPayload id{iana::IdType::FQDN, from_hex("7670 6e2e 6578 616d 706c 652e 6f72 67"), {}};
    IdPayload odd_reserved{iana::IdType::CISCO_GROUP, Bytes(as_bytes("*$AnyConnectClient$*").begin(),
                                                            as_bytes("*$AnyConnectClient$*").end()),
                           {1, 2, 3}};
    check_model_round_trip(with({
        {PayloadType::KE, false, KePayload{19, Bytes(64, 0x42)}},
        {PayloadType::Nonce, false, NoncePayload{Bytes(32, 0x17)}},
        {PayloadType::IDi, false, id},
        {PayloadType::IDr, false, odd_reserved},
        {PayloadType::CERT, false, CertPayload{4, Bytes(300, 0x30)}},
        {PayloadType::CERTREQ, false, CertReqPayload{4, Bytes(40, 0x99)}},
        {PayloadType::AUTH, false, AuthPayload{iana::AuthMethod::SHARED_KEY, Bytes(20, 0x55)}},
    }));
    check_bytes_round_trip(packet(34, payload(40, "000e0000" + repeat("42", 256)) + payload(35, repeat("17", 16)) +
                                          payload(36, "02000000" "766f6c6b") + payload(37, "0b0000000102") +
                                          payload(38, "04" + repeat("33", 20)) + payload(39, "04" + repeat("ee", 8)) +
                                          payload(0, "02000000" + repeat("aa", 20))));
}

TEST_CASE("IdPayload::raw_body is type | reserved | data", "[wire]") {
    IdPayload id{iana::IdType::IPV4_ADDR, from_hex("c0000201"), {}};
    CHECK(id.raw_body() == from_hex("01000000c0000201"));
    id.reserved = {0, 0, 9};  // as received: AUTH covers the bytes actually sent
    CHECK(id.raw_body() == from_hex("01000009c0000201"));
}

TEST_CASE("notify, delete and vendor ID payloads round trip", "[wire][roundtrip]") {
    check_model_round_trip(with({
        {PayloadType::Notify, false, NotifyPayload{0, {}, 16388, Bytes(20, 0xab)}},
        {PayloadType::Notify, false, NotifyPayload{3, from_hex("01020304"), 16393, {}}},
        {PayloadType::Notify, false, NotifyPayload{0, {}, 7, {}}},
        {PayloadType::Delete, false, DeletePayload{1, 0, {}}},
        {PayloadType::Delete, false, DeletePayload{3, 4, {from_hex("aabbccdd"), from_hex("01020304")}}},
        {PayloadType::VendorID, false, VendorIdPayload{from_hex("4048b7d56ebce88525e7de7f00d6c2d3")}},
    }));
    check_bytes_round_trip(packet(41, payload(41, "00004004" + repeat("ab", 20)) + payload(42, "03044009" "01020304") +
                                          payload(42, "01000000") + payload(43, "03040002" "aabbccdd" "01020304") +
                                          payload(0, "434953434f2d44454c4554452d524541534f4e")));
}

TEST_CASE("TS payloads round trip", "[wire][roundtrip]") {
    TsPayload tsi{{{iana::TsType::IPV4_ADDR_RANGE, 0, 0, 65535, v4("00000000"), v4("ffffffff")},
                   {iana::TsType::IPV6_ADDR_RANGE, 6, 443, 443, Bytes(16, 0), Bytes(16, 0xff)}}};
    TsPayload tsr{{{iana::TsType::IPV4_ADDR_RANGE, 17, 65535, 0, v4("0a000001"), v4("0a0000ff")}}};
    check_model_round_trip(with({{PayloadType::TSi, false, tsi}, {PayloadType::TSr, false, tsr}}));
    check_bytes_round_trip(packet(44, payload(45, "01000000" "07000010" "0000ffff" "00000000" "ffffffff") +
                                          payload(0, "02000000" "07110010" "00350035" "0a000001" "0a000001"
                                                     "08000028" "0000ffff" + repeat("00", 16) + repeat("ff", 16))));
}

TEST_CASE("CP payload round trips, including Cisco attributes", "[wire][roundtrip]") {
    CpPayload cp{iana::CfgType::CFG_REPLY,
                 {{1, v4("0a0a0a05")}, {2, v4("ffffff00")}, {3, v4("08080808")}, {28672, Bytes(as_bytes("Welcome").begin(),
                                                                                           as_bytes("Welcome").end())},
                  {28676, from_hex("c0a80000ffffff00000000000000")}, {7, {}}}};
    check_model_round_trip(with({{PayloadType::CP, false, cp}}));
    // the seed's CFG_REQUEST start: empty INTERNAL_IP4_ADDRESS, NETMASK, DNS, then attribute 28711 = 05 7e
    check_bytes_round_trip(packet(47, payload(0, "01000000" "00010000" "00020000" "00030000" "7027" "0002" "057e")));
}

TEST_CASE("EAP payload round trips", "[wire][roundtrip]") {
    // EAP-Response/Identity "user" (RFC 3748 5.1), and EAP-Success (4 bytes)
    check_model_round_trip(with({{PayloadType::EAP, false, EapPayload{from_hex("0201000901" "75736572")}}}));
    check_bytes_round_trip(packet(48, payload(0, "03020004")));
}

TEST_CASE("SK, SKF and Cisco fragment payloads round trip and end the chain", "[wire][roundtrip]") {
    check_model_round_trip(with({{PayloadType::VendorID, false, VendorIdPayload{from_hex("aabb")}},
                                 {PayloadType::SK, false, SkPayload{PayloadType::IDi, Bytes(48, 0xcc)}}}));
    check_model_round_trip(with({{PayloadType::SKF, false, SkfPayload{PayloadType::IDi, 1, 3, Bytes(100, 0xcd)}}}));
    check_model_round_trip(with({{PayloadType::SKF, false, SkfPayload{PayloadType::None, 3, 3, Bytes(10, 0xce)}}}));
    check_model_round_trip(
        with({{PayloadType::CiscoFragment, false, CiscoFragmentPayload{3, 9, true, Bytes(60, 0xcf)}}}));
    // SK's next-payload field is the inner first payload (here IDi = 35)
    check_bytes_round_trip(packet(46, payload(35, repeat("cc", 64))));
    check_bytes_round_trip(packet(53, payload(35, "00010002" + repeat("cc", 64))));
    check_bytes_round_trip(packet(132, payload(0, "00030201" + repeat("cc", 64))));
}

TEST_CASE("unknown non-critical payloads and critical bits round trip", "[wire][roundtrip]") {
    check_model_round_trip(with({{static_cast<PayloadType>(200), false, UnknownPayload{from_hex("0102")}},
                                 {PayloadType::Nonce, true, NoncePayload{Bytes(16, 1)}}}));
    check_bytes_round_trip(packet(200, payload(40, "0102") + payload(0, repeat("01", 16), true)));
}

TEST_CASE("parse_payloads reads decrypted SK content", "[wire]") {
    const Bytes inner = from_hex(payload(39, "0b000000" "6b6579") + payload(0, "02000000" + repeat("aa", 20)));
    auto r = parse_payloads(PayloadType::IDi, inner);
    REQUIRE(r.ok());
    REQUIRE(r->size() == 2);
    CHECK(std::get<IdPayload>(r->at(0).body).type == iana::IdType::KEY_ID);
    CHECK(std::get<AuthPayload>(r->at(1).body).data == Bytes(20, 0xaa));
    CHECK(encode_payloads(r.value()) == inner);
}

TEST_CASE("encode_header and encode_generic_header follow RFC 7296 3.1/3.2", "[wire]") {
    Header h;
    h.spi_i = 0x0102030405060708u;
    h.exchange = ExchangeType::INFORMATIONAL;
    h.flags = iana::kFlagResponse;
    h.message_id = 0x01020304;
    CHECK(to_hex(encode_header(h, PayloadType::SK, 80)) ==
          "0102030405060708" "0000000000000000" "2e" "20" "25" "20" "01020304" "00000050");
    CHECK(to_hex(encode_generic_header(PayloadType::Notify, true, 8)) == "29800008");
}

TEST_CASE("Message::find helpers", "[wire]") {
    Message m = with({{PayloadType::Notify, false, NotifyPayload{0, {}, 16388, {1}}},
                      {PayloadType::Notify, false, NotifyPayload{0, {}, 16389, {2}}},
                      {PayloadType::Nonce, false, NoncePayload{Bytes(16, 3)}}});
    CHECK(m.find<NoncePayload>(PayloadType::Nonce)->data == Bytes(16, 3));
    CHECK(m.find<KePayload>(PayloadType::KE) == nullptr);
    CHECK(m.find_all<NotifyPayload>(PayloadType::Notify).size() == 2);
    REQUIRE(m.find_notify(iana::NotifyType::NAT_DETECTION_DESTINATION_IP) != nullptr);
    CHECK(m.find_notify(iana::NotifyType::NAT_DETECTION_DESTINATION_IP)->data == Bytes{2});
    CHECK(m.find_notify(iana::NotifyType::COOKIE) == nullptr);
}
