// IKEv2 message and payload encoder/decoder for the test initiator (RFC 7296 3.1-3.2),
// written apart from the daemon's codec. Payload bodies stay raw bytes; payloads.hpp
// builds and reads the bodies an initiator needs.
#pragma once

#include <optional>
#include <vector>

#include "bytes.hpp"

namespace peer {

constexpr std::size_t kHeaderSize = 28;
constexpr std::size_t kGenericHeaderSize = 4;
constexpr std::uint8_t kCriticalBit = 0x80;

struct Header {
    std::uint64_t spi_i = 0, spi_r = 0;
    std::uint8_t next = 0;
    std::uint8_t version = 0x20;
    std::uint8_t exchange = 0;
    std::uint8_t flags = 0;
    std::uint32_t message_id = 0;
    std::uint32_t length = 0;
};

struct Payload {
    std::uint8_t type = 0;
    std::uint8_t flags = 0;       // critical bit and the reserved bits, as sent/received
    Bytes body;                   // after the 4-byte generic header
    std::uint8_t inner_first = 0; // SK/SKF only: the Next Payload field names the first inner payload
};

inline Payload make_payload(std::uint8_t type, Bytes body, bool critical = false) {
    return Payload{type, static_cast<std::uint8_t>(critical ? kCriticalBit : 0), std::move(body), 0};
}

struct Message {
    Header header;
    std::vector<Payload> payloads;
};

// The 28 header bytes exactly as the fields say (no fixing up).
Bytes encode_header(const Header& h);
// A payload chain: each Next Payload field names the following payload (SK/SKF: its
// inner_first); the last one says None.
Bytes encode_chain(const std::vector<Payload>& payloads);
// Header + chain, with Next Payload and Length filled in from the payloads.
Bytes encode_message(Header h, const std::vector<Payload>& payloads);

// Strict decoding: the header length must equal the datagram, every payload length must
// fit and be at least 4, the chain must end exactly at the end of the data, and SK/SKF
// must be last. Returns nullopt for anything else.
std::optional<Header> decode_header(ByteView packet);
std::optional<Message> decode_message(ByteView packet);
std::optional<std::vector<Payload>> decode_chain(std::uint8_t first, ByteView data);

// The first payload of a type, or nullptr.
const Payload* find(const std::vector<Payload>& payloads, std::uint8_t type);

}  // namespace peer
