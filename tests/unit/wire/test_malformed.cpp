// Table of malformed datagrams, each with the exact error code and error notify the
// parser must give (RFC 7296 2.21 / 3.10.1: INVALID_SYNTAX unless the version or an
// unsupported critical payload is at fault).
#include <catch2/catch.hpp>

#include "wire/parser.hpp"
#include "wire_test_util.hpp"

using namespace ikev2d;
using namespace ikev2d::wire;
using namespace ikev2d::wire::test;
using Code = ParseErrorCode;
using iana::NotifyType;

namespace {

// Payload type numbers (RFC 7296 3.2)
constexpr unsigned SA = 33, KE = 34, IDi = 35, NONCE = 40, N = 41, D = 42, TSi = 44, SK = 46, CP = 47, EAP = 48,
                   SKF = 53, CISCO = 132;
const std::string kNonce = repeat("11", 16);
const std::string kAesCbc = transform(3, 1, 12, "800e0080");  // ENCR AES-CBC, key length 128
const std::string kSha1 = transform(3, 2, 2);
const std::string kSha96 = transform(3, 3, 2);
const std::string kGroup14 = transform(0, 4, 14);
const std::string kIkeTransforms = kAesCbc + kSha1 + kSha96 + kGroup14;
const std::string kIpv4Any = "07" "00" "0010" "0000" "ffff" "00000000" "ffffffff";

struct Case {
    const char* name;
    Bytes datagram;
    Code code;
    NotifyType notify;
};

Bytes first_bytes(const Bytes& b, std::size_t n) { return Bytes(b.begin(), b.begin() + static_cast<long>(n)); }
std::string sa(const std::string& proposals) { return payload(0, proposals); }
std::string ts(unsigned count, const std::string& selectors) { return payload(0, hex8(count) + "000000" + selectors); }

std::vector<Case> cases() {
    const auto syntax = NotifyType::INVALID_SYNTAX;
    return {
        {"10-byte datagram", from_hex("01020304050607080900"), Code::TruncatedHeader, syntax},
        {"27-byte datagram", first_bytes(packet(0, ""), 27), Code::TruncatedHeader, syntax},
        {"major version 1", packet(0, "", 0, 0x10), Code::BadVersion, NotifyType::INVALID_MAJOR_VERSION},
        {"major version 3", packet(0, "", 0, 0x30), Code::BadVersion, NotifyType::INVALID_MAJOR_VERSION},
        {"header length above datagram", packet(NONCE, payload(0, kNonce), 1), Code::LengthMismatch, syntax},
        {"header length below datagram", packet(NONCE, payload(0, kNonce), -4), Code::LengthMismatch, syntax},
        {"first payload announced, none there", packet(NONCE, ""), Code::PayloadOverrun, syntax},
        {"generic header cut short", packet(NONCE, "0000"), Code::PayloadOverrun, syntax},
        {"payload length 2", packet(NONCE, payload(0, kNonce, false, 2)), Code::PayloadTooShort, syntax},
        {"payload length past the end", packet(NONCE, payload(0, kNonce, false, 21)), Code::PayloadOverrun, syntax},
        {"second payload past the end", packet(NONCE, payload(NONCE, kNonce) + payload(0, kNonce, false, 100)),
         Code::PayloadOverrun, syntax},
        {"nonce of 8 bytes", packet(NONCE, payload(0, repeat("11", 8))), Code::BadNonceLength, syntax},
        {"nonce of 257 bytes", packet(NONCE, payload(0, repeat("11", 257))), Code::BadNonceLength, syntax},
        {"KE body of 2 bytes", packet(KE, payload(0, "000e")), Code::PayloadTooShort, syntax},
        {"ID body of 3 bytes", packet(IDi, payload(0, "020000")), Code::PayloadTooShort, syntax},
        {"unknown critical payload", packet(99, payload(0, "aabb", true)), Code::UnsupportedCritical,
         NotifyType::UNSUPPORTED_CRITICAL_PAYLOAD},
        {"bytes after the last payload", packet(NONCE, payload(0, kNonce) + "00000000"), Code::TrailingData, syntax},
        {"SA body shorter than a proposal", packet(SA, payload(0, "00000008")),
         Code::PayloadTooShort, syntax},
        {"proposal length 4", packet(SA, sa(proposal(0, 1, 1, "", 4, kIkeTransforms, 4))), Code::BadProposal, syntax},
        {"proposal length past the SA", packet(SA, sa(proposal(0, 1, 1, "", 4, kIkeTransforms, 200))),
         Code::BadProposal, syntax},
        {"first proposal numbered 2", packet(SA, sa(proposal(0, 2, 1, "", 4, kIkeTransforms))),
         Code::ProposalNumbering, syntax},
        {"proposals numbered 1, 1",
         packet(SA, sa(proposal(2, 1, 1, "", 4, kIkeTransforms) + proposal(0, 1, 1, "", 4, kIkeTransforms))),
         Code::ProposalNumbering, syntax},
        {"more proposals announced, none follow", packet(SA, sa(proposal(2, 1, 1, "", 4, kIkeTransforms))),
         Code::BadProposal, syntax},
        {"last proposal followed by data",
         packet(SA, sa(proposal(0, 1, 1, "", 4, kIkeTransforms) + proposal(0, 2, 1, "", 4, kIkeTransforms))),
         Code::BadProposal, syntax},
        {"proposal last-substructure 1", packet(SA, sa(proposal(1, 1, 1, "", 4, kIkeTransforms))), Code::BadProposal,
         syntax},
        {"proposal without transforms", packet(SA, sa(proposal(0, 1, 1, "", 0, ""))), Code::BadProposal, syntax},
        {"ESP proposal with 8-byte SPI", packet(SA, sa(proposal(0, 1, 3, repeat("aa", 8), 4, kIkeTransforms))),
         Code::SpiSizeMismatch, syntax},
        {"IKE proposal with 4-byte SPI", packet(SA, sa(proposal(0, 1, 1, repeat("aa", 4), 4, kIkeTransforms))),
         Code::SpiSizeMismatch, syntax},
        {"SPI size beyond the proposal", packet(SA, sa("0000000a" "01030402" "aabb")), Code::SpiSizeMismatch,
         syntax},
        {"5 transforms declared, 4 present", packet(SA, sa(proposal(0, 1, 1, "", 5, kIkeTransforms))),
         Code::CountMismatch, syntax},
        {"3 transforms declared, 4 present", packet(SA, sa(proposal(0, 1, 1, "", 3, kIkeTransforms))),
         Code::CountMismatch, syntax},
        {"transform data after the last transform",
         packet(SA, sa(proposal(0, 1, 1, "", 1, transform(0, 4, 14) + "0000"))), Code::CountMismatch, syntax},
        {"transform last-substructure 2", packet(SA, sa(proposal(0, 1, 1, "", 1, transform(2, 4, 14)))),
         Code::BadTransform, syntax},
        {"transform length 4", packet(SA, sa(proposal(0, 1, 1, "", 1, transform(0, 4, 14, "", 4)))),
         Code::BadTransform, syntax},
        {"transform length past the proposal", packet(SA, sa(proposal(0, 1, 1, "", 1, transform(0, 4, 14, "", 40)))),
         Code::BadTransform, syntax},
        {"key length in TLV format", packet(SA, sa(proposal(0, 1, 1, "", 1, transform(0, 1, 12, "000e00020080")))),
         Code::BadAttribute, syntax},
        {"key length twice", packet(SA, sa(proposal(0, 1, 1, "", 1, transform(0, 1, 12, "800e0080800e0100")))),
         Code::BadAttribute, syntax},
        {"TLV attribute past the transform", packet(SA, sa(proposal(0, 1, 1, "", 1, transform(0, 1, 12, "00070010aabb")))),
         Code::BadAttribute, syntax},
        {"attribute header cut short", packet(SA, sa(proposal(0, 1, 1, "", 1, transform(0, 1, 12, "800e")))),
         Code::BadAttribute, syntax},
        {"TS of unknown type 9", packet(TSi, ts(1, "09000010" "0000ffff" "00000000" "ffffffff")),
         Code::BadTrafficSelector, syntax},
        {"IPv4 TS of length 40", packet(TSi, ts(1, "07000028" "0000ffff" + repeat("00", 16) + repeat("ff", 16))),
         Code::BadTrafficSelector, syntax},
        {"IPv6 TS of length 16", packet(TSi, ts(1, "08000010" "0000ffff" "00000000" "ffffffff")),
         Code::BadTrafficSelector, syntax},
        {"TS start address above end", packet(TSi, ts(1, "07000010" "0000ffff" "0a000002" "0a000001")),
         Code::BadTrafficSelector, syntax},
        {"TS cut inside the addresses", packet(TSi, ts(1, "07000010" "0000ffff" "0a000002")),
         Code::BadTrafficSelector, syntax},
        {"2 TSs declared, 1 present", packet(TSi, ts(2, kIpv4Any)), Code::CountMismatch, syntax},
        {"1 TS declared, 2 present", packet(TSi, ts(1, kIpv4Any + kIpv4Any)), Code::CountMismatch, syntax},
        {"CP attribute past the payload", packet(CP, payload(0, "01000000" "00010008" "0a000001")), Code::BadAttribute,
         syntax},
        {"CP attribute header cut short", packet(CP, payload(0, "01000000" "0001")), Code::BadAttribute, syntax},
        {"ESP delete with 8-byte SPIs", packet(D, payload(0, "03080001" + repeat("aa", 8))), Code::SpiSizeMismatch,
         syntax},
        {"IKE delete with SPI size 4", packet(D, payload(0, "01040000")), Code::SpiSizeMismatch, syntax},
        {"IKE delete with one SPI", packet(D, payload(0, "01000001")), Code::CountMismatch, syntax},
        {"ESP delete: 2 SPIs declared, 1 present", packet(D, payload(0, "03040002" "aabbccdd")), Code::CountMismatch,
         syntax},
        {"notify SPI size beyond the payload", packet(N, payload(0, "03044000" "aabb")), Code::SpiSizeMismatch, syntax},
        {"EAP length above the payload", packet(EAP, payload(0, "02010009" "01" "61")), Code::BadEapLength, syntax},
        {"EAP length below the payload", packet(EAP, payload(0, "03010004" "00")), Code::BadEapLength, syntax},
        {"SK followed by data", packet(SK, payload(NONCE, repeat("cc", 32)) + payload(0, kNonce)), Code::SkNotLast,
         syntax},
        {"SKF fragment 0", packet(SKF, payload(NONCE, "00000002" + repeat("cc", 16))), Code::BadFragment, syntax},
        {"SKF fragment 3 of 2", packet(SKF, payload(0, "00030002" + repeat("cc", 16))), Code::BadFragment, syntax},
        {"SKF body of 2 bytes", packet(SKF, payload(0, "0001")), Code::PayloadTooShort, syntax},
        {"Cisco fragment number 0", packet(CISCO, payload(0, "00030001" + repeat("cc", 16))), Code::BadFragment, syntax},
        {"Cisco fragment with a next payload", packet(CISCO, payload(NONCE, "00030101" + repeat("cc", 16))),
         Code::BadFragment, syntax},
    };
}

}  // namespace

TEST_CASE("malformed datagrams give the exact error and notify", "[wire][malformed]") {
    const auto table = cases();
    REQUIRE(table.size() >= 30);
    for (const auto& c : table) {
        INFO(c.name);
        auto r = parse_message(c.datagram);
        REQUIRE_FALSE(r.ok());
        INFO(r.error().to_string());
        CHECK(name(r.error().code) == name(c.code));
        CHECK(r.error().notify() == c.notify);
    }
}

TEST_CASE("unsupported critical payload reports its type byte as notify data", "[wire][malformed]") {
    auto r = parse_message(packet(NONCE, payload(99, kNonce) + payload(0, "aabb", true)));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Code::UnsupportedCritical);
    CHECK(r.error().notify_data() == Bytes{99});
    CHECK(r.error().offset == 28 + 20);
}

TEST_CASE("error offsets point into the datagram", "[wire][malformed]") {
    // Second transform (at 28 + 4 + 8 + 12) has an impossible length.
    auto r = parse_message(packet(SA, sa(proposal(0, 1, 1, "", 2, kAesCbc + transform(0, 4, 14, "", 4)))));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Code::BadTransform);
    CHECK(r.error().payload == PayloadType::SA);
    CHECK(r.error().offset == 28 + 4 + 8 + 12);
}

TEST_CASE("unknown non-critical payloads are kept and skipped", "[wire]") {
    auto r = parse_message(packet(99, payload(NONCE, "aabbcc") + payload(0, kNonce)));
    REQUIRE(r.ok());
    REQUIRE(r->payloads.size() == 2);
    CHECK(r->payloads[0].type == static_cast<PayloadType>(99));
    CHECK(std::get<UnknownPayload>(r->payloads[0].body).data == from_hex("aabbcc"));
    CHECK(r->find<NoncePayload>(PayloadType::Nonce) != nullptr);
}

TEST_CASE("unknown transform attributes flag the transform instead of failing", "[wire]") {
    // attribute type 1 in TV form and type 2 in TLV form: neither is defined for IKEv2
    auto r = parse_message(packet(SA, sa(proposal(0, 1, 1, "", 1, transform(0, 1, 12, "80010001" "00020002aabb" "800e0100")))));
    REQUIRE(r.ok());
    const auto& t = r->find<SaPayload>(PayloadType::SA)->proposals.at(0).transforms.at(0);
    CHECK(t.has_unknown_attribute);
    CHECK(t.key_length == 256);
    CHECK(t.unknown_attributes == from_hex("80010001" "00020002aabb"));
}

TEST_CASE("OPAQUE ports (start above end) are accepted", "[wire]") {
    // RFC 7296 3.13.1: start port 65535, end port 0 means OPAQUE.
    auto r = parse_message(packet(TSi, ts(1, "07110010" "ffff0000" "0a000001" "0a000001")));
    REQUIRE(r.ok());
    const auto& sel = r->find<TsPayload>(PayloadType::TSi)->selectors.at(0);
    CHECK(sel.start_port == 65535);
    CHECK(sel.end_port == 0);
    CHECK(sel.ip_protocol == 17);
}

TEST_CASE("parse_payloads rejects encrypted payloads inside SK content", "[wire][malformed]") {
    for (unsigned type : {SK, SKF, CISCO}) {
        INFO(type);
        auto r = parse_payloads(static_cast<PayloadType>(type), from_hex(payload(0, "00010101" + repeat("cc", 16))));
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == Code::NestedEncrypted);
    }
}

TEST_CASE("parse_header needs only 28 bytes and leaves version checks to parse_message", "[wire]") {
    auto h = parse_header(packet(0, "", 0, 0x10));
    REQUIRE(h.ok());
    CHECK(h->spi_i == 0x0102030405060708u);
    CHECK(h->major_version() == 1);
    CHECK(h->exchange == ExchangeType::IKE_SA_INIT);
    CHECK(h->is_initiator());
    CHECK_FALSE(h->is_response());
    CHECK_FALSE(parse_header(from_hex(repeat("00", 27))).ok());
}
