// The client-services request head: request line, the webvpn cookie, and what is refused.
#include <catch2/catch.hpp>

#include "services/http_request.hpp"
#include "services/session_tokens.hpp"

using namespace ikev2d;
using namespace ikev2d::services;

TEST_CASE("HTTP request heads: path and webvpn cookie", "[services]") {
    auto r = parse_http_request("GET /CACHE/stc/profiles/a.xml?x=1 HTTP/1.1\r\nHost: gw\r\n"
                                "cookie: other=1; webvpn=ABCDEF ; more=2\r\n\r\n");
    REQUIRE(r);
    CHECK(r->method == "GET");
    CHECK(r->target == "/CACHE/stc/profiles/a.xml");
    REQUIRE(r->token);
    CHECK(*r->token == "ABCDEF");
    auto none = parse_http_request("GET / HTTP/1.0\r\nCookie: webvpnx=1\r\n\r\n");
    REQUIRE(none);
    CHECK_FALSE(none->token);
}

TEST_CASE("HTTP request heads that are refused", "[services]") {
    CHECK_FALSE(parse_http_request(""));
    CHECK_FALSE(parse_http_request("GET /\r\n\r\n"));
    CHECK_FALSE(parse_http_request("GET / HTTP/2\r\n\r\n"));
    CHECK_FALSE(parse_http_request("GET http://x/ HTTP/1.1\r\n\r\n"));
    CHECK_FALSE(parse_http_request("GET /a b HTTP/1.1\r\n\r\n"));
    CHECK_FALSE(parse_http_request("GET / HTTP/1.1\r\nno colon here\r\n\r\n"));
    CHECK_FALSE(parse_http_request("GET / HTTP/1.1\r\nHost: x"));
    CHECK_FALSE(parse_http_request("GET /" + std::string(kMaxRequestHead, 'a') + " HTTP/1.1\r\n\r\n"));
}

TEST_CASE("Session tokens: live ones name their group, others and removed ones nothing", "[services]") {
    SessionTokens tokens;
    const std::string a = "00112233445566778899aabbccddeeff", b = "ffeeddccbbaa99887766554433221100";
    tokens.add(as_bytes(a), "staff");
    CHECK(tokens.group_of(as_bytes(a)) == std::optional<std::string>("staff"));
    CHECK_FALSE(tokens.group_of(as_bytes(b)));
    CHECK_FALSE(tokens.group_of(as_bytes(a.substr(0, 31))));
    CHECK_FALSE(tokens.group_of(ByteView()));
    tokens.remove(as_bytes(a));
    CHECK_FALSE(tokens.group_of(as_bytes(a)));
    CHECK(tokens.size() == 0);
}
