// RFC 5685 REDIRECT / REDIRECTED_FROM notification data: the bytes of RFC 5685 8.1 and
// 8.2 written out by hand (type, length, identity, nonce), decoded and encoded both ways,
// inside a whole Notify payload of a message, and the malformed forms refused.
#include <catch2/catch.hpp>

#include "util/iana.hpp"
#include "wire/builder.hpp"
#include "wire/parser.hpp"
#include "wire/redirect_data.hpp"
#include "wire_test_util.hpp"

using namespace ikev2d;
using namespace ikev2d::wire;
using namespace ikev2d::wire::test;

TEST_CASE("REDIRECT data round trips for IPv4, IPv6 and FQDN gateways, with and without a nonce", "[wire][redirect]") {
    struct Case {
        const char* gateway;
        std::string nonce_hex;
        std::string expected_hex;
    };
    const std::string ni = repeat("5a", 32);
    const Case cases[] = {
        // IKE_SA_INIT: the initiator's Ni follows the identity.
        {"198.51.100.2", ni, "01" "04" "c6336402" + ni},
        {"2001:db8::2", "", "02" "10" "20010db8000000000000000000000002"},
        // "vpn2.example.com": 16 octets of ASCII.
        {"vpn2.example.com", "", "03" "10" "76706e322e6578616d706c652e636f6d"},
    };
    for (const auto& c : cases) {
        INFO(c.gateway);
        auto gw = GatewayIdentity::parse(c.gateway);
        REQUIRE(gw);
        CHECK(gw->to_string() == c.gateway);
        RedirectData data{*gw, from_hex(c.nonce_hex)};
        CHECK(to_hex(encode_redirect_data(data)) == c.expected_hex);
        auto decoded = decode_redirect_data(from_hex(c.expected_hex));
        REQUIRE(decoded);
        CHECK(*decoded == data);

        // The same inside a Notify payload of a message (protocol 0, no SPI, type 16407).
        const std::string notify_body = "0000" + hex16(16407) + c.expected_hex;
        auto parsed = parse_message(packet(41, payload(0, notify_body)));
        REQUIRE(parsed.ok());
        const auto& n = std::get<NotifyPayload>(parsed->payloads.at(0).body);
        CHECK(n.type == static_cast<std::uint16_t>(iana::NotifyType::REDIRECT));
        auto inner = decode_redirect_data(n.data);
        REQUIRE(inner);
        CHECK(*inner == data);
        CHECK(to_hex(encode_message(parsed.value())) == to_hex(packet(41, payload(0, notify_body))));
    }
}

TEST_CASE("malformed REDIRECT data is refused", "[wire][redirect]") {
    for (const char* hex : {"", "01", "0104c63364",  // shorter than the identity
                            "0103c63364",             // IPv4 of 3 bytes
                            "0204c6336402",           // IPv6 of 4 bytes
                            "0300",                   // empty FQDN
                            "0405c633640200",         // unknown type 4
                            "0005c633640200",         // type 0
                            "03ff41"}) {              // name longer than the data
        INFO(hex);
        CHECK_FALSE(decode_redirect_data(from_hex(hex)));
    }
}

TEST_CASE("gateway identities: addresses and host names, nothing else", "[wire][redirect]") {
    CHECK(GatewayIdentity::parse("192.0.2.7")->type == GatewayIdType::IPv4);
    CHECK(GatewayIdentity::parse("2001:db8::7")->type == GatewayIdType::IPv6);
    CHECK(GatewayIdentity::parse("gw-b.example")->type == GatewayIdType::Fqdn);
    CHECK(GatewayIdentity::parse("gw")->type == GatewayIdType::Fqdn);
    for (const char* bad : {"", "192.0.2.300", "1.2.3", "-gw.example", "gw-.example", "gw..example", ".gw", "gw.",
                            "gw example", "gw/x", "gw_x.example"}) {
        INFO(bad);
        CHECK_FALSE(GatewayIdentity::parse(bad));
    }
    CHECK_FALSE(GatewayIdentity::parse(std::string(64, 'a') + ".example"));  // label over 63
    CHECK_FALSE(GatewayIdentity::parse(std::string(254, 'a')));
}
