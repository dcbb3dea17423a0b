// The IKEv2 payload bodies (RFC 7296 section 3, RFC 7383 SKF, Cisco fragment payload)
// as plain values. The parser fills them from untrusted bytes after checking every
// length; the builder turns them back into bytes. Nothing here knows about crypto:
// SK/SKF/Cisco fragment contents stay opaque.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "util/bytes.hpp"
#include "util/iana.hpp"

namespace ikev2d::wire {

using iana::ExchangeType;
using iana::PayloadType;

// RFC 7296 3.3.2. Only the key length attribute (type 14, TV format) is defined; any
// other attribute makes the transform unusable (3.3.6) but is no syntax error, so it
// is flagged and its raw bytes kept, so that re-encoding reproduces the input.
struct Transform {
    iana::TransformType type{};
    uint16_t id = 0;
    std::optional<uint16_t> key_length;  // attribute 14
    bool has_unknown_attribute = false;
    Bytes unknown_attributes;            // raw attribute bytes other than the key length
    bool operator==(const Transform&) const = default;
};

struct Proposal {
    uint8_t number = 1;
    iana::ProtocolId protocol{};
    Bytes spi;  // empty (IKE_SA_INIT), 8 bytes (IKE rekey) or 4 bytes (AH/ESP)
    std::vector<Transform> transforms;
    bool operator==(const Proposal&) const = default;
};

struct SaPayload {
    std::vector<Proposal> proposals;
    bool operator==(const SaPayload&) const = default;
};

struct KePayload {
    uint16_t group = 0;
    Bytes data;
    bool operator==(const KePayload&) const = default;
};

struct IdPayload {
    iana::IdType type{};
    Bytes data;
    // Reserved octets as received: AUTH signs the payload body exactly as sent
    // (RFC 7296 2.15), so they are kept rather than assumed zero.
    std::array<uint8_t, 3> reserved{};
    // type | reserved(3) | data: the bytes AUTH signs over (RestOfInitIDPayload).
    Bytes raw_body() const;
    bool operator==(const IdPayload&) const = default;
};

struct CertPayload {
    uint8_t encoding = 0;
    Bytes data;
    bool operator==(const CertPayload&) const = default;
};

struct CertReqPayload {
    uint8_t encoding = 0;
    Bytes authorities;  // concatenated 20-byte SHA-1 hashes of the CA public keys
    bool operator==(const CertReqPayload&) const = default;
};

struct AuthPayload {
    iana::AuthMethod method{};
    Bytes data;
    bool operator==(const AuthPayload&) const = default;
};

struct NoncePayload {
    Bytes data;  // 16..256 bytes (RFC 7296 3.9)
    bool operator==(const NoncePayload&) const = default;
};

struct NotifyPayload {
    uint8_t protocol = 0;
    Bytes spi;
    uint16_t type = 0;
    Bytes data;
    bool operator==(const NotifyPayload&) const = default;
};

struct DeletePayload {
    uint8_t protocol = 0;
    uint8_t spi_size = 0;
    std::vector<Bytes> spis;
    bool operator==(const DeletePayload&) const = default;
};

struct VendorIdPayload {
    Bytes data;
    bool operator==(const VendorIdPayload&) const = default;
};

struct TrafficSelector {
    iana::TsType type{};
    uint8_t ip_protocol = 0;
    uint16_t start_port = 0, end_port = 0;
    Bytes start_addr, end_addr;  // 4 bytes (IPV4_ADDR_RANGE) or 16 bytes (IPV6_ADDR_RANGE)
    bool operator==(const TrafficSelector&) const = default;
};

struct TsPayload {
    std::vector<TrafficSelector> selectors;
    bool operator==(const TsPayload&) const = default;
};

struct CpAttribute {
    uint16_t type = 0;  // 15 bits; the top bit is reserved
    Bytes value;
    bool operator==(const CpAttribute&) const = default;
};

struct CpPayload {
    iana::CfgType cfg_type{};
    std::vector<CpAttribute> attributes;
    bool operator==(const CpPayload&) const = default;
};

struct EapPayload {
    Bytes data;  // the whole EAP packet
    bool operator==(const EapPayload&) const = default;
};

// Encrypted and Authenticated payload: the generic header's next-payload field names
// the first payload inside, so SK always ends the chain.
struct SkPayload {
    PayloadType inner_first = PayloadType::None;
    Bytes data;  // IV | ciphertext | ICV, opaque here
    bool operator==(const SkPayload&) const = default;
};

// RFC 7383 2.5: inner_first is set in fragment 1 only (None in the others).
struct SkfPayload {
    PayloadType inner_first = PayloadType::None;
    uint16_t fragment_number = 1, total_fragments = 1;
    Bytes data;
    bool operator==(const SkfPayload&) const = default;
};

// Cisco fragmentation (shared/protocol/anyconnect-ikev2.md): Fragment ID(2) |
// Fragment Number(1, from 1) | Flags(1, 0x01 = last) | slice of the encrypted message.
struct CiscoFragmentPayload {
    uint16_t fragment_id = 0;
    uint8_t number = 1;
    bool last = false;
    Bytes data;
    bool operator==(const CiscoFragmentPayload&) const = default;
};
inline constexpr uint8_t kCiscoFragmentLastFlag = 0x01;

// A payload type this codec does not know, sent without the critical bit: kept whole so
// that re-encoding is byte-identical.
struct UnknownPayload {
    Bytes data;
    bool operator==(const UnknownPayload&) const = default;
};

using PayloadBody = std::variant<SaPayload, KePayload, IdPayload, CertPayload, CertReqPayload, AuthPayload,
                                 NoncePayload, NotifyPayload, DeletePayload, VendorIdPayload, TsPayload, CpPayload,
                                 EapPayload, SkPayload, SkfPayload, CiscoFragmentPayload, UnknownPayload>;

struct Payload {
    PayloadType type = PayloadType::None;
    bool critical = false;
    PayloadBody body;
    bool operator==(const Payload&) const = default;
};

}  // namespace ikev2d::wire
