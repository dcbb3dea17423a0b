// One decoder per payload body, each following the RFC 7296 section 3 diagram of its
// payload. Each checks the fixed part's size first, then every declared length or count
// against the bytes that are really there.
#include "wire/body_decoder.hpp"

#include <algorithm>

#include "wire/byte_reader.hpp"
#include "wire/message.hpp"

namespace ikev2d::wire::detail {
namespace {

using Code = ParseErrorCode;
using iana::ProtocolId;
using iana::TsType;

constexpr uint8_t kMoreProposals = 2, kMoreTransforms = 3, kLastSubstructure = 0;
constexpr uint16_t kAttrFormatTv = 0x8000;
constexpr std::size_t kProposalHeaderSize = 8, kTransformHeaderSize = 8;
constexpr std::size_t kMinNonce = 16, kMaxNonce = 256;  // RFC 7296 3.9

using BodyResult = Result<PayloadBody, ParseError>;

// Minimum body sizes (after the generic header): the fixed fields of each payload.
std::size_t minimum_body(PayloadType type) {
    switch (type) {
    case PayloadType::SA: return kProposalHeaderSize;
    case PayloadType::KE: return 4;        // group, reserved
    case PayloadType::IDi:
    case PayloadType::IDr: return 4;       // type, reserved(3)
    case PayloadType::CERT:
    case PayloadType::CERTREQ: return 1;   // encoding
    case PayloadType::AUTH: return 4;      // method, reserved(3)
    case PayloadType::Notify: return 4;    // protocol, SPI size, type
    case PayloadType::Delete: return 4;    // protocol, SPI size, number of SPIs
    case PayloadType::TSi:
    case PayloadType::TSr: return 4;       // number of TSs, reserved(3)
    case PayloadType::CP: return 4;        // cfg type, reserved(3)
    case PayloadType::EAP: return 4;       // code, identifier, length
    case PayloadType::SKF: return 4;       // fragment number, total fragments
    case PayloadType::CiscoFragment: return 4;  // fragment id, number, flags
    default: return 0;
    }
}

// Transform attributes (RFC 7296 3.3.5): TV (AF=1, 2-byte value) or TLV (AF=0, length).
// Only the key length is known; others are kept raw and flagged.
Result<bool, ParseError> decode_attributes(ByteReader& r, Transform& t) {
    while (!r.empty()) {
        const std::size_t at = r.offset();
        uint16_t type_field = 0, value = 0;
        if (!r.u16(type_field) || !r.u16(value))
            return fail(Code::BadAttribute, at, PayloadType::SA, "transform attribute header truncated");
        const bool tv = (type_field & kAttrFormatTv) != 0;
        const uint16_t attr_type = type_field & ~kAttrFormatTv;
        if (attr_type == iana::kAttrKeyLength) {
            if (!tv) return fail(Code::BadAttribute, at, PayloadType::SA, "key length attribute not in TV format");
            if (t.key_length) return fail(Code::BadAttribute, at, PayloadType::SA, "key length attribute repeated");
            t.key_length = value;
            continue;
        }
        t.has_unknown_attribute = true;
        const uint8_t head[4] = {static_cast<uint8_t>(type_field >> 8), static_cast<uint8_t>(type_field),
                                 static_cast<uint8_t>(value >> 8), static_cast<uint8_t>(value)};
        t.unknown_attributes.insert(t.unknown_attributes.end(), head, head + 4);
        if (!tv) {
            ByteView attr_value;
            if (!r.view(value, attr_value))
                return fail(Code::BadAttribute, at, PayloadType::SA,
                            "attribute length " + std::to_string(value) + " exceeds the transform");
            append(t.unknown_attributes, attr_value);
        }
    }
    return true;
}

Result<Transform, ParseError> decode_transform(ByteReader& r, bool expect_last) {
    const std::size_t at = r.offset();
    uint8_t last = 0, reserved = 0, type = 0, reserved2 = 0;
    uint16_t length = 0, id = 0;
    if (!r.u8(last) || !r.u8(reserved) || !r.u16(length) || !r.u8(type) || !r.u8(reserved2) || !r.u16(id))
        return fail(Code::CountMismatch, at, PayloadType::SA, "fewer transforms than the proposal declares");
    if (last != kLastSubstructure && last != kMoreTransforms)
        return fail(Code::BadTransform, at, PayloadType::SA, "last-substructure value " + std::to_string(last));
    if ((last == kLastSubstructure) != expect_last)
        return fail(Code::CountMismatch, at, PayloadType::SA, "transform count disagrees with last-substructure flags");
    if (length < kTransformHeaderSize)
        return fail(Code::BadTransform, at, PayloadType::SA, "transform length " + std::to_string(length));
    ByteView attrs;
    if (!r.view(length - kTransformHeaderSize, attrs))
        return fail(Code::BadTransform, at, PayloadType::SA,
                    "transform length " + std::to_string(length) + " exceeds the proposal");
    Transform t;
    t.type = static_cast<iana::TransformType>(type);
    t.id = id;
    ByteReader attr_reader(attrs, at + kTransformHeaderSize);
    if (auto ok = decode_attributes(attr_reader, t); !ok) return unexpected(ok.error());
    return t;
}

// SPI sizes that RFC 7296 3.3.1 allows per protocol; other protocols are left to the
// protocol layer (they are not negotiable anyway).
bool spi_size_fits(ProtocolId protocol, uint8_t size) {
    switch (protocol) {
    case ProtocolId::IKE: return size == 0 || size == 8;
    case ProtocolId::AH:
    case ProtocolId::ESP: return size == 4;
    }
    return true;
}

Result<Proposal, ParseError> decode_proposal(ByteReader& r, int expected_number, bool& more) {
    const std::size_t at = r.offset();
    uint8_t last = 0, reserved = 0, number = 0, protocol = 0, spi_size = 0, transform_count = 0;
    uint16_t length = 0;
    if (!r.u8(last) || !r.u8(reserved) || !r.u16(length) || !r.u8(number) || !r.u8(protocol) ||
        !r.u8(spi_size) || !r.u8(transform_count))
        return fail(Code::BadProposal, at, PayloadType::SA, "proposal header truncated");
    if (last != kLastSubstructure && last != kMoreProposals)
        return fail(Code::BadProposal, at, PayloadType::SA, "last-substructure value " + std::to_string(last));
    if (length < kProposalHeaderSize)
        return fail(Code::BadProposal, at, PayloadType::SA, "proposal length " + std::to_string(length));
    ByteView content;
    if (!r.view(length - kProposalHeaderSize, content))
        return fail(Code::BadProposal, at, PayloadType::SA,
                    "proposal length " + std::to_string(length) + " exceeds the SA payload");
    if (number != expected_number)
        return fail(Code::ProposalNumbering, at, PayloadType::SA,
                    "proposal number " + std::to_string(number) + ", expected " + std::to_string(expected_number));
    Proposal p;
    p.number = number;
    p.protocol = static_cast<ProtocolId>(protocol);
    if (!spi_size_fits(p.protocol, spi_size))
        return fail(Code::SpiSizeMismatch, at, PayloadType::SA,
                    "SPI size " + std::to_string(spi_size) + " for protocol " + std::to_string(protocol));
    ByteReader inner(content, at + kProposalHeaderSize);
    if (!inner.bytes(spi_size, p.spi))
        return fail(Code::SpiSizeMismatch, at, PayloadType::SA, "SPI size exceeds the proposal");
    if (transform_count == 0) return fail(Code::BadProposal, at, PayloadType::SA, "proposal without transforms");
    for (int i = 0; i < transform_count; ++i) {
        auto t = decode_transform(inner, i == transform_count - 1);
        if (!t) return unexpected(t.error());
        p.transforms.push_back(std::move(t).value());
    }
    if (!inner.empty())
        return fail(Code::CountMismatch, inner.offset(), PayloadType::SA,
                    "more transform data than the " + std::to_string(transform_count) + " declared");
    more = last == kMoreProposals;
    return p;
}

BodyResult decode_sa(ByteView body, std::size_t base) {
    ByteReader r(body, base);
    SaPayload sa;
    bool more = true;
    // RFC 7296 3.3.1: the first proposal is 1, each next one is one more.
    for (int number = 1; more; ++number) {
        if (r.empty()) return fail(Code::BadProposal, r.offset(), PayloadType::SA, "more proposals announced, none found");
        auto p = decode_proposal(r, number, more);
        if (!p) return unexpected(p.error());
        sa.proposals.push_back(std::move(p).value());
    }
    if (!r.empty()) return fail(Code::BadProposal, r.offset(), PayloadType::SA, "data after the last proposal");
    return PayloadBody{std::move(sa)};
}

BodyResult decode_ke(ByteReader& r) {
    KePayload ke;
    uint16_t reserved = 0;
    (void)(r.u16(ke.group) && r.u16(reserved));  // sizes checked by minimum_body
    ke.data = r.rest();
    return PayloadBody{std::move(ke)};
}

BodyResult decode_id(ByteReader& r) {
    IdPayload id;
    uint8_t type = 0;
    (void)(r.u8(type) && r.u8(id.reserved[0]) && r.u8(id.reserved[1]) && r.u8(id.reserved[2]));
    id.type = static_cast<iana::IdType>(type);
    id.data = r.rest();
    return PayloadBody{std::move(id)};
}

BodyResult decode_auth(ByteReader& r) {
    AuthPayload auth;
    uint8_t method = 0;
    ByteView reserved;
    (void)(r.u8(method) && r.view(3, reserved));
    auth.method = static_cast<iana::AuthMethod>(method);
    auth.data = r.rest();
    return PayloadBody{std::move(auth)};
}

BodyResult decode_notify(ByteReader& r, std::size_t base) {
    NotifyPayload n;
    uint8_t spi_size = 0;
    (void)(r.u8(n.protocol) && r.u8(spi_size) && r.u16(n.type));
    if (!r.bytes(spi_size, n.spi))
        return fail(Code::SpiSizeMismatch, base + 1, PayloadType::Notify,
                    "SPI size " + std::to_string(spi_size) + " exceeds the payload");
    n.data = r.rest();
    return PayloadBody{std::move(n)};
}

BodyResult decode_delete(ByteReader& r, std::size_t base) {
    DeletePayload d;
    uint16_t count = 0;
    (void)(r.u8(d.protocol) && r.u8(d.spi_size) && r.u16(count));
    // RFC 7296 3.11: IKE SA deletes carry no SPI; AH/ESP SPIs are 4 bytes.
    const auto protocol = static_cast<ProtocolId>(d.protocol);
    if ((protocol == ProtocolId::IKE && d.spi_size != 0) ||
        ((protocol == ProtocolId::AH || protocol == ProtocolId::ESP) && d.spi_size != 4))
        return fail(Code::SpiSizeMismatch, base + 1, PayloadType::Delete,
                    "SPI size " + std::to_string(d.spi_size) + " for protocol " + std::to_string(d.protocol));
    if (protocol == ProtocolId::IKE && count != 0)
        return fail(Code::CountMismatch, base + 2, PayloadType::Delete, "IKE SA delete with SPIs");
    if (r.remaining() != std::size_t{count} * d.spi_size)
        return fail(Code::CountMismatch, base + 2, PayloadType::Delete,
                    std::to_string(count) + " SPIs of " + std::to_string(d.spi_size) + " bytes, " +
                        std::to_string(r.remaining()) + " bytes present");
    for (uint16_t i = 0; i < count; ++i) {
        Bytes spi;
        (void)r.bytes(d.spi_size, spi);  // total checked above
        d.spis.push_back(std::move(spi));
    }
    return PayloadBody{std::move(d)};
}

Result<TrafficSelector, ParseError> decode_selector(ByteReader& r) {
    const std::size_t at = r.offset();
    uint8_t type = 0;
    uint16_t length = 0;
    TrafficSelector ts;
    if (!r.u8(type) || !r.u8(ts.ip_protocol) || !r.u16(length))
        return fail(Code::CountMismatch, at, PayloadType::TSi, "fewer selectors than declared");
    ts.type = static_cast<TsType>(type);
    std::size_t addr_size = 0;
    if (ts.type == TsType::IPV4_ADDR_RANGE) addr_size = 4;
    else if (ts.type == TsType::IPV6_ADDR_RANGE) addr_size = 16;
    else return fail(Code::BadTrafficSelector, at, PayloadType::TSi, "unknown TS type " + std::to_string(type));
    if (length != 8 + 2 * addr_size)
        return fail(Code::BadTrafficSelector, at, PayloadType::TSi,
                    "TS length " + std::to_string(length) + " for type " + std::to_string(type));
    if (!r.u16(ts.start_port) || !r.u16(ts.end_port) || !r.bytes(addr_size, ts.start_addr) ||
        !r.bytes(addr_size, ts.end_addr))
        return fail(Code::BadTrafficSelector, at, PayloadType::TSi, "selector runs past the payload");
    // Start port > end port is legal (OPAQUE ports, RFC 7296 3.13.1); addresses are not.
    if (ts.start_addr > ts.end_addr)
        return fail(Code::BadTrafficSelector, at, PayloadType::TSi, "start address above end address");
    return ts;
}

BodyResult decode_ts(ByteReader& r, PayloadType type) {
    TsPayload tsp;
    uint8_t count = 0;
    ByteView reserved;
    (void)(r.u8(count) && r.view(3, reserved));
    for (int i = 0; i < count; ++i) {
        auto ts = decode_selector(r);
        if (!ts) {
            ParseError e = ts.error();
            e.payload = type;
            return unexpected(std::move(e));
        }
        tsp.selectors.push_back(std::move(ts).value());
    }
    if (!r.empty())
        return fail(Code::CountMismatch, r.offset(), type, "more selector data than the " + std::to_string(count) + " declared");
    return PayloadBody{std::move(tsp)};
}

BodyResult decode_cp(ByteReader& r) {
    CpPayload cp;
    uint8_t cfg_type = 0;
    ByteView reserved;
    (void)(r.u8(cfg_type) && r.view(3, reserved));
    cp.cfg_type = static_cast<iana::CfgType>(cfg_type);
    while (!r.empty()) {
        const std::size_t at = r.offset();
        uint16_t type = 0, length = 0;
        if (!r.u16(type) || !r.u16(length))
            return fail(Code::BadAttribute, at, PayloadType::CP, "attribute header truncated");
        CpAttribute attr;
        attr.type = type & 0x7fff;  // top bit reserved (RFC 7296 3.15.1)
        if (!r.bytes(length, attr.value))
            return fail(Code::BadAttribute, at, PayloadType::CP,
                        "attribute length " + std::to_string(length) + " exceeds the payload");
        cp.attributes.push_back(std::move(attr));
    }
    return PayloadBody{std::move(cp)};
}

BodyResult decode_eap(ByteView body, std::size_t base) {
    // The EAP length (RFC 3748 4) covers the whole packet and must match the payload.
    const std::size_t eap_length = std::size_t{body[2]} << 8 | body[3];
    if (eap_length != body.size())
        return fail(Code::BadEapLength, base + 2, PayloadType::EAP,
                    "EAP length " + std::to_string(eap_length) + ", payload body " + std::to_string(body.size()));
    return PayloadBody{EapPayload{Bytes(body.begin(), body.end())}};
}

BodyResult decode_skf(ByteReader& r, PayloadType next, std::size_t base) {
    SkfPayload f;
    f.inner_first = next;
    (void)(r.u16(f.fragment_number) && r.u16(f.total_fragments));
    // RFC 7383 2.5: numbering starts at 1 and never exceeds the total.
    if (f.fragment_number == 0 || f.fragment_number > f.total_fragments)
        return fail(Code::BadFragment, base, PayloadType::SKF,
                    "fragment " + std::to_string(f.fragment_number) + " of " + std::to_string(f.total_fragments));
    f.data = r.rest();
    return PayloadBody{std::move(f)};
}

BodyResult decode_cisco_fragment(ByteReader& r, PayloadType next, std::size_t base) {
    CiscoFragmentPayload f;
    uint8_t flags = 0;
    (void)(r.u16(f.fragment_id) && r.u8(f.number) && r.u8(flags));
    if (next != PayloadType::None)
        return fail(Code::BadFragment, base - kGenericHeaderSize, PayloadType::CiscoFragment,
                    "next payload must be none");
    if (f.number == 0) return fail(Code::BadFragment, base + 2, PayloadType::CiscoFragment, "fragment number 0");
    f.last = (flags & kCiscoFragmentLastFlag) != 0;
    f.data = r.rest();
    return PayloadBody{std::move(f)};
}

}  // namespace

bool is_known_payload(PayloadType type) {
    switch (type) {
    case PayloadType::SA: case PayloadType::KE: case PayloadType::IDi: case PayloadType::IDr:
    case PayloadType::CERT: case PayloadType::CERTREQ: case PayloadType::AUTH: case PayloadType::Nonce:
    case PayloadType::Notify: case PayloadType::Delete: case PayloadType::VendorID: case PayloadType::TSi:
    case PayloadType::TSr: case PayloadType::SK: case PayloadType::CP: case PayloadType::EAP:
    case PayloadType::SKF: case PayloadType::CiscoFragment: return true;
    case PayloadType::None: return false;
    }
    return false;
}

Result<PayloadBody, ParseError> decode_body(PayloadType type, PayloadType next, ByteView body, std::size_t base) {
    if (body.size() < minimum_body(type))
        return fail(Code::PayloadTooShort, base - kGenericHeaderSize, type,
                    "body of " + std::to_string(body.size()) + " bytes, at least " +
                        std::to_string(minimum_body(type)) + " needed");
    ByteReader r(body, base);
    switch (type) {
    case PayloadType::SA: return decode_sa(body, base);
    case PayloadType::KE: return decode_ke(r);
    case PayloadType::IDi:
    case PayloadType::IDr: return decode_id(r);
    case PayloadType::CERT: {
        CertPayload c;
        (void)r.u8(c.encoding);
        c.data = r.rest();
        return PayloadBody{std::move(c)};
    }
    case PayloadType::CERTREQ: {
        CertReqPayload c;
        (void)r.u8(c.encoding);
        c.authorities = r.rest();
        return PayloadBody{std::move(c)};
    }
    case PayloadType::AUTH: return decode_auth(r);
    case PayloadType::Nonce:
        if (body.size() < kMinNonce || body.size() > kMaxNonce)
            return fail(Code::BadNonceLength, base, type, "nonce of " + std::to_string(body.size()) + " bytes");
        return PayloadBody{NoncePayload{r.rest()}};
    case PayloadType::Notify: return decode_notify(r, base);
    case PayloadType::Delete: return decode_delete(r, base);
    case PayloadType::VendorID: return PayloadBody{VendorIdPayload{r.rest()}};
    case PayloadType::TSi:
    case PayloadType::TSr: return decode_ts(r, type);
    case PayloadType::SK: return PayloadBody{SkPayload{next, r.rest()}};
    case PayloadType::CP: return decode_cp(r);
    case PayloadType::EAP: return decode_eap(body, base);
    case PayloadType::SKF: return decode_skf(r, next, base);
    case PayloadType::CiscoFragment: return decode_cisco_fragment(r, next, base);
    case PayloadType::None: break;
    }
    return PayloadBody{UnknownPayload{r.rest()}};
}

}  // namespace ikev2d::wire::detail
