// Cisco's proprietary IKE fragmentation (issue 13): an AnyConnect-style client that sent
// the FRAGMENTATION vendor ID gets large answers in Cisco fragments and may send its
// requests so; hostile or broken fragments are dropped without disturbing the session.
// The test initiator splits and joins Cisco fragments with its own code (test_initiator.cpp).
#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "anyconnect_login.hpp"
#include "ike/cisco_fragments.hpp"
#include "wire/builder.hpp"
#include "wire/parser.hpp"

using namespace test_ike;
using ikev2d::ike::find_payload;

namespace {

const Endpoint kClient{IpAddress::from_string("198.51.100.7"), 500};

std::size_t max_size(const std::vector<Bytes>& packets) {
    std::size_t m = 0;
    for (const auto& p : packets) m = std::max(m, p.size());
    return m;
}

// An established AnyConnect session for the tests that poke at it afterwards.
struct Established {
    GatewayHarness h{anyconnect_config()};
    TestInitiator ini{kClient, Endpoint{IpAddress::from_string("192.0.2.1"), 500}};
    AnyConnectSession s;
    Established() {
        s = connect_anyconnect(h, ini);
        REQUIRE(find_payload<wire::AuthPayload>(s.last, iana::PayloadType::AUTH));
        REQUIRE(established_sas(h) == 1);
    }
    // An empty INFORMATIONAL (liveness check) as one encrypted datagram.
    Bytes informational() { return ini.request(iana::ExchangeType::INFORMATIONAL, {}).front(); }
};

Bytes with_fragment_fields(Bytes fragment, std::uint16_t id, std::uint8_t number, std::uint8_t flags) {
    fragment[32] = static_cast<std::uint8_t>(id >> 8);
    fragment[33] = static_cast<std::uint8_t>(id);
    fragment[34] = number;
    fragment[35] = flags;
    return fragment;
}

}  // namespace

TEST_CASE("AnyConnect with the FRAGMENTATION VID: Cisco fragments both ways through a whole login", "[ike][cisco-frag]") {
    GatewayHarness h(anyconnect_config());
    TestInitiator ini(kClient, Endpoint{IpAddress::from_string("192.0.2.1"), 500});
    AnyConnectLogin login;
    login.request_fragment_slice = 300;  // the auth-reply (over 1 KB) goes in 4+ Cisco fragments
    AnyConnectSession s = connect_anyconnect(h, ini, login);
    // The first answer (IDr, CERT, AUTH, EAP) is larger than 544 bytes: fragmented, and
    // every fragment fits the seed's fragment MTU.
    CHECK(s.first_response_datagrams > 1);
    REQUIRE(find_payload<wire::AuthPayload>(s.last, iana::PayloadType::AUTH));
    REQUIRE(find_payload<wire::CpPayload>(s.last, iana::PayloadType::CP));
    CHECK(established_sas(h) == 1);
    CHECK(h.gateway->counters().fragments_sent >= s.first_response_datagrams);
    CHECK(h.gateway->counters().fragments_received >= 4);  // the gateway reassembled the auth-reply
    CHECK(s.session_token.size() == 32);
}

TEST_CASE("Cisco fragments the gateway sends: sizes, header copies, IDs that change per message", "[ike][cisco-frag]") {
    GatewayHarness h(anyconnect_config());
    TestInitiator ini(kClient, Endpoint{IpAddress::from_string("192.0.2.1"), 500});
    std::vector<Bytes> vids = {kCiscoFragmentationVid, ascii("CISCO-ANYCONNECT-EAP")};
    ini.set_sa_init_vendor_ids(vids);
    sa_init_ok(h, ini);
    auto payloads = ini.auth_payloads("*$AnyConnectClient$*", std::nullopt, true);
    const Bytes request = ini.request(iana::ExchangeType::IKE_AUTH, payloads).front();
    auto out = h.deliver(natt_of(kClient), request);
    REQUIRE(out.size() > 1);
    CHECK(max_size(out) <= 544);
    const Bytes whole = TestInitiator::cisco_join(out);
    auto parsed = wire::parse_message(whole);
    REQUIRE(parsed);
    CHECK(parsed->header.message_id == 1);
    CHECK(parsed->header.length == whole.size());
    for (const auto& f : out) {
        auto m = wire::parse_message(f);
        REQUIRE(m);
        CHECK(m->header.spi_i == ini.spi_i());
        CHECK(m->header.spi_r == ini.spi_r());
        CHECK(m->header.message_id == 1);
        CHECK(m->header.is_response());
        CHECK(m->header.exchange == iana::ExchangeType::IKE_AUTH);
        REQUIRE(m->payloads.size() == 1);
        const auto& frag = std::get<wire::CiscoFragmentPayload>(m->payloads.front().body);
        CHECK(frag.fragment_id == 1);
    }
    // A retransmitted request gets the same fragments again, byte for byte.
    CHECK(h.deliver(natt_of(kClient), request) == out);
    CHECK_NOTHROW(ini.open_response(out));
}

TEST_CASE("Without the FRAGMENTATION VID the gateway sends no Cisco fragments and takes none", "[ike][cisco-frag]") {
    GatewayHarness h(anyconnect_config());
    TestInitiator ini(kClient, Endpoint{IpAddress::from_string("192.0.2.1"), 500});
    AnyConnectLogin login;
    login.cisco_fragmentation = false;
    AnyConnectSession s = connect_anyconnect(h, ini, login);
    CHECK(s.first_response_datagrams == 1);
    REQUIRE(established_sas(h) == 1);
    // Cisco fragments from this peer are not reassembled: no answer.
    const auto before = h.gateway->counters().invalid_packets;
    auto fragments = TestInitiator::cisco_split(ini.request(iana::ExchangeType::INFORMATIONAL, {}).front(), 40, 1);
    CHECK(h.deliver(natt_of(kClient), fragments).empty());
    CHECK(h.gateway->counters().invalid_packets == before + fragments.size());
    CHECK(established_sas(h) == 1);
}

TEST_CASE("Hostile Cisco fragments are dropped and the real message still goes through", "[ike][cisco-frag]") {
    Established e;
    GatewayHarness& h = e.h;
    const Endpoint from = natt_of(kClient);
    const Bytes request = e.informational();
    auto good = TestInitiator::cisco_split(request, 30, 9);
    REQUIRE(good.size() >= 3);

    SECTION("duplicates, out-of-range numbers, a second last fragment and another message's ID") {
        CHECK(h.deliver(from, good[0]).empty());
        CHECK(h.deliver(from, good[0]).empty());                                  // a copy
        CHECK(h.deliver(from, with_fragment_fields(good[1], 9, 200, 0)).empty());  // number past the maximum
        Bytes wrong_mid = good[1];
        wrong_mid[20] ^= 0x01;                                                     // message ID in the header
        CHECK(h.deliver(from, wrong_mid).empty());
        for (std::size_t i = 1; i < good.size(); ++i) {
            auto out = h.deliver(from, good[i]);
            if (i + 1 < good.size()) CHECK(out.empty());
            else REQUIRE(out.size() == 1);  // the answer
            if (i + 1 == good.size()) CHECK_NOTHROW(e.ini.open_response(out));
        }
    }
    SECTION("a forged slice spoils only that copy; the retransmission is answered") {
        Bytes forged = good[1];
        forged.back() ^= 0xff;
        CHECK(h.deliver(from, good[0]).empty());
        CHECK(h.deliver(from, forged).empty());
        for (std::size_t i = 2; i < good.size(); ++i) CHECK(h.deliver(from, good[i]).empty());  // integrity fails
        CHECK(established_sas(h) == 1);
        auto out = h.deliver(from, good);
        REQUIRE(out.size() == 1);
        CHECK_NOTHROW(e.ini.open_response(out));
    }
    SECTION("a last fragment below fragments already held drops the partial message") {
        CHECK(h.deliver(from, good[2]).empty());
        CHECK(h.deliver(from, with_fragment_fields(good[0], 9, 1, 1)).empty());
        const auto dropped = h.gateway->counters().fragments_dropped;
        CHECK(dropped >= 2);
        auto out = h.deliver(from, good);
        REQUIRE(out.size() == 1);
    }
    SECTION("a fragment whose length field lies is refused by the parser") {
        Bytes lying = good[0];
        lying[31] = static_cast<std::uint8_t>(lying[31] + 4);
        CHECK(h.deliver(from, lying).empty());
        Bytes truncated(good[0].begin(), good[0].begin() + 33);
        CHECK(h.deliver(from, truncated).empty());
        auto out = h.deliver(from, good);
        REQUIRE(out.size() == 1);
    }
    SECTION("a reassembled message that is not one SK payload is dropped") {
        Bytes inner = request;
        inner[16] = 132;  // the whole claims to be a fragment itself
        auto nested = TestInitiator::cisco_split(inner, 30, 11);
        CHECK(h.deliver(from, nested).empty());
        auto out = h.deliver(from, good);
        REQUIRE(out.size() == 1);
    }
    CHECK(established_sas(h) == 1);
    CHECK_FALSE(h.gateway->sas().begin()->second->reassembly);
}

TEST_CASE("Partial Cisco-fragmented messages are bounded and time out", "[ike][cisco-frag]") {
    SECTION("over the per-SA reassembly budget: dropped") {
        Established e;
        const Endpoint from = natt_of(kClient);
        // Slices that add up past reassembly_max_bytes_per_sa (64 KiB by default), never a last one.
        Bytes big = e.informational();
        std::vector<Bytes> many;
        for (std::uint8_t n = 1; n <= 64; ++n) {
            Bytes f = TestInitiator::cisco_split(big, 30, 5).front();
            Bytes slice(1200, n);
            f.resize(36);
            append(f, slice);
            const std::size_t total = f.size();
            for (int b = 0; b < 4; ++b) f[24 + b] = static_cast<std::uint8_t>(total >> (8 * (3 - b)));
            f[30] = static_cast<std::uint8_t>((total - 28) >> 8);
            f[31] = static_cast<std::uint8_t>(total - 28);
            many.push_back(with_fragment_fields(f, 5, n, 0));
        }
        CHECK(e.h.deliver(from, many).empty());
        const auto& sa = *e.h.gateway->sas().begin()->second;
        if (sa.reassembly) CHECK(sa.reassembly->bytes.bytes() <= e.h.config->global.reassembly_max_bytes_per_sa);
        CHECK(established_sas(e.h) == 1);
        auto out = e.h.deliver(from, e.informational());
        // The message ID moved on in the initiator: the gateway waits for the one before.
        (void)out;
    }
    SECTION("a partial message is given up after the reassembly timeout") {
        Established e;
        auto good = TestInitiator::cisco_split(e.informational(), 30, 3);
        CHECK(e.h.deliver(natt_of(kClient), good[0]).empty());
        REQUIRE(e.h.gateway->sas().begin()->second->reassembly);
        const auto before = e.h.gateway->counters().fragments_dropped;
        e.h.advance((e.h.config->global.reassembly_timeout_s + 1) * 1000ull);
        CHECK_FALSE(e.h.gateway->sas().begin()->second->reassembly);
        CHECK(e.h.gateway->counters().fragments_dropped == before + 1);
        CHECK(established_sas(e.h) == 1);
    }
}

TEST_CASE("add_cisco_fragment: numbering, duplicates and conflicts", "[ike][cisco-frag]") {
    ike::IkeSa sa;
    ike::ReassemblyPolicy policy;
    wire::Header h;
    h.message_id = 4;
    auto frag = [](std::uint16_t id, std::uint8_t n, bool last, std::uint8_t fill) {
        return wire::CiscoFragmentPayload{id, n, last, Bytes(10, fill)};
    };
    using S = ike::CiscoFragmentOutcome::Status;
    SECTION("out of order, with a copy, completes in number order") {
        CHECK(ike::add_cisco_fragment(sa, h, frag(1, 3, true, 3), policy).status == S::Stored);
        CHECK(ike::add_cisco_fragment(sa, h, frag(1, 1, false, 1), policy).status == S::Stored);
        CHECK(ike::add_cisco_fragment(sa, h, frag(1, 1, false, 9), policy).status == S::Ignored);
        auto done = ike::add_cisco_fragment(sa, h, frag(1, 2, false, 2), policy);
        REQUIRE(done.status == S::Complete);
        Bytes expect(10, 1);
        append(expect, Bytes(10, 2));
        append(expect, Bytes(10, 3));
        CHECK(done.whole == expect);
        CHECK_FALSE(sa.reassembly);
    }
    SECTION("numbers past the last, a second last, an empty slice") {
        CHECK(ike::add_cisco_fragment(sa, h, frag(1, 2, true, 2), policy).status == S::Stored);
        CHECK(ike::add_cisco_fragment(sa, h, frag(1, 3, false, 3), policy).status == S::Ignored);
        CHECK(ike::add_cisco_fragment(sa, h, wire::CiscoFragmentPayload{1, 1, false, {}}, policy).status == S::Ignored);
        CHECK(ike::add_cisco_fragment(sa, h, frag(1, 1, true, 1), policy).status == S::Dropped);
        CHECK_FALSE(sa.reassembly);
    }
    SECTION("another fragment ID replaces the partial message; another message ID is ignored") {
        CHECK(ike::add_cisco_fragment(sa, h, frag(1, 1, false, 1), policy).status == S::Stored);
        auto replaced = ike::add_cisco_fragment(sa, h, frag(2, 1, false, 1), policy);
        CHECK(replaced.status == S::Stored);
        CHECK(replaced.fragments_dropped == 1);
        wire::Header other = h;
        other.message_id = 5;
        CHECK(ike::add_cisco_fragment(sa, other, frag(2, 2, true, 2), policy).status == S::Ignored);
        CHECK(ike::add_cisco_fragment(sa, h, frag(2, 2, true, 2), policy).status == S::Complete);
    }
    SECTION("the per-SA byte budget") {
        policy.max_bytes_per_sa = 25;
        CHECK(ike::add_cisco_fragment(sa, h, frag(1, 1, false, 1), policy).status == S::Stored);
        CHECK(ike::add_cisco_fragment(sa, h, frag(1, 2, false, 2), policy).status == S::Stored);
        auto over = ike::add_cisco_fragment(sa, h, frag(1, 3, true, 3), policy);
        CHECK(over.status == S::Dropped);
        CHECK(over.fragments_dropped == 3);
        CHECK_FALSE(sa.reassembly);
    }
}

TEST_CASE("cisco_fragment splits within the size and refuses what needs too many fragments", "[ike][cisco-frag]") {
    wire::Header h;
    h.spi_i = 1;
    h.spi_r = 2;
    h.exchange = iana::ExchangeType::IKE_AUTH;
    h.flags = iana::kFlagResponse;
    h.message_id = 5;
    wire::Message m{h, {{iana::PayloadType::SK, false, wire::SkPayload{iana::PayloadType::EAP, Bytes(1000, 0xab)}}}};
    const Bytes whole = wire::encode_message(m);
    auto parts = ike::cisco_fragment(whole, 3, 544);
    CHECK(parts.size() == (whole.size() + 507) / 508);
    CHECK(max_size(parts) <= 544);
    CHECK(TestInitiator::cisco_join(parts) == whole);
    CHECK(ike::cisco_fragment(whole, 3, 2000) == std::vector<Bytes>{whole});
    CHECK_THROWS_AS(ike::cisco_fragment(whole, 3, 40), std::length_error);
}

// Random inputs through the reassembler under small budgets, and split/join round trips:
// the invariants a fuzz target would check (tests/fuzz cannot build the ike layer with the
// clang there), on 5000 deterministic pseudo-random inputs.
namespace random_inputs {
using namespace ikev2d;
void require(bool condition) { REQUIRE(condition); }

constexpr std::size_t kBudget = 2048;

// Record: message-ID low bit(1) | fragment ID(2) | number(1) | flags(1) | length(1) | data.
void reassemble_records(ByteView in) {
    ike::IkeSa sa;
    ike::ByteBudget shared;
    ike::ReassemblyPolicy policy;
    policy.max_bytes_per_sa = kBudget;
    policy.max_bytes_total = kBudget;
    policy.budget = &shared;
    std::map<std::uint8_t, Bytes> kept;  // our model of the partial message
    while (in.size() >= 6) {
        wire::Header h;
        h.message_id = in[0] & 1;
        wire::CiscoFragmentPayload f;
        f.fragment_id = static_cast<std::uint16_t>(in[1] << 8 | in[2]);
        f.number = in[3];
        f.last = (in[4] & wire::kCiscoFragmentLastFlag) != 0;
        const std::size_t len = std::min<std::size_t>(in[5], in.size() - 6);
        f.data.assign(in.begin() + 6, in.begin() + 6 + len);
        in = in.subspan(6 + len);
        policy.now_ms += 10;
        auto out = ike::add_cisco_fragment(sa, h, f, policy);
        if (sa.reassembly) {
            require(sa.reassembly->bytes.bytes() <= kBudget);
            require(sa.reassembly->plaintext_by_number.size() <= ike::kMaxCiscoFragments);
            require(sa.reassembly->total == 0 || sa.reassembly->plaintext_by_number.rbegin()->first <= sa.reassembly->total);
        }
        require(shared.used() <= kBudget);
        if (out.status == ike::CiscoFragmentOutcome::Status::Complete) {
            require(!sa.reassembly);
            require(!out.whole.empty());
            (void)ike::check_reassembled(h, wire::parse_message(out.whole));
        }
        ike::expire_reassembly(sa, policy.now_ms, 500);
    }
    sa.reassembly.reset();
    require(shared.used() == 0);
}

void split_and_join(ByteView in) {
    if (in.size() < 2) return;
    const std::size_t max = 40 + in[0];
    wire::Header h;
    h.spi_i = 1;
    h.spi_r = 2;
    h.exchange = iana::ExchangeType::IKE_AUTH;
    h.message_id = 3;
    wire::Message m{h, {{iana::PayloadType::SK, false, wire::SkPayload{iana::PayloadType::None, Bytes(in.begin() + 1, in.end())}}}};
    Bytes whole;
    try {
        whole = wire::encode_message(m);
    } catch (const std::exception&) {
        return;  // too large for one payload
    }
    std::vector<Bytes> parts;
    try {
        parts = ike::cisco_fragment(whole, 7, max);
    } catch (const std::length_error&) {
        return;  // more than 64 fragments
    }
    if (parts.size() == 1) {
        require(parts.front() == whole);
        return;
    }
    ike::IkeSa sa;
    ike::ReassemblyPolicy policy;
    policy.max_bytes_per_sa = 1 << 20;
    policy.max_bytes_total = 1 << 20;
    Bytes joined;
    for (std::size_t i = parts.size(); i-- > 0;) {  // backwards: order must not matter
        require(parts[i].size() <= max);
        auto parsed = wire::parse_message(parts[i]);
        require(parsed.ok());
        const auto& f = std::get<wire::CiscoFragmentPayload>(parsed.value().payloads.front().body);
        auto out = ike::add_cisco_fragment(sa, parsed.value().header, f, policy);
        if (i == 0) {
            require(out.status == ike::CiscoFragmentOutcome::Status::Complete);
            joined = out.whole;
        } else {
            require(out.status == ike::CiscoFragmentOutcome::Status::Stored);
        }
    }
    require(joined == whole);
    require(ike::check_reassembled(h, wire::parse_message(joined)).empty());
}

}  // namespace random_inputs

TEST_CASE("Cisco reassembly invariants on pseudo-random fragment streams", "[ike][cisco-frag]") {
    std::mt19937 rng(13);
    for (int round = 0; round < 5000; ++round) {
        Bytes d(rng() % 600);
        // Small values often, so that IDs, numbers and flags collide and complete.
        for (auto& b : d) b = static_cast<std::uint8_t>(rng() % 4 == 0 ? rng() % 4 : rng());
        random_inputs::reassemble_records(d);
        random_inputs::split_and_join(d);
    }
}
