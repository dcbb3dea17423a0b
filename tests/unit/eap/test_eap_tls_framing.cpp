// EAP-TLS framing (RFC 5216 3.1) on its own: fragment parsing, reassembly bounds and
// the fragmenter's L/M flags and lengths.
#include <catch2/catch.hpp>

#include "eap/eap_tls_framing.hpp"

using namespace ikev2d;
using namespace ikev2d::eap::tls;

TEST_CASE("EAP-TLS framing: parse_fragment reads flags, length and data", "[eap][tls][framing]") {
    const Bytes td{0xC0, 0x00, 0x00, 0x01, 0x02, 0xAA, 0xBB};
    auto f = parse_fragment(td);
    REQUIRE(f);
    CHECK(f->more());
    CHECK(f->message_length == 258u);
    CHECK(Bytes(f->data.begin(), f->data.end()) == Bytes{0xAA, 0xBB});
    CHECK_FALSE(f->is_ack());

    auto ack = parse_fragment(Bytes{0x00});
    REQUIRE(ack);
    CHECK(ack->is_ack());
    auto reserved = parse_fragment(Bytes{0x1F});  // reserved bits are ignored
    REQUIRE(reserved);
    CHECK(reserved->is_ack());

    CHECK_FALSE(parse_fragment(Bytes{}));
    for (std::size_t n = 1; n <= 4; ++n) {
        Bytes cut{0x80, 0, 0, 0, 1};
        cut.resize(n);
        CHECK_FALSE(parse_fragment(cut));
    }
}

TEST_CASE("EAP-TLS framing: the reassembler joins fragments and enforces the declared length and bound",
          "[eap][tls][framing]") {
    Reassembler r(100);
    auto add = [&](Bytes td) {
        auto f = parse_fragment(td);
        REQUIRE(f);
        return r.add(*f);
    };
    auto s1 = add({0xC0, 0, 0, 0, 5, 1, 2});
    REQUIRE(s1);
    CHECK(*s1 == Reassembler::Status::NeedMore);
    auto s2 = add({0x40, 3, 4});
    REQUIRE(s2);
    CHECK(*s2 == Reassembler::Status::NeedMore);
    auto s3 = add({0x80, 0, 0, 0, 5, 5});  // L repeated, unchanged: fine
    REQUIRE(s3);
    CHECK(*s3 == Reassembler::Status::Complete);
    CHECK(r.take() == Bytes{1, 2, 3, 4, 5});
    CHECK_FALSE(r.in_progress());

    // Unfragmented, without L: taken as is, up to the bound.
    auto whole = add({0x00, 9, 9, 9});
    REQUIRE(whole);
    CHECK(*whole == Reassembler::Status::Complete);
    CHECK(r.take() == Bytes{9, 9, 9});
    Bytes big{0x00};
    big.resize(102, 7);  // 101 bytes of data
    CHECK_FALSE(add(big));

    Reassembler bounded(100);
    auto over = parse_fragment(Bytes{0xC0, 0, 0, 0, 101, 1});
    REQUIRE(over);
    CHECK_FALSE(bounded.add(*over));
}

TEST_CASE("EAP-TLS framing: the fragmenter sets L on the first, M on all but the last", "[eap][tls][framing]") {
    Bytes message(2500);
    for (std::size_t i = 0; i < message.size(); ++i) message[i] = static_cast<std::uint8_t>(i);
    Fragmenter f(1000);
    f.load(message);
    REQUIRE(f.pending());
    const Bytes a = f.next();
    CHECK(a.size() == 1 + 4 + 1000);
    CHECK(a[0] == (kFlagLength | kFlagMore));
    CHECK(Bytes(a.begin() + 1, a.begin() + 5) == Bytes{0, 0, 0x09, 0xC4});  // 2500
    const Bytes b = f.next();
    CHECK(b.size() == 1 + 1000);
    CHECK(b[0] == kFlagMore);
    const Bytes c = f.next();
    CHECK(c.size() == 1 + 500);
    CHECK(c[0] == 0);
    CHECK_FALSE(f.pending());
    Bytes joined(a.begin() + 5, a.end());
    joined.insert(joined.end(), b.begin() + 1, b.end());
    joined.insert(joined.end(), c.begin() + 1, c.end());
    CHECK(joined == message);

    Fragmenter small(1000);
    small.load(Bytes{1, 2, 3});
    CHECK(small.next() == Bytes{kFlagLength, 0, 0, 0, 3, 1, 2, 3});
}
