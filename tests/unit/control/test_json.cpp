// ikectl --json (nlohmann-json): escaping, invalid UTF-8, and the documents' shape.
#include <catch2/catch.hpp>

#include "ikectl/json_format.hpp"
#include "seed_table.hpp"

using namespace ikev2d::ikectl;

// The string of a one-member document: how a value is written.
static std::string encoded(const std::string& text) {
    const std::string doc = json_text_result("k", text);
    const std::string head = "{\n  \"k\": ";
    REQUIRE(doc.rfind(head, 0) == 0);
    REQUIRE(doc.size() >= head.size() + 3);
    return doc.substr(head.size(), doc.size() - head.size() - 3);  // without "\n}\n"
}

TEST_CASE("JSON strings are escaped per RFC 8259", "[control][json]") {
    CHECK(encoded("plain") == "\"plain\"");
    CHECK(encoded("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(encoded("\n\r\t\b\f") == "\"\\n\\r\\t\\b\\f\"");
    CHECK(encoded(std::string("\x01\x1f", 2)) == "\"\\u0001\\u001f\"");
    CHECK(encoded(std::string("nul\0x", 5)) == "\"nul\\u0000x\"");
    CHECK(encoded("*$AnyConnectClient$*") == "\"*$AnyConnectClient$*\"");
}

TEST_CASE("valid UTF-8 passes, invalid bytes become U+FFFD", "[control][json]") {
    const std::string fffd = "\xEF\xBF\xBD";
    CHECK(encoded("사용자") == "\"사용자\"");                                // 3-byte sequences
    CHECK(encoded("\xF0\x9F\x94\x91") == "\"\xF0\x9F\x94\x91\"");              // U+1F511
    CHECK(encoded("a\xFFz") == "\"a" + fffd + "z\"");
    CHECK(encoded("\xC0\xAF").find("/") == std::string::npos);                 // overlong '/'
    CHECK(encoded("\xC0\xAF").find(fffd) != std::string::npos);
    CHECK(encoded("\xED\xA0\x80").find(fffd) != std::string::npos);           // surrogate D800
    CHECK(encoded("\xE2\x82") == "\"" + fffd + "\"");                         // truncated
    CHECK(encoded("\xF4\x90\x80\x80").find("\xF4") == std::string::npos);     // > U+10FFFF
}

TEST_CASE("errors and monitor events as JSON", "[control][json]") {
    CHECK(json_error("ikev2d is not running") == "{\n  \"error\": \"ikev2d is not running\"\n}\n");
    const std::string reason = "administrator";
    const auto down = json_event_line(seed::kLoginTime, seed::session(), &reason);
    CHECK(down.rfind("{\"time\":1366668384,\"event\":\"down\",\"reason\":\"administrator\",\"session\":{\"index\":2,", 0) == 0);
    CHECK(down.back() == '\n');
    CHECK(down.find('\n') == down.size() - 1);  // one line
    const auto up = json_event_line(seed::kLoginTime, seed::session(), nullptr);
    CHECK(up.rfind("{\"time\":1366668384,\"event\":\"up\",\"session\":{", 0) == 0);
}

TEST_CASE("pools as JSON carry free = size - leased", "[control][json]") {
    CHECK(json_pools({{"webvpn1", "10.2.2.1", "10.2.2.10", 10, 1}}) ==
          "{\n  \"pools\": [\n    {\n      \"name\": \"webvpn1\",\n      \"first\": \"10.2.2.1\",\n"
          "      \"last\": \"10.2.2.10\",\n      \"size\": 10,\n      \"leased\": 1,\n      \"free\": 9\n    }\n  ]\n}\n");
}

TEST_CASE("JSON documents carry every field under its D-Bus key", "[control][json]") {
    const auto sas = json_ike_sas({seed::ike_sa()});
    CHECK(sas.rfind("{\n  \"ike_sas\": [\n    {\n      \"tunnel_id\": 55182129,\n", 0) == 0);
    CHECK(sas.find("\"remote_id\": \"*$AnyConnectClient$*\"") != std::string::npos);
    CHECK(sas.find("\"nat_detected_remote\": true") != std::string::npos);
    CHECK(sas.find("\"children\": [\n        {\n          \"unique_id\": 3,") != std::string::npos);
    CHECK(sas.find("\"spi_in\": 817383588") != std::string::npos);

    const auto sessions = json_sessions({seed::session()});
    CHECK(sessions.find("\"login_time\": 1366668384") != std::string::npos);
    CHECK(sessions.find("\"public_port\": 25171") != std::string::npos);

    CHECK(json_stats(seed::stats()).find("\"cookies_sent\": 6") != std::string::npos);
    CHECK(json_ike_sas({}) == "{\n  \"ike_sas\": []\n}\n");
    CHECK(json_number_result("disconnected", 2) == "{\n  \"disconnected\": 2\n}\n");
    CHECK(json_text_result("reloaded", "ok") == "{\n  \"reloaded\": \"ok\"\n}\n");
}
