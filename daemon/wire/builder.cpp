#include "wire/builder.hpp"

#include <limits>
#include <stdexcept>
#include <string>

#include "wire/byte_writer.hpp"

namespace ikev2d::wire {
namespace {

constexpr uint8_t kCriticalBit = 0x80;
constexpr uint8_t kMoreProposals = 2, kMoreTransforms = 3, kLastSubstructure = 0;
constexpr uint16_t kAttrFormatTv = 0x8000;

template <class Limit>
Limit checked(std::size_t value, const char* what) {
    if (value > std::numeric_limits<Limit>::max())
        throw std::length_error(std::string(what) + " too large: " + std::to_string(value));
    return static_cast<Limit>(value);
}

void put_transform(ByteWriter& w, const Transform& t, bool last) {
    const std::size_t start = w.position();
    w.u8(last ? kLastSubstructure : kMoreTransforms);
    w.u8(0);
    w.u16(0);  // length, patched below
    w.u8(static_cast<uint8_t>(t.type));
    w.u8(0);
    w.u16(t.id);
    if (t.key_length) {
        w.u16(kAttrFormatTv | iana::kAttrKeyLength);
        w.u16(*t.key_length);
    }
    w.bytes(t.unknown_attributes);
    w.patch_u16(start + 2, checked<uint16_t>(w.position() - start, "transform"));
}

void put_sa(ByteWriter& w, const SaPayload& sa) {
    for (std::size_t i = 0; i < sa.proposals.size(); ++i) {
        const Proposal& p = sa.proposals[i];
        const std::size_t start = w.position();
        w.u8(i + 1 == sa.proposals.size() ? kLastSubstructure : kMoreProposals);
        w.u8(0);
        w.u16(0);  // length, patched below
        w.u8(p.number);
        w.u8(static_cast<uint8_t>(p.protocol));
        w.u8(checked<uint8_t>(p.spi.size(), "proposal SPI"));
        w.u8(checked<uint8_t>(p.transforms.size(), "transform count"));
        w.bytes(p.spi);
        for (std::size_t t = 0; t < p.transforms.size(); ++t)
            put_transform(w, p.transforms[t], t + 1 == p.transforms.size());
        w.patch_u16(start + 2, checked<uint16_t>(w.position() - start, "proposal"));
    }
}

void put_selector(ByteWriter& w, const TrafficSelector& ts) {
    const std::size_t addr_size = ts.type == iana::TsType::IPV6_ADDR_RANGE ? 16 : 4;
    if (ts.start_addr.size() != addr_size || ts.end_addr.size() != addr_size)
        throw std::invalid_argument("traffic selector address size does not match its type");
    w.u8(static_cast<uint8_t>(ts.type));
    w.u8(ts.ip_protocol);
    w.u16(static_cast<uint16_t>(8 + 2 * addr_size));
    w.u16(ts.start_port);
    w.u16(ts.end_port);
    w.bytes(ts.start_addr);
    w.bytes(ts.end_addr);
}

void put_body(ByteWriter& w, const PayloadBody& body) {
    std::visit(
        [&w](const auto& b) {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, SaPayload>) {
                put_sa(w, b);
            } else if constexpr (std::is_same_v<T, KePayload>) {
                w.u16(b.group);
                w.u16(0);
                w.bytes(b.data);
            } else if constexpr (std::is_same_v<T, IdPayload>) {
                w.bytes(b.raw_body());
            } else if constexpr (std::is_same_v<T, CertPayload>) {
                w.u8(b.encoding);
                w.bytes(b.data);
            } else if constexpr (std::is_same_v<T, CertReqPayload>) {
                w.u8(b.encoding);
                w.bytes(b.authorities);
            } else if constexpr (std::is_same_v<T, AuthPayload>) {
                w.u8(static_cast<uint8_t>(b.method));
                w.zeros(3);
                w.bytes(b.data);
            } else if constexpr (std::is_same_v<T, NotifyPayload>) {
                w.u8(b.protocol);
                w.u8(checked<uint8_t>(b.spi.size(), "notify SPI"));
                w.u16(b.type);
                w.bytes(b.spi);
                w.bytes(b.data);
            } else if constexpr (std::is_same_v<T, DeletePayload>) {
                w.u8(b.protocol);
                w.u8(b.spi_size);
                w.u16(checked<uint16_t>(b.spis.size(), "delete SPI count"));
                for (const auto& spi : b.spis) {
                    if (spi.size() != b.spi_size) throw std::invalid_argument("delete SPI size mismatch");
                    w.bytes(spi);
                }
            } else if constexpr (std::is_same_v<T, TsPayload>) {
                w.u8(checked<uint8_t>(b.selectors.size(), "traffic selector count"));
                w.zeros(3);
                for (const auto& ts : b.selectors) put_selector(w, ts);
            } else if constexpr (std::is_same_v<T, CpPayload>) {
                w.u8(static_cast<uint8_t>(b.cfg_type));
                w.zeros(3);
                for (const auto& a : b.attributes) {
                    w.u16(a.type & 0x7fff);
                    w.u16(checked<uint16_t>(a.value.size(), "CP attribute"));
                    w.bytes(a.value);
                }
            } else if constexpr (std::is_same_v<T, SkfPayload>) {
                w.u16(b.fragment_number);
                w.u16(b.total_fragments);
                w.bytes(b.data);
            } else if constexpr (std::is_same_v<T, CiscoFragmentPayload>) {
                w.u16(b.fragment_id);
                w.u8(b.number);
                w.u8(b.last ? kCiscoFragmentLastFlag : 0);
                w.bytes(b.data);
            } else {
                // NoncePayload, VendorIdPayload, EapPayload, SkPayload, UnknownPayload: opaque data
                w.bytes(b.data);
            }
        },
        body);
}

// What the generic header's next-payload field carries for payload p.
PayloadType next_field(const Payload& p, PayloadType following) {
    if (const auto* sk = std::get_if<SkPayload>(&p.body)) return sk->inner_first;
    if (const auto* skf = std::get_if<SkfPayload>(&p.body)) return skf->inner_first;
    if (std::holds_alternative<CiscoFragmentPayload>(p.body)) return PayloadType::None;
    return following;
}

}  // namespace

Bytes IdPayload::raw_body() const {
    Bytes out;
    out.reserve(4 + data.size());
    out.push_back(static_cast<uint8_t>(type));
    out.insert(out.end(), reserved.begin(), reserved.end());
    append(out, data);
    return out;
}

Bytes encode_body(const PayloadBody& body) {
    Bytes out;
    ByteWriter w(out);
    put_body(w, body);
    return out;
}

Bytes encode_generic_header(PayloadType next, bool critical, uint16_t length) {
    Bytes out;
    ByteWriter w(out);
    w.u8(static_cast<uint8_t>(next));
    w.u8(critical ? kCriticalBit : 0);
    w.u16(length);
    return out;
}

Bytes encode_payloads(const std::vector<Payload>& payloads) {
    Bytes out;
    ByteWriter w(out);
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        const Payload& p = payloads[i];
        const PayloadType following = i + 1 < payloads.size() ? payloads[i + 1].type : PayloadType::None;
        const std::size_t start = w.position();
        w.u8(static_cast<uint8_t>(next_field(p, following)));
        w.u8(p.critical ? kCriticalBit : 0);
        w.u16(0);  // length, patched below
        put_body(w, p.body);
        w.patch_u16(start + 2, checked<uint16_t>(w.position() - start, "payload"));
    }
    return out;
}

Bytes encode_header(const Header& h, PayloadType next, uint32_t total_length) {
    Bytes out;
    out.reserve(kHeaderSize);
    ByteWriter w(out);
    w.u64(h.spi_i);
    w.u64(h.spi_r);
    w.u8(static_cast<uint8_t>(next));
    w.u8(h.version);
    w.u8(static_cast<uint8_t>(h.exchange));
    w.u8(h.flags);
    w.u32(h.message_id);
    w.u32(total_length);
    return out;
}

Bytes encode_message(const Message& m) {
    const Bytes body = encode_payloads(m.payloads);
    const PayloadType first = m.payloads.empty() ? PayloadType::None : m.payloads.front().type;
    Bytes out = encode_header(m.header, first, checked<uint32_t>(kHeaderSize + body.size(), "message"));
    append(out, body);
    return out;
}

}  // namespace ikev2d::wire
