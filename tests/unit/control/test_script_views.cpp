// ikectl's views for scripts and monitoring: dump, show stats --prometheus,
// show pools and monitor lines, checked against values written out by hand.
#include <catch2/catch.hpp>

#include "control/status_fields.hpp"
#include "ikectl/dump_format.hpp"
#include "ikectl/event_format.hpp"
#include "ikectl/pool_format.hpp"
#include "ikectl/prometheus_format.hpp"
#include "seed_table.hpp"

using namespace ikev2d::ikectl;

TEST_CASE("dump: one IKE line, then one line per Child SA, tab-separated", "[control][dump]") {
    auto sa = seed::ike_sa();
    auto second = seed::child();
    second.unique_id = 4;
    second.spi_in = 0x1;
    second.state = "REKEYING";
    sa.children.push_back(second);
    const std::string e = std::to_string(seed::kEstablished);
    CHECK(format_dump({sa}) ==
          "ike\t55182129\tREADY\t10.0.0.1/4500\t192.168.1.1/25171\tFC696330E6B94D7F\t58AFF71141BA436B\tAnu\t"
          "10.2.2.1\t" + e + "\t2\n"
          "child\t55182129\t3\tINSTALLED\t0x30b848a4\t0x77ee5348\t0.0.0.0/0\t10.2.2.1/32\t11192\t0\t163\t0\t" + e + "\n"
          "child\t55182129\t4\tREKEYING\t0x00000001\t0x77ee5348\t0.0.0.0/0\t10.2.2.1/32\t11192\t0\t163\t0\t" + e + "\n");
    CHECK(format_dump({}) == "");
}

TEST_CASE("dump: the user is the EAP identity, else the IKE identity; empty fields are -", "[control][dump]") {
    auto sa = seed::ike_sa();
    sa.eap_identity.clear();
    sa.assigned_address.clear();
    sa.children.clear();
    CHECK(format_dump({sa}) == "ike\t55182129\tREADY\t10.0.0.1/4500\t192.168.1.1/25171\tFC696330E6B94D7F\t"
                               "58AFF71141BA436B\t*$AnyConnectClient$*\t-\t" + std::to_string(seed::kEstablished) +
                                   "\t0\n");
}

TEST_CASE("dump fields cannot break a line or a column", "[control][dump]") {
    CHECK(dump_field("") == "-");
    CHECK(dump_field("a\tb\nc\\d") == "a\\x09b\\x0Ac\\x5Cd");
    CHECK(dump_field(std::string("\x1b\x7f\0", 3)) == "\\x1B\\x7F\\x00");
    CHECK(dump_field("b\xc3\xa4r") == "b\xc3\xa4r");  // other bytes pass as they are
}

TEST_CASE("every GetStats key has a Prometheus metric with a help text", "[control][prometheus]") {
    for (const auto& f : ikev2d::control::stats_fields())
        CHECK(!prometheus_help(f.key).empty());
}

TEST_CASE("show stats --prometheus: HELP, TYPE and sample per metric", "[control][prometheus]") {
    const std::string out = format_prometheus(seed::stats());
    CHECK(out.rfind("# HELP ikev2d_ike_sa_created_total IKE SAs created (IKE_SA_INIT requests accepted).\n"
                    "# TYPE ikev2d_ike_sa_created_total counter\n"
                    "ikev2d_ike_sa_created_total 7\n"
                    "# HELP ikev2d_ike_sa_established_total ",
                    0) == 0);
    CHECK(out.find("\n# TYPE ikev2d_half_open_ike_sas gauge\nikev2d_half_open_ike_sas 0\n") != std::string::npos);
    CHECK(out.find("\n# TYPE ikev2d_active_sessions gauge\nikev2d_active_sessions 1\n") != std::string::npos);
    CHECK(out.find("\n# TYPE ikev2d_work_budget_drops_total counter\nikev2d_work_budget_drops_total 40\n") !=
          std::string::npos);
    CHECK(out.find("\n# TYPE ikev2d_start_time_seconds gauge\nikev2d_start_time_seconds " +
                   std::to_string(seed::kNow - 3723) + "\n") != std::string::npos);
    CHECK(out.find("_total_total") == std::string::npos);
    size_t lines = 0;
    for (char c : out)
        lines += c == '\n';
    CHECK(lines == 3 * ikev2d::control::stats_fields().size());
}

TEST_CASE("show pools: range, size, leased and free per pool", "[control][pools]") {
    CHECK(format_pools({{"webvpn1", "10.2.2.1", "10.2.2.10", 10, 10}}) ==
          "Pool     Range                     Size     Leased       Free\n"
          "webvpn1  10.2.2.1-10.2.2.10          10         10          0\n");
    CHECK(format_pools({}) == "No address pools configured\n");
}

TEST_CASE("monitor lines carry time, user, address and reason", "[control][monitor]") {
    const std::string reason = "dpd timeout";
    CHECK(format_event(seed::kLoginTime, seed::session(), nullptr) ==
          "2013-04-22T22:06:24Z up user=Anu address=10.2.2.1 peer=192.168.1.1:25171 index=2\n");
    CHECK(format_event(seed::kLoginTime, seed::session(), &reason) ==
          "2013-04-22T22:06:24Z down user=Anu address=10.2.2.1 peer=192.168.1.1:25171 index=2 reason=\"dpd timeout\"\n");
    auto s = seed::session();
    s.username = "evil\nuser";
    CHECK(format_event(0, s, nullptr).find("user=evil\\x0Auser ") != std::string::npos);
}
