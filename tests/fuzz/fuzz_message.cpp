// libFuzzer target for the real IKEv2 parser: any input must parse or fail cleanly;
// whatever parses must re-encode into something that parses again and encodes to the
// same bytes (the codec is a fixed point after one round), and dump() must cope with it.
#include <cstdlib>

#include "wire/builder.hpp"
#include "wire/dump.hpp"
#include "wire/parser.hpp"

using namespace ikev2d;
using namespace ikev2d::wire;

namespace {

void require(bool condition) {
    if (!condition) std::abort();
}

void check_message(ByteView input) {
    auto parsed = parse_message(input);
    if (!parsed) {
        (void)parsed.error().to_string();
        (void)parsed.error().notify_data();
        return;
    }
    const Bytes once = encode_message(parsed.value());
    auto reparsed = parse_message(once);
    require(reparsed.ok());
    require(reparsed.value().payloads == parsed.value().payloads);
    require(encode_message(reparsed.value()) == once);
    (void)dump(parsed.value());
}

// Decrypted SK content starts with whatever the SK header named.
void check_payloads(PayloadType first, ByteView input) {
    auto parsed = parse_payloads(first, input);
    if (!parsed) return;
    const Bytes once = encode_payloads(parsed.value());
    const PayloadType again = parsed.value().empty() ? PayloadType::None : parsed.value().front().type;
    auto reparsed = parse_payloads(again, once);
    require(reparsed.ok());
    require(encode_payloads(reparsed.value()) == once);
    (void)dump_payloads(parsed.value());
}

constexpr PayloadType kFirstTypes[] = {
    PayloadType::SA,    PayloadType::KE,  PayloadType::IDi,      PayloadType::IDr, PayloadType::CERT,
    PayloadType::CERTREQ, PayloadType::AUTH, PayloadType::Nonce, PayloadType::Notify, PayloadType::Delete,
    PayloadType::VendorID, PayloadType::TSi, PayloadType::TSr, PayloadType::CP, PayloadType::EAP,
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const ByteView input(data, size);
    check_message(input);
    // SK content has no IKE header: try the body after it as well as the raw input.
    for (PayloadType first : kFirstTypes) check_payloads(first, input);
    return 0;
}
