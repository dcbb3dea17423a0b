// ikectl --json: the writer's escaping and structure, and the documents' shape.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "ikectl/json_format.hpp"
#include "ikectl/json_writer.hpp"
#include "seed_table.hpp"

using namespace ikev2d::ikectl;

TEST_CASE("JSON strings are escaped per RFC 8259", "[control][json]") {
    CHECK(JsonWriter::escape("plain") == "\"plain\"");
    CHECK(JsonWriter::escape("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(JsonWriter::escape("\n\r\t\b\f") == "\"\\n\\r\\t\\b\\f\"");
    CHECK(JsonWriter::escape(std::string("\x01\x1f\x7f", 3)) == "\"\\u0001\\u001f\\u007f\"");
    CHECK(JsonWriter::escape(std::string("nul\0x", 5)) == "\"nul\\u0000x\"");
    CHECK(JsonWriter::escape("*$AnyConnectClient$*") == "\"*$AnyConnectClient$*\"");
    CHECK(JsonWriter::escape("/") == "\"/\"");
}

TEST_CASE("valid UTF-8 passes, invalid bytes become U+FFFD", "[control][json]") {
    CHECK(JsonWriter::escape("사용자") == "\"사용자\"");           // 3-byte sequences
    CHECK(JsonWriter::escape("\xF0\x9F\x94\x91") == "\"\xF0\x9F\x94\x91\"");  // U+1F511
    CHECK(JsonWriter::escape("a\xFFz") == "\"a\\ufffdz\"");
    CHECK(JsonWriter::escape("\xC0\xAF") == "\"\\ufffd\\ufffd\"");            // overlong '/'
    CHECK(JsonWriter::escape("\xED\xA0\x80") == "\"\\ufffd\\ufffd\\ufffd\"");  // surrogate D800
    CHECK(JsonWriter::escape("\xE2\x82") == "\"\\ufffd\\ufffd\"");            // truncated
    CHECK(JsonWriter::escape("\xF4\x90\x80\x80") == "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // > U+10FFFF
}

TEST_CASE("JsonWriter pretty-prints nested documents", "[control][json]") {
    JsonWriter w;
    w.begin_object();
    w.key("a");
    w.value(uint64_t{18446744073709551615ull});
    w.key("b");
    w.begin_array();
    w.value(true);
    w.value(int64_t{-3});
    w.begin_object();
    w.end_object();
    w.begin_array();
    w.end_array();
    w.end_array();
    w.key("c");
    w.value("x");
    w.end_object();
    CHECK(w.finish() ==
          "{\n"
          "  \"a\": 18446744073709551615,\n"
          "  \"b\": [\n"
          "    true,\n"
          "    -3,\n"
          "    {},\n"
          "    []\n"
          "  ],\n"
          "  \"c\": \"x\"\n"
          "}\n");
}

TEST_CASE("JsonWriter refuses malformed sequences", "[control][json]") {
    JsonWriter w;
    w.begin_object();
    CHECK_THROWS_AS(w.value("no key"), std::logic_error);
    CHECK_THROWS_AS(w.end_array(), std::logic_error);
    CHECK_THROWS_AS(w.finish(), std::logic_error);
    JsonWriter a;
    a.begin_array();
    CHECK_THROWS_AS(a.key("k"), std::logic_error);
    a.end_array();
    CHECK_THROWS_AS(a.value("second top-level"), std::logic_error);
    JsonWriter e;
    CHECK_THROWS_AS(e.finish(), std::logic_error);
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
