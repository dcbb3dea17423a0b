// dbus_safe_text(): whatever bytes a peer sends, the result is a string D-Bus accepts
// (valid UTF-8, no NUL) and shows no control characters; valid text is unchanged.
#include <catch2/catch.hpp>

#include <string>

#include <sdbus-c++/Error.h>
#include <sdbus-c++/Types.h>

#include "control/peer_text.hpp"

using ikev2d::control::dbus_safe_text;

namespace {

// What sd-bus itself accepts as a D-Bus string: serialise it, as to_dict() does.
bool sd_bus_accepts(const std::string& s) {
    try {
        sdbus::Variant v(s);
        return v.get<std::string>() == s;
    } catch (const sdbus::Error&) {
        return false;
    }
}

}  // namespace

TEST_CASE("peer text: valid UTF-8 passes unchanged", "[control][peer_text]") {
    for (const std::string s : {"", "Anu", "CORP\\dave", "4.10.05095", "b\xc3\xa4r \xe2\x82\xac \xf0\x9f\x98\x80",
                                "\xef\xbf\xbd", "\xf4\x8f\xbf\xbd"}) {
        INFO(s);
        CHECK(dbus_safe_text(s) == s);
    }
}

TEST_CASE("peer text: invalid UTF-8 and control characters become \\xNN", "[control][peer_text]") {
    struct Case {
        std::string in, out;
    };
    for (const Case& c : {
             Case{std::string("a\0b", 3), "a\\x00b"},  // sd-bus would cut the string at the NUL
             Case{"tab\there\r\n", "tab\\x09here\\x0D\\x0A"},
             Case{"\x1b[2J", "\\x1B[2J"},                          // terminal escape
             Case{"del\x7f", "del\\x7F"},
             Case{"\xc2\x9b" "31m", "\\xC2\\x9B31m"},              // C1 CSI, valid UTF-8 but a control
             Case{"\xff\xfe", "\\xFF\\xFE"},                        // never valid in UTF-8
             Case{"\x80", "\\x80"},                                 // lone continuation byte
             Case{"\xc0\xaf", "\\xC0\\xAF"},                        // overlong '/'
             Case{"\xe0\x80\xaf", "\\xE0\\x80\\xAF"},               // overlong, 3 bytes
             Case{"\xed\xa0\x80", "\\xED\\xA0\\x80"},               // UTF-16 surrogate D800
             Case{"\xf4\x90\x80\x80", "\\xF4\\x90\\x80\\x80"},      // above U+10FFFF
             Case{"\xe2\x82", "\\xE2\\x82"},                        // truncated at the end
             Case{"\xe2\x82" "A", "\\xE2\\x82A"},                   // truncated before ASCII
             Case{"\xef\xbf\xbe", "\\xEF\\xBF\\xBE"},               // non-character U+FFFE
             Case{"\xef\xb7\x90", "\\xEF\\xB7\\x90"},               // non-character U+FDD0
             Case{"\xc3\xa4\xc3", "\xc3\xa4\\xC3"},                 // valid, then truncated
         }) {
        INFO(c.in);
        CHECK(dbus_safe_text(c.in) == c.out);
        CHECK(sd_bus_accepts(dbus_safe_text(c.in)));
    }
}

TEST_CASE("peer text: every single byte and byte pair gives a string D-Bus accepts", "[control][peer_text]") {
    for (int a = 0; a < 256; ++a) {
        for (int b = 0; b < 256; b += (a < 0xC0 ? 255 : 1)) {
            const std::string s{static_cast<char>(a), static_cast<char>(b), '\xbf'};
            const std::string out = dbus_safe_text(s);
            INFO(a << " " << b);
            REQUIRE(sd_bus_accepts(out));
            for (char c : out) REQUIRE((static_cast<unsigned char>(c) >= 0x20 && c != 0x7f));
        }
    }
}

TEST_CASE("peer text: sd-bus refuses the raw bytes (why escaping is needed)", "[control][peer_text]") {
    for (const std::string s : {"\xff", "\x80", "\xc0\xaf", "\xed\xa0\x80", "4.10\xe2\x82"}) {
        INFO(s);
        CHECK_FALSE(sd_bus_accepts(s));
        CHECK(sd_bus_accepts(dbus_safe_text(s)));
    }
}
