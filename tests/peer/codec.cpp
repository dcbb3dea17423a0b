#include "codec.hpp"

#include "iana.hpp"

namespace peer {

Bytes encode_header(const Header& h) {
    Bytes out;
    put64(out, h.spi_i);
    put64(out, h.spi_r);
    put8(out, h.next);
    put8(out, h.version);
    put8(out, h.exchange);
    put8(out, h.flags);
    put32(out, h.message_id);
    put32(out, h.length);
    return out;
}

Bytes encode_chain(const std::vector<Payload>& payloads) {
    Bytes out;
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        const Payload& p = payloads[i];
        const bool encrypted = p.type == iana::kSK || p.type == iana::kSKF;
        std::uint8_t next = encrypted ? p.inner_first : (i + 1 < payloads.size() ? payloads[i + 1].type : iana::kNone);
        put8(out, next);
        put8(out, p.flags);
        put16(out, static_cast<std::uint16_t>(kGenericHeaderSize + p.body.size()));
        append(out, p.body);
    }
    return out;
}

Bytes encode_message(Header h, const std::vector<Payload>& payloads) {
    Bytes chain = encode_chain(payloads);
    h.next = payloads.empty() ? iana::kNone : payloads.front().type;
    h.length = static_cast<std::uint32_t>(kHeaderSize + chain.size());
    Bytes out = encode_header(h);
    append(out, chain);
    return out;
}

std::optional<Header> decode_header(ByteView packet) {
    if (packet.size() < kHeaderSize) return std::nullopt;
    const std::uint8_t* p = packet.data();
    Header h;
    h.spi_i = get64(p);
    h.spi_r = get64(p + 8);
    h.next = p[16];
    h.version = p[17];
    h.exchange = p[18];
    h.flags = p[19];
    h.message_id = get32(p + 20);
    h.length = get32(p + 24);
    return h;
}

std::optional<std::vector<Payload>> decode_chain(std::uint8_t first, ByteView data) {
    std::vector<Payload> out;
    std::size_t pos = 0;
    std::uint8_t type = first;
    while (type != iana::kNone) {
        if (data.size() - pos < kGenericHeaderSize) return std::nullopt;
        const std::uint8_t next = data[pos];
        const std::uint8_t flags = data[pos + 1];
        const std::uint16_t length = get16(&data[pos + 2]);
        if (length < kGenericHeaderSize || length > data.size() - pos) return std::nullopt;
        Payload p;
        p.type = type;
        p.flags = flags;
        p.body.assign(data.begin() + static_cast<std::ptrdiff_t>(pos + kGenericHeaderSize),
                      data.begin() + static_cast<std::ptrdiff_t>(pos + length));
        pos += length;
        if (type == iana::kSK || type == iana::kSKF) {
            p.inner_first = next;
            out.push_back(std::move(p));
            if (pos != data.size()) return std::nullopt;  // SK/SKF is always last
            return out;
        }
        out.push_back(std::move(p));
        type = next;
    }
    if (pos != data.size()) return std::nullopt;
    return out;
}

std::optional<Message> decode_message(ByteView packet) {
    auto h = decode_header(packet);
    if (!h || h->length != packet.size()) return std::nullopt;
    auto chain = decode_chain(h->next, packet.subspan(kHeaderSize));
    if (!chain) return std::nullopt;
    return Message{*h, std::move(*chain)};
}

const Payload* find(const std::vector<Payload>& payloads, std::uint8_t type) {
    for (const Payload& p : payloads)
        if (p.type == type) return &p;
    return nullptr;
}

}  // namespace peer
