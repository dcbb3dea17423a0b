// EAP packet codec (RFC 3748 section 4): Code | Identifier | Length | [Type | Type-Data].
// Strict: the declared Length must match the buffer exactly (IKEv2 carries one EAP
// packet per EAP payload, so trailing bytes mean a broken or hostile peer).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "util/bytes.hpp"
#include "util/iana.hpp"
#include "util/result.hpp"

namespace ikev2d::eap {

inline constexpr std::size_t kEapHeaderSize = 4;       // Code, Identifier, Length
inline constexpr std::size_t kExpandedHeaderSize = 7;  // Vendor-Id (3) + Vendor-Type (4)

struct EapPacket {
    iana::EapCode code{iana::EapCode::Request};
    std::uint8_t identifier{0};
    // Present for Request/Response, absent for Success/Failure.
    std::optional<iana::EapType> type;
    // For the expanded type (254) the first 7 bytes are Vendor-Id and Vendor-Type;
    // see expanded_vendor_id()/expanded_vendor_type()/expanded_data().
    Bytes type_data;

    static Result<EapPacket, std::string> parse(ByteView wire);
    Bytes encode() const;

    // Expanded type (RFC 3748 5.7) helpers; nullopt/empty when not expanded or too short.
    std::optional<std::uint32_t> expanded_vendor_id() const;
    std::optional<std::uint32_t> expanded_vendor_type() const;
    ByteView expanded_data() const;
};

// Builders for the packets the server sends.
Bytes make_request(std::uint8_t identifier, iana::EapType type, ByteView type_data);
Bytes make_expanded_request(std::uint8_t identifier, std::uint32_t vendor_id, std::uint32_t vendor_type,
                            ByteView data);
Bytes make_success(std::uint8_t identifier);
Bytes make_failure(std::uint8_t identifier);

// "Request", "Response", ... and "MSCHAPV2", "MD5", ... for logs.
std::string code_name(iana::EapCode code);
std::string type_name(iana::EapType type);

}  // namespace ikev2d::eap
