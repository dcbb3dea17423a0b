// The fuzzer's seed corpus must be valid messages, or the fuzzer starts from nothing.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "wire/builder.hpp"
#include "wire/parser.hpp"

using namespace ikev2d;

TEST_CASE("every seed corpus message parses and re-encodes identically", "[wire][corpus]") {
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(WIRE_FUZZ_CORPUS)) {
        INFO(entry.path().string());
        std::ifstream in(entry.path(), std::ios::binary);
        const Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        auto m = wire::parse_message(data);
        if (!m) FAIL(m.error().to_string());
        CHECK(wire::encode_message(m.value()) == data);
        ++files;
    }
    CHECK(files >= 12);
}
