#include <catch2/catch.hpp>

#include "util/printable.hpp"

using namespace ikev2d;

TEST_CASE("printable: control, DEL and non-ASCII bytes become '?', long text is cut") {
    REQUIRE(printable(std::string_view("alice@example.com")) == "alice@example.com");
    const Bytes raw{'a', 0x00, '\n', 0x1b, '[', 0x7f, 0xc3, 0xa9, 'z'};
    REQUIRE(printable(raw) == "a???[???z");
    REQUIRE(printable(std::string_view("abcdef"), 3) == "abc...");
    REQUIRE(printable(std::string_view("abc"), 3) == "abc");
    REQUIRE(is_printable(as_bytes("a b~")));
    REQUIRE_FALSE(is_printable(raw));
}
