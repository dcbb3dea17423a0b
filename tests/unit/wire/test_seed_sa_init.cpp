// Parsing the IKE_SA_INIT messages of the seed's AnyConnect session, field by field
// against the values the ASA printed.
#include <catch2/catch.hpp>

#include "wire/builder.hpp"
#include "wire/parser.hpp"
#include "seed_messages.hpp"

using namespace ikev2d;
using namespace ikev2d::wire;
using namespace ikev2d::wire::test;

TEST_CASE("seed IKE_SA_INIT response parses with the seed's fields", "[wire][seed]") {
    const Bytes datagram = seed_sa_init_response();
    REQUIRE(datagram.size() == 386);
    auto r = parse_message(datagram);
    if (!r) FAIL(r.error().to_string());
    const Message& m = r.value();

    CHECK(m.header.spi_i == 0x58AFF71141BA436Bu);
    CHECK(m.header.spi_r == 0xFC696330E6B94D7Fu);
    CHECK(m.header.next == PayloadType::SA);
    CHECK(m.header.version == 0x20);
    CHECK(m.header.exchange == ExchangeType::IKE_SA_INIT);
    CHECK(m.header.is_response());
    CHECK_FALSE(m.header.is_initiator());
    CHECK(m.header.message_id == 0);
    CHECK(m.header.length == 386);

    std::vector<PayloadType> order;
    for (const auto& p : m.payloads) order.push_back(p.type);
    using P = PayloadType;
    CHECK(order == std::vector<P>{P::SA, P::KE, P::Nonce, P::VendorID, P::VendorID, P::VendorID, P::Notify,
                                  P::Notify, P::VendorID});

    const auto* sa = m.find<SaPayload>(P::SA);
    REQUIRE(sa);
    REQUIRE(sa->proposals.size() == 1);
    const Proposal& p = sa->proposals[0];
    CHECK(p.number == 1);
    CHECK(p.protocol == iana::ProtocolId::IKE);
    CHECK(p.spi.empty());
    REQUIRE(p.transforms.size() == 4);
    CHECK(p.transforms[0].type == iana::TransformType::ENCR);
    CHECK(p.transforms[0].id == static_cast<uint16_t>(iana::EncrId::AES_CBC));
    CHECK(p.transforms[0].key_length == 192);
    CHECK(p.transforms[1].id == static_cast<uint16_t>(iana::PrfId::HMAC_SHA1));
    CHECK(p.transforms[2].id == static_cast<uint16_t>(iana::IntegId::HMAC_SHA1_96));
    CHECK(p.transforms[3].id == static_cast<uint16_t>(iana::DhGroup::MODP_768));
    CHECK_FALSE(p.transforms[3].key_length.has_value());

    const auto* ke = m.find<KePayload>(P::KE);
    REQUIRE(ke);
    CHECK(ke->group == 1);
    CHECK(ke->data.size() == 96);
    CHECK(to_hex(ByteView(ke->data).first(4)) == "c930f932");
    CHECK(to_hex(m.find<NoncePayload>(P::Nonce)->data) == "c2287f8c7db31e51fcebf197ec97b867d5e7c2f5");

    const auto vids = m.find_all<VendorIdPayload>(P::VendorID);
    REQUIRE(vids.size() == 4);
    CHECK(vids[0]->data == Bytes(as_bytes("CISCO-DELETE-REASON").begin(), as_bytes("CISCO-DELETE-REASON").end()));
    CHECK(to_hex(vids[3]->data) == "4048b7d56ebce88525e7de7f00d6c2d3");

    const auto* nat_src = m.find_notify(iana::NotifyType::NAT_DETECTION_SOURCE_IP);
    REQUIRE(nat_src);
    CHECK(nat_src->protocol == 0);
    CHECK(nat_src->spi.empty());
    CHECK(nat_src->data.size() == 20);
    CHECK(m.find_notify(iana::NotifyType::NAT_DETECTION_DESTINATION_IP) != nullptr);

    CHECK(encode_message(m) == datagram);
}

TEST_CASE("seed client proposal: 18 transforms, SA length 168, proposal length 164", "[wire][seed]") {
    // IKE_SA_INIT request header from the seed (InitSPI 0x58aff71141ba436b, RespSPI 0,
    // flags INITIATOR), its SA and nonce payloads.
    const std::string payloads = seed_client_sa_payload(40) + payload(0, "20128f227b162352e4294d98c7fda877ce7c0bb4");
    const std::size_t total = 28 + payloads.size() / 2;
    const Bytes datagram = from_hex("58aff71141ba436b" "0000000000000000" "21" "20" "22" "08" "00000000" "0000" +
                                    hex16(total) + payloads);
    auto r = parse_message(datagram);
    if (!r) FAIL(r.error().to_string());
    CHECK(r->header.is_initiator());
    CHECK(r->header.spi_r == 0);
    const auto* sa = r->find<SaPayload>(PayloadType::SA);
    REQUIRE(sa);
    REQUIRE(sa->proposals.size() == 1);
    const auto& t = sa->proposals[0].transforms;
    REQUIRE(t.size() == 18);
    CHECK(t[0].key_length == 256);
    CHECK(t[3].id == static_cast<uint16_t>(iana::EncrId::TRIPLE_DES));
    CHECK(t[5].type == iana::TransformType::PRF);
    CHECK(t[5].id == static_cast<uint16_t>(iana::PrfId::HMAC_SHA2_512));
    CHECK(t[17].type == iana::TransformType::DH);
    CHECK(t[17].id == static_cast<uint16_t>(iana::DhGroup::MODP_768));
    // payload lengths as printed by the ASA
    CHECK(datagram[28 + 2] == 0);
    CHECK(datagram[28 + 3] == 168);
    CHECK(datagram[28 + 4 + 3] == 164);
    CHECK(encode_message(r.value()) == datagram);
}
