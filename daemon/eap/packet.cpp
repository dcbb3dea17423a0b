#include "eap/packet.hpp"

#include <limits>
#include <stdexcept>

namespace ikev2d::eap {
namespace {

std::uint32_t read_be(ByteView v) {
    std::uint32_t out = 0;
    for (std::uint8_t b : v) out = (out << 8) | b;
    return out;
}

void put_be(Bytes& out, std::uint32_t value, int octets) {
    for (int shift = (octets - 1) * 8; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}

}  // namespace

Result<EapPacket, std::string> EapPacket::parse(ByteView wire) {
    if (wire.size() < kEapHeaderSize)
        return unexpected("EAP packet of " + std::to_string(wire.size()) + " bytes is shorter than the 4-byte header");
    const std::uint8_t code = wire[0];
    if (code < 1 || code > 4) return unexpected("unknown EAP code " + std::to_string(code));
    const std::size_t declared = (std::size_t{wire[2]} << 8) | wire[3];
    if (declared != wire.size())
        return unexpected("EAP Length field says " + std::to_string(declared) + " bytes but the packet has " +
                          std::to_string(wire.size()));

    EapPacket packet;
    packet.code = static_cast<iana::EapCode>(code);
    packet.identifier = wire[1];
    const bool has_type = packet.code == iana::EapCode::Request || packet.code == iana::EapCode::Response;
    if (!has_type) {
        // RFC 3748 4.2: Success and Failure carry no data.
        if (declared != kEapHeaderSize)
            return unexpected("EAP " + code_name(packet.code) + " with " + std::to_string(declared - kEapHeaderSize) +
                              " bytes of data");
        return packet;
    }
    if (declared < kEapHeaderSize + 1) return unexpected("EAP " + code_name(packet.code) + " without a Type field");
    packet.type = static_cast<iana::EapType>(wire[4]);
    packet.type_data.assign(wire.begin() + 5, wire.end());
    if (*packet.type == iana::EapType::Expanded && packet.type_data.size() < kExpandedHeaderSize)
        return unexpected("expanded EAP type with " + std::to_string(packet.type_data.size()) +
                          " bytes, shorter than Vendor-Id + Vendor-Type");
    return packet;
}

Bytes EapPacket::encode() const {
    const bool has_type = code == iana::EapCode::Request || code == iana::EapCode::Response;
    const std::size_t length = kEapHeaderSize + (has_type ? 1 + type_data.size() : 0);
    if (length > std::numeric_limits<std::uint16_t>::max())
        throw std::length_error("EAP packet of " + std::to_string(length) + " bytes exceeds the 16-bit Length");
    Bytes out;
    out.reserve(length);
    out.push_back(static_cast<std::uint8_t>(code));
    out.push_back(identifier);
    put_be(out, static_cast<std::uint32_t>(length), 2);
    if (has_type) {
        out.push_back(static_cast<std::uint8_t>(type.value_or(iana::EapType::Identity)));
        append(out, type_data);
    }
    return out;
}

std::optional<std::uint32_t> EapPacket::expanded_vendor_id() const {
    if (type != iana::EapType::Expanded || type_data.size() < kExpandedHeaderSize) return std::nullopt;
    return read_be(ByteView(type_data).first(3));
}

std::optional<std::uint32_t> EapPacket::expanded_vendor_type() const {
    if (type != iana::EapType::Expanded || type_data.size() < kExpandedHeaderSize) return std::nullopt;
    return read_be(ByteView(type_data).subspan(3, 4));
}

ByteView EapPacket::expanded_data() const {
    if (type != iana::EapType::Expanded || type_data.size() < kExpandedHeaderSize) return {};
    return ByteView(type_data).subspan(kExpandedHeaderSize);
}

Bytes make_request(std::uint8_t identifier, iana::EapType type, ByteView type_data) {
    EapPacket p{iana::EapCode::Request, identifier, type, Bytes(type_data.begin(), type_data.end())};
    return p.encode();
}

Bytes make_expanded_request(std::uint8_t identifier, std::uint32_t vendor_id, std::uint32_t vendor_type,
                            ByteView data) {
    Bytes type_data;
    type_data.reserve(kExpandedHeaderSize + data.size());
    put_be(type_data, vendor_id & 0xffffff, 3);
    put_be(type_data, vendor_type, 4);
    append(type_data, data);
    return make_request(identifier, iana::EapType::Expanded, type_data);
}

Bytes make_success(std::uint8_t identifier) {
    return EapPacket{iana::EapCode::Success, identifier, std::nullopt, {}}.encode();
}

Bytes make_failure(std::uint8_t identifier) {
    return EapPacket{iana::EapCode::Failure, identifier, std::nullopt, {}}.encode();
}

std::string code_name(iana::EapCode code) {
    switch (code) {
        case iana::EapCode::Request: return "Request";
        case iana::EapCode::Response: return "Response";
        case iana::EapCode::Success: return "Success";
        case iana::EapCode::Failure: return "Failure";
    }
    return "UNKNOWN(" + std::to_string(static_cast<int>(code)) + ")";
}

std::string type_name(iana::EapType type) {
    switch (type) {
        case iana::EapType::Identity: return "Identity";
        case iana::EapType::Notification: return "Notification";
        case iana::EapType::Nak: return "Nak";
        case iana::EapType::MD5: return "MD5";
        case iana::EapType::GTC: return "GTC";
        case iana::EapType::TLS: return "TLS";
        case iana::EapType::MSCHAPV2: return "MSCHAPV2";
        case iana::EapType::Expanded: return "Expanded";
    }
    return "UNKNOWN(" + std::to_string(static_cast<int>(type)) + ")";
}

}  // namespace ikev2d::eap
