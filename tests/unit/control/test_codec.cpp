// The a{sv} wire form of the status structs (dbus/org.ikev2d.Manager1.xml).
#include <catch2/catch.hpp>

#include <set>

#include "control/status_codec.hpp"
#include "control/status_fields.hpp"
#include "seed_table.hpp"

using namespace ikev2d::control;

TEST_CASE("IKE SA dictionaries use the documented D-Bus types", "[control][codec]") {
    const Dict d = to_dict(seed::ike_sa());
    CHECK(d.at("tunnel_id").peekValueType() == "u");
    CHECK(d.at("key_bits").peekValueType() == "q");
    CHECK(d.at("established_at").peekValueType() == "t");
    CHECK(d.at("local").peekValueType() == "s");
    CHECK(d.at("nat_detected_remote").peekValueType() == "b");
    CHECK(d.at("children").peekValueType() == "aa{sv}");
    CHECK(d.size() == ike_sa_fields().size() + 1);
    const auto children = d.at("children").get<std::vector<Dict>>();
    REQUIRE(children.size() == 1);
    CHECK(children[0].at("ip_protocol").peekValueType() == "y");
    CHECK(children[0].at("spi_in").get<uint32_t>() == 0x30b848a4u);
}

TEST_CASE("every status struct survives a round trip", "[control][codec]") {
    const auto sa = seed::ike_sa();
    const auto back = ike_sa_from_dict(to_dict(sa));
    CHECK(back.tunnel_id == sa.tunnel_id);
    CHECK(back.remote_id == sa.remote_id);
    CHECK(back.nat_detected_remote);
    CHECK(back.dpd_retries == 2);
    CHECK(back.established_at == sa.established_at);
    REQUIRE(back.children.size() == 1);
    CHECK(back.children[0].spi_out == 0x77ee5348u);
    CHECK(back.children[0].udp_encap);
    CHECK(back.children[0].lifetime_kbytes == 4608000u);
    CHECK(back.children[0].local_port_end == 65535);

    const auto s = session_from_dict(to_dict(seed::session()));
    CHECK(s.username == "Anu");
    CHECK(s.public_port == 25171);
    CHECK(s.login_time == seed::kLoginTime);
    CHECK(s.tunnel_id == 55182129u);

    const auto g = stats_from_dict(to_dict(seed::stats()));
    CHECK(g.cookies_sent == 6);
    CHECK(g.started_at == seed::kNow - 3723);
    CHECK(g.work_budget_drops == 40);
    CHECK(g.half_open_evicted == 3);
}

TEST_CASE("decoding is lenient: missing, unknown and mistyped keys", "[control][codec]") {
    Dict d = to_dict(seed::session());
    d.erase("username");
    d["future_field"] = sdbus::Variant(std::string("ignored"));
    d["index"] = sdbus::Variant(std::string("not a number"));  // wrong type: default kept
    d["bytes_rx"] = sdbus::Variant(uint32_t{5});               // u instead of t: default kept
    const auto s = session_from_dict(d);
    CHECK(s.username.empty());
    CHECK(s.index == 0);
    CHECK(s.bytes_rx == 0);
    CHECK(s.group == "ASA-IKEV2");

    Dict sa = to_dict(seed::ike_sa());
    sa["children"] = sdbus::Variant(std::string("bogus"));
    CHECK(ike_sa_from_dict(sa).children.empty());
    CHECK(ike_sa_from_dict({}).role == "RESPONDER");  // struct defaults survive
}

TEST_CASE("field tables name each field once", "[control][codec]") {
    std::set<std::string_view> keys;
    for (const auto& f : ike_sa_fields())
        CHECK(keys.insert(f.key).second);
    CHECK_FALSE(keys.count(kChildrenKey));
    keys.clear();
    for (const auto& f : child_sa_fields())
        CHECK(keys.insert(f.key).second);
    keys.clear();
    for (const auto& f : session_fields())
        CHECK(keys.insert(f.key).second);
    CHECK(stats_fields().size() == 23);
}
