#include "wire/parser.hpp"

#include "wire/body_decoder.hpp"
#include "wire/byte_reader.hpp"

namespace ikev2d::wire {
namespace {

using detail::fail;

constexpr uint8_t kCriticalBit = 0x80;

bool ends_chain(PayloadType type) {
    return type == PayloadType::SK || type == PayloadType::SKF || type == PayloadType::CiscoFragment;
}

// Walks the generic payload headers from `first`, checking each declared length
// against what is left before decoding the body.
Result<std::vector<Payload>, ParseError> parse_chain(PayloadType first, ByteView data, std::size_t base,
                                                     bool inside_encrypted) {
    std::vector<Payload> payloads;
    ByteReader reader(data, base);
    PayloadType type = first;
    while (type != PayloadType::None) {
        const std::size_t start = reader.offset();
        uint8_t next_raw = 0, flags = 0;
        uint16_t length = 0;
        if (!reader.u8(next_raw) || !reader.u8(flags) || !reader.u16(length))
            return fail(ParseErrorCode::PayloadOverrun, start, type, "generic payload header truncated");
        if (length < kGenericHeaderSize)
            return fail(ParseErrorCode::PayloadTooShort, start, type,
                        "payload length " + std::to_string(length) + " below the generic header");
        ByteView body;
        if (!reader.view(length - kGenericHeaderSize, body))
            return fail(ParseErrorCode::PayloadOverrun, start, type,
                        "payload length " + std::to_string(length) + " exceeds the " +
                            std::to_string(reader.remaining() + kGenericHeaderSize) + " bytes left");
        const auto next = static_cast<PayloadType>(next_raw);
        const bool critical = (flags & kCriticalBit) != 0;

        if (!detail::is_known_payload(type)) {
            if (critical) {
                ParseError e{ParseErrorCode::UnsupportedCritical, "unknown payload type with the critical bit",
                             start, type, static_cast<uint8_t>(type)};
                return unexpected(std::move(e));
            }
            payloads.push_back({type, false, UnknownPayload{Bytes(body.begin(), body.end())}});
            type = next;
            continue;
        }
        auto decoded = detail::decode_body(type, next, body, start + kGenericHeaderSize);
        if (!decoded) return unexpected(decoded.error());
        payloads.push_back({type, critical, std::move(decoded).value()});

        if (ends_chain(type)) {
            if (inside_encrypted)
                return fail(ParseErrorCode::NestedEncrypted, start, type, "encrypted payload inside SK content");
            if (!reader.empty())
                return fail(ParseErrorCode::SkNotLast, reader.offset(), type,
                            std::to_string(reader.remaining()) + " bytes follow the encrypted payload");
            break;  // for SK/SKF the next-payload field names the inner first payload
        }
        type = next;
    }
    if (!reader.empty())
        return fail(ParseErrorCode::TrailingData, reader.offset(), PayloadType::None,
                    std::to_string(reader.remaining()) + " bytes after the last payload");
    return payloads;
}

}  // namespace

Result<Header, ParseError> parse_header(ByteView packet) {
    ByteReader reader(packet);
    Header h;
    uint8_t next = 0, exchange = 0;
    if (!reader.u64(h.spi_i) || !reader.u64(h.spi_r) || !reader.u8(next) || !reader.u8(h.version) ||
        !reader.u8(exchange) || !reader.u8(h.flags) || !reader.u32(h.message_id) || !reader.u32(h.length))
        return fail(ParseErrorCode::TruncatedHeader, 0, PayloadType::None,
                    std::to_string(packet.size()) + " bytes, the IKE header needs 28");
    h.next = static_cast<PayloadType>(next);
    h.exchange = static_cast<ExchangeType>(exchange);
    return h;
}

Result<Message, ParseError> parse_message(ByteView packet) {
    auto header = parse_header(packet);
    if (!header) return unexpected(header.error());
    Message m{header.value(), {}};
    if (m.header.major_version() != kIkeMajorVersion)
        return fail(ParseErrorCode::BadVersion, 17, PayloadType::None,
                    "major version " + std::to_string(m.header.major_version()));
    if (m.header.length != packet.size())
        return fail(ParseErrorCode::LengthMismatch, 24, PayloadType::None,
                    "header length " + std::to_string(m.header.length) + ", datagram " +
                        std::to_string(packet.size()) + " bytes");
    auto payloads = parse_chain(m.header.next, packet.subspan(kHeaderSize), kHeaderSize, false);
    if (!payloads) return unexpected(payloads.error());
    m.payloads = std::move(payloads).value();
    return m;
}

Result<std::vector<Payload>, ParseError> parse_payloads(PayloadType first, ByteView data) {
    return parse_chain(first, data, 0, true);
}

}  // namespace ikev2d::wire
