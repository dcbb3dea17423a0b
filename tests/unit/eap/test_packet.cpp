// EapPacket codec: round trips and a table of malformed packets, each rejected with a
// reason that names the problem.
#include <catch2/catch.hpp>

#include "eap/packet.hpp"

using namespace ikev2d;
using namespace ikev2d::eap;

TEST_CASE("EAP Request round trip", "[eap][packet]") {
    const Bytes wire = from_hex("01 07 00 0a 04 10 61 62 63 64");
    auto p = EapPacket::parse(wire);
    REQUIRE(p.ok());
    CHECK(p->code == iana::EapCode::Request);
    CHECK(p->identifier == 7);
    REQUIRE(p->type.has_value());
    CHECK(*p->type == iana::EapType::MD5);
    CHECK(p->type_data == from_hex("10 61 62 63 64"));
    CHECK(p->encode() == wire);
}

TEST_CASE("EAP Success and Failure have no type", "[eap][packet]") {
    auto s = EapPacket::parse(from_hex("03 2a 00 04"));
    REQUIRE(s.ok());
    CHECK(s->code == iana::EapCode::Success);
    CHECK_FALSE(s->type.has_value());
    CHECK(make_success(0x2a) == from_hex("03 2a 00 04"));
    CHECK(make_failure(0x2b) == from_hex("04 2b 00 04"));
}

TEST_CASE("Expanded type helpers read Vendor-Id and Vendor-Type", "[eap][packet]") {
    const Bytes wire = make_expanded_request(5, 9, 0x44425250, as_bytes("xml"));
    CHECK(wire == from_hex("01 05 00 0f fe 00 00 09 44 42 52 50 78 6d 6c"));
    auto p = EapPacket::parse(wire);
    REQUIRE(p.ok());
    CHECK(p->expanded_vendor_id() == 9u);
    CHECK(p->expanded_vendor_type() == 0x44425250u);
    const ByteView data = p->expanded_data();
    CHECK(Bytes(data.begin(), data.end()) == Bytes{'x', 'm', 'l'});

    auto plain = EapPacket::parse(from_hex("02 01 00 06 01 41"));
    REQUIRE(plain.ok());
    CHECK_FALSE(plain->expanded_vendor_id().has_value());
    CHECK(plain->expanded_data().empty());
}

TEST_CASE("Malformed EAP packets are rejected with a reason", "[eap][packet]") {
    struct Case {
        const char* hex;
        const char* reason_contains;
    };
    const Case cases[] = {
        {"", "shorter than the 4-byte header"},
        {"02 01 00", "shorter than the 4-byte header"},
        {"02 01 00 06 01", "Length field says 6 bytes but the packet has 5"},     // truncated
        {"02 01 00 04 01 41", "Length field says 4 bytes but the packet has 6"},  // trailing bytes
        {"02 01 00 00", "Length field says 0"},                                   // length lies low
        {"02 01 ff ff 01 41", "Length field says 65535"},                         // length lies high
        {"00 01 00 04", "unknown EAP code 0"},
        {"05 01 00 05 01", "unknown EAP code 5"},
        {"02 01 00 04", "without a Type field"},
        {"01 01 00 04", "without a Type field"},
        {"03 01 00 05 00", "Success with 1 bytes of data"},
        {"04 01 00 06 00 00", "Failure with 2 bytes of data"},
        {"02 01 00 0b fe 00 00 09 44 42 52", "shorter than Vendor-Id + Vendor-Type"},
    };
    for (const auto& c : cases) {
        INFO("packet: " << c.hex);
        auto p = EapPacket::parse(from_hex(c.hex));
        REQUIRE_FALSE(p.ok());
        CHECK_THAT(p.error(), Catch::Contains(c.reason_contains));
    }
}

TEST_CASE("Every truncation of a valid packet is rejected", "[eap][packet]") {
    const Bytes wire = from_hex("02 09 00 0c 1a 02 09 00 07 31 00 00");
    REQUIRE(EapPacket::parse(wire).ok());
    for (std::size_t n = 0; n < wire.size(); ++n) {
        INFO("prefix length " << n);
        CHECK_FALSE(EapPacket::parse(ByteView(wire).first(n)).ok());
    }
}

TEST_CASE("Encoding refuses more than 65535 bytes", "[eap][packet]") {
    EapPacket p{iana::EapCode::Request, 1, iana::EapType::GTC, Bytes(70000, 'a')};
    CHECK_THROWS_AS(p.encode(), std::length_error);
}
