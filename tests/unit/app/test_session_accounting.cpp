// The accounting line of a session's end, as the daemon wires it (on_session_down ->
// GatewayControl::session_of -> log_session_accounting), over the in-process gateway
// with a fake kernel whose Child SA counters the test sets.
#include <sys/uio.h>

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "app/gateway_control.hpp"
#include "app/session_accounting.hpp"
#include "exchange_helpers.hpp"
#include "util/log.hpp"

using namespace test_ike;
using namespace ikev2d;

namespace {

std::vector<std::map<std::string, std::string>> g_sent;

int capture(const struct iovec* iov, int n) {
    std::map<std::string, std::string> fields;
    for (int i = 0; i < n; ++i) {
        std::string f(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len);
        auto eq = f.find('=');
        if (eq != std::string::npos) fields[f.substr(0, eq)] = f.substr(eq + 1);
    }
    g_sent.push_back(fields);
    return 0;
}

}  // namespace

TEST_CASE("accounting: a session's end is logged with its kernel byte counters and address") {
    GatewayHarness h;
    TestInitiator ini(Endpoint{IpAddress::from_string("198.51.100.7"), 500}, h.local);
    connect_psk_client(h, ini);
    REQUIRE(established_sas(h) == 1);
    const ike::IkeSa& sa = *h.gateway->sas().begin()->second;
    REQUIRE(sa.children.size() == 1);
    REQUIRE(sa.assigned_address);
    const std::string assigned = sa.assigned_address->to_string();
    const std::uint32_t id = sa.unique_id;
    kernel::SaCounters in, out;
    in.bytes = 123456;
    in.packets = 100;
    out.bytes = 987654321;
    out.packets = 200;
    h.kernel.set_counters(sa.local.addr, sa.children[0].spi_in, in);
    h.kernel.set_counters(sa.remote.addr, sa.children[0].spi_out, out);

    app::GatewayControl control(*h.gateway, [] { return std::string(); }, h.now_ms / 1000,
                                [&h] { return h.now_ms / 1000; });
    h.gateway->on_session_down = [&](const ike::IkeSa& down, const std::string& reason) {
        app::log_session_accounting(down, control.session_of(down), reason);
    };
    h.now_ms += 90'000;  // 90 s of session

    g_sent.clear();
    log::set_journal_send(&capture);
    REQUIRE(h.gateway->disconnect(id, "administrator disconnect") == 1);
    log::set_journal_send(nullptr);

    const std::map<std::string, std::string>* line = nullptr;
    for (const auto& f : g_sent)
        if (f.count("IKEV2D_EVENT") && f.at("IKEV2D_EVENT") == "session-accounting") line = &f;
    REQUIRE(line != nullptr);
    CHECK(line->at("PRIORITY") == "5");
    CHECK(line->at("IKEV2D_USER") == "site@psk.test");
    CHECK(line->at("IKEV2D_SESSION") == std::to_string(id));
    CHECK(line->at("IKEV2D_PEER") == natt_of(ini.self()).to_string());
    CHECK(line->at("IKEV2D_ASSIGNED_ADDRESS") == assigned);
    CHECK(line->at("IKEV2D_BYTES_IN") == "123456");
    CHECK(line->at("IKEV2D_BYTES_OUT") == "987654321");
    CHECK(line->at("IKEV2D_DURATION_S") == "90");
    CHECK(line->at("IKEV2D_REASON") == "administrator");  // the fixed set (ike/session_end.hpp)
    CHECK(line->at("MESSAGE").find("reason: administrator disconnect") != std::string::npos);  // the detail
    CHECK(line->count("IKEV2D_SPI_I") == 1);
    CHECK(line->at("MESSAGE").find("bytes in 123456, bytes out 987654321") != std::string::npos);
}

namespace {

const std::map<std::string, std::string>* event_line(const std::string& event) {
    for (const auto& f : g_sent)
        if (f.count("IKEV2D_EVENT") && f.at("IKEV2D_EVENT") == event) return &f;
    return nullptr;
}

}  // namespace

TEST_CASE("the gateway's session-up, session-down and auth-failed lines carry their fields and priority") {
    GatewayHarness h;
    g_sent.clear();
    log::set_journal_send(&capture);
    TestInitiator ini(Endpoint{IpAddress::from_string("198.51.100.7"), 500}, h.local);
    connect_psk_client(h, ini);
    REQUIRE(established_sas(h) == 1);
    const ike::IkeSa& sa = *h.gateway->sas().begin()->second;
    const std::uint32_t id = sa.unique_id;
    char spi_r[17];
    std::snprintf(spi_r, sizeof spi_r, "%016llX", static_cast<unsigned long long>(sa.spi_r));

    TestInitiator bad(Endpoint{IpAddress::from_string("198.51.100.9"), 500}, h.local);
    sa_init_ok(h, bad);
    h.deliver(natt_of(bad.self()), bad.request(iana::ExchangeType::IKE_AUTH,
                                               bad.auth_payloads("site@psk.test", std::string("not the key"), true)));
    REQUIRE(h.gateway->disconnect(id, "administrator disconnect") == 1);
    log::set_journal_send(nullptr);

    const auto* up = event_line("session-up");
    REQUIRE(up != nullptr);
    CHECK(up->at("PRIORITY") == "6");
    CHECK(up->at("IKEV2D_USER") == "site@psk.test");
    CHECK(up->at("IKEV2D_SESSION") == std::to_string(id));
    CHECK(up->at("IKEV2D_PEER") == "198.51.100.7:4500");
    CHECK(up->at("IKEV2D_SPI_R") == spi_r);
    CHECK(up->count("IKEV2D_SPI_I") == 1);

    const auto* down = event_line("session-down");
    REQUIRE(down != nullptr);
    CHECK(down->at("PRIORITY") == "6");
    CHECK(down->at("IKEV2D_SESSION") == std::to_string(id));
    CHECK(down->at("IKEV2D_USER") == "site@psk.test");

    const auto* refused = event_line("auth-failed");
    REQUIRE(refused != nullptr);
    CHECK(refused->at("PRIORITY") == "4");
    CHECK(refused->at("IKEV2D_PEER") == "198.51.100.9:4500");
    CHECK(refused->at("IKEV2D_USER") == "site@psk.test");
}
