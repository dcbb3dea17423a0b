// Protected messages from hostile peers that hold valid keys: malformed content inside
// a valid SK payload (RFC 7296 2.21.2, 3.10.1), RFC 7383 reassembly budgets and
// timeout, and per-IKE-SA rate limits for CREATE_CHILD_SA and INFORMATIONAL.
#include <catch2/catch.hpp>

#include "exchange_helpers.hpp"

using namespace test_ike;
using ikev2d::ike::find_payload;
using iana::ExchangeType;
using iana::NotifyType;
using iana::PayloadType;

namespace {

const Endpoint kClient{IpAddress::from_string("192.0.2.11"), 500};

// One payload as raw bytes: generic header with the given (possibly false) length,
// then `body_size` bytes of `fill`.
Bytes raw_payload(std::uint8_t next, bool critical, std::uint16_t length, std::size_t body_size, std::uint8_t fill = 0x42) {
    Bytes b{next, static_cast<std::uint8_t>(critical ? 0x80 : 0), static_cast<std::uint8_t>(length >> 8),
            static_cast<std::uint8_t>(length)};
    b.insert(b.end(), body_size, fill);
    return b;
}

constexpr auto kVendorId = static_cast<std::uint8_t>(PayloadType::VendorID);
constexpr std::uint8_t kUnknownType = 201;

// A valid INFORMATIONAL plaintext of `size` bytes: one Vendor ID payload.
Bytes vendor_id_plaintext(std::size_t size) { return raw_payload(0, false, static_cast<std::uint16_t>(size), size - 4); }

std::string no_dpd() { return config_with(kTestConfig, "interval_s", "interval_s = 0"); }

}  // namespace

TEST_CASE("malformed payloads inside a valid SK payload are answered, and the message ID is consumed") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    connect_psk_client(h, ini);
    const Endpoint from = natt_of(kClient);

    struct Case {
        const char* what;
        iana::PayloadType first;
        Bytes plaintext;
        NotifyType expect;
        Bytes data;
    };
    const Case cases[] = {
        {"length past the end", PayloadType::Notify, raw_payload(0, false, 100, 4), NotifyType::INVALID_SYNTAX, {}},
        {"length below the generic header", PayloadType::Notify, raw_payload(0, false, 2, 0), NotifyType::INVALID_SYNTAX, {}},
        {"bytes after the last payload", PayloadType::VendorID,
         [] { Bytes b = raw_payload(0, false, 8, 4); b.push_back(0); return b; }(), NotifyType::INVALID_SYNTAX, {}},
        {"SK inside SK", PayloadType::SK, raw_payload(0, false, 20, 16), NotifyType::INVALID_SYNTAX, {}},
        {"unknown critical payload", static_cast<PayloadType>(kUnknownType), raw_payload(0, true, 8, 4),
         NotifyType::UNSUPPORTED_CRITICAL_PAYLOAD, Bytes{kUnknownType}},
        {"unknown critical payload after a good one", PayloadType::VendorID,
         [] { Bytes b = raw_payload(kUnknownType, false, 8, 4); append(b, raw_payload(0, true, 6, 2)); return b; }(),
         NotifyType::UNSUPPORTED_CRITICAL_PAYLOAD, Bytes{kUnknownType}},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        const std::uint32_t mid = ini.next_message_id();
        auto out = h.deliver(from, ini.request_raw(ExchangeType::INFORMATIONAL, c.first, c.plaintext));
        REQUIRE(out.size() == 1);
        CHECK(message_id_of(out[0]) == mid);
        auto resp = ini.open_response(out);
        REQUIRE(resp.size() == 1);
        const auto* n = std::get_if<wire::NotifyPayload>(&resp[0].body);
        REQUIRE(n != nullptr);
        CHECK(n->type == code(c.expect));
        CHECK(n->data == c.data);
    }
    CHECK(h.gateway->counters().malformed_requests == std::size(cases));
    // The established SA goes on; the next message ID is the next one.
    auto alive = ini.open_response(h.deliver(from, ini.request(ExchangeType::INFORMATIONAL, {})));
    CHECK(alive.empty());
    CHECK(established_sas(h) == 1);
    CHECK(h.kernel.sas().size() == 2);

    // A broken ICV is still dropped without an answer, and the message ID stays.
    const std::uint32_t mid = ini.next_message_id();
    auto forged = ini.request_raw(ExchangeType::INFORMATIONAL, PayloadType::Notify, raw_payload(0, false, 100, 4));
    forged[0].back() ^= 1;
    CHECK(h.deliver(from, forged).empty());
    ini.set_message_id(mid);
    CHECK(ini.open_response(h.deliver(from, ini.request(ExchangeType::INFORMATIONAL, {}))).empty());
}

TEST_CASE("a malformed IKE_AUTH inside a valid SK payload is answered INVALID_SYNTAX and the SA closed") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    sa_init_ok(h, ini);
    REQUIRE(h.gateway->half_open() == 1);
    auto out = h.deliver(natt_of(kClient), ini.request_raw(ExchangeType::IKE_AUTH, PayloadType::IDi, raw_payload(0, false, 300, 8)));
    REQUIRE(out.size() == 1);
    CHECK(error_notify(ini.open_response(out)) == code(NotifyType::INVALID_SYNTAX));
    CHECK(live_sas(h) == 0);
    CHECK(h.gateway->half_open() == 0);
}

TEST_CASE("malformed content after RFC 7383 reassembly is answered like an unfragmented one") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    connect_psk_client(h, ini, true);
    const Endpoint from = natt_of(kClient);
    SECTION("length past the end") {
        Bytes plain = raw_payload(0, false, 400, 296);
        auto req = ini.request_raw(ExchangeType::INFORMATIONAL, PayloadType::VendorID, plain, 100);
        REQUIRE(req.size() == 3);
        auto resp = ini.open_response(h.deliver(from, req));
        CHECK(error_notify(resp) == code(NotifyType::INVALID_SYNTAX));
    }
    SECTION("unknown critical payload") {
        Bytes plain = raw_payload(kUnknownType, false, 104, 100);
        append(plain, raw_payload(0, true, 154, 150));
        auto req = ini.request_raw(ExchangeType::INFORMATIONAL, PayloadType::VendorID, plain, 100);
        REQUIRE(req.size() == 3);
        auto resp = ini.open_response(h.deliver(from, req));
        REQUIRE(resp.size() == 1);
        const auto* n = std::get_if<wire::NotifyPayload>(&resp[0].body);
        REQUIRE(n != nullptr);
        CHECK(n->type == code(NotifyType::UNSUPPORTED_CRITICAL_PAYLOAD));
        CHECK(n->data == Bytes{kUnknownType});
    }
    CHECK(ini.open_response(h.deliver(from, ini.request(ExchangeType::INFORMATIONAL, {}))).empty());
}

TEST_CASE("reassembly: a message over the per-SA budget is dropped and counted") {
    GatewayHarness h(config_with_global(kTestConfig, "reassembly_max_bytes_per_sa = 4096\n"));
    TestInitiator ini(kClient, h.local);
    connect_psk_client(h, ini, true);
    const Endpoint from = natt_of(kClient);
    const std::uint32_t mid = ini.next_message_id();
    auto big = ini.request_raw(ExchangeType::INFORMATIONAL, PayloadType::VendorID, vendor_id_plaintext(6000), 1000);
    REQUIRE(big.size() == 6);
    CHECK(h.deliver(from, big).empty());
    CHECK(h.gateway->counters().fragments_dropped >= 1);
    // The message ID was not consumed: a message that fits is answered under it.
    ini.set_message_id(mid);
    auto fits = ini.request_raw(ExchangeType::INFORMATIONAL, PayloadType::VendorID, vendor_id_plaintext(3000), 1000);
    auto out = h.deliver(from, fits);
    REQUIRE(out.size() == 1);
    CHECK(message_id_of(out[0]) == mid);
}

TEST_CASE("reassembly: a global budget across all IKE SAs") {
    std::string toml = no_dpd();
    toml = config_with_global(toml, "reassembly_max_bytes_per_sa = 4096\nreassembly_max_bytes_total = 8192\n");
    GatewayHarness h(toml);
    std::vector<std::unique_ptr<TestInitiator>> clients;
    std::vector<std::vector<Bytes>> requests;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<TestInitiator>(
            Endpoint{IpAddress::from_string("192.0.2." + std::to_string(21 + i)), 500}, h.local));
        connect_psk_client(h, *clients.back(), true);
        requests.push_back(clients.back()->request_raw(ExchangeType::INFORMATIONAL, PayloadType::VendorID,
                                                       vendor_id_plaintext(4000), 1000));
        REQUIRE(requests.back().size() == 4);
    }
    // Each holds three of its four fragments: 3000 + 3000 + 3000 > 8192.
    for (int i = 0; i < 3; ++i)
        CHECK(h.deliver(natt_of(clients[i]->self()), std::vector<Bytes>(requests[i].begin(), requests[i].begin() + 3)).empty());
    CHECK(h.gateway->counters().fragments_dropped >= 1);
    // The third SA's partial message was given up: its last fragment completes nothing.
    CHECK(h.deliver(natt_of(clients[2]->self()), requests[2][3]).empty());
    // The first two complete; then the third's retransmission fits.
    CHECK(h.deliver(natt_of(clients[0]->self()), requests[0][3]).size() == 1);
    CHECK(h.deliver(natt_of(clients[1]->self()), requests[1][3]).size() == 1);
    CHECK(h.deliver(natt_of(clients[2]->self()), requests[2]).size() == 1);
}

TEST_CASE("reassembly: a partial message is discarded after the timeout") {
    GatewayHarness h(no_dpd());  // reassembly_timeout_s defaults to 10
    TestInitiator ini(kClient, h.local);
    connect_psk_client(h, ini, true);
    const Endpoint from = natt_of(kClient);
    auto req = ini.request_raw(ExchangeType::INFORMATIONAL, PayloadType::VendorID, vendor_id_plaintext(4000), 1000);
    REQUIRE(req.size() == 4);
    CHECK(h.deliver(from, std::vector<Bytes>(req.begin(), req.begin() + 3)).empty());
    h.advance(11'000);
    CHECK(h.gateway->counters().fragments_dropped == 3);
    CHECK(h.deliver(from, req[3]).empty());
    // The whole retransmission is answered.
    CHECK(h.deliver(from, req).size() == 1);
}

TEST_CASE("CREATE_CHILD_SA requests per IKE SA and minute are limited with TEMPORARY_FAILURE") {
    GatewayHarness h(config_with_global(no_dpd(), "create_child_per_minute = 3\n"));
    TestInitiator ini(kClient, h.local);
    connect_psk_client(h, ini);
    const Endpoint from = natt_of(kClient);
    auto child_request = [&] {
        auto auth = ini.auth_payloads("site@psk.test", kTestPsk, true);
        std::vector<wire::Payload> req;
        for (auto& p : auth)
            if (p.type == PayloadType::SA || p.type == PayloadType::TSi || p.type == PayloadType::TSr) req.push_back(p);
        req.insert(req.begin() + 1, {PayloadType::Nonce, false, wire::NoncePayload{Bytes(32, 0x17)}});
        return ini.open_response(h.deliver(from, ini.request(ExchangeType::CREATE_CHILD_SA, req)));
    };
    for (int i = 0; i < 3; ++i) CHECK(error_notify(child_request()) != code(NotifyType::TEMPORARY_FAILURE));
    CHECK(error_notify(child_request()) == code(NotifyType::TEMPORARY_FAILURE));
    CHECK(h.gateway->counters().create_child_rate_limited == 1);
    h.advance(60'000);
    CHECK(error_notify(child_request()) != code(NotifyType::TEMPORARY_FAILURE));
    CHECK(established_sas(h) == 1);
}

TEST_CASE("INFORMATIONAL requests per IKE SA and minute are limited: dropped, message ID kept") {
    GatewayHarness h(config_with_global(no_dpd(), "informational_per_minute = 3\n"));
    TestInitiator ini(kClient, h.local);
    connect_psk_client(h, ini);
    const Endpoint from = natt_of(kClient);
    for (int i = 0; i < 3; ++i) CHECK(h.deliver(from, ini.request(ExchangeType::INFORMATIONAL, {})).size() == 1);
    const std::uint32_t mid = ini.next_message_id();
    auto fourth = ini.request(ExchangeType::INFORMATIONAL, {});
    CHECK(h.deliver(from, fourth).empty());
    CHECK(h.gateway->counters().informational_rate_limited == 1);
    h.advance(60'000);
    // The peer's retransmission is served once the budget has refilled.
    auto out = h.deliver(from, fourth);
    REQUIRE(out.size() == 1);
    CHECK(message_id_of(out[0]) == mid);
    CHECK(h.deliver(from, ini.request(ExchangeType::INFORMATIONAL, {})).size() == 1);
}
