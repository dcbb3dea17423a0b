// The notification data of RFC 5685 (IKEv2 redirect): REDIRECT (16407) and
// REDIRECTED_FROM (16408).
//
//   GW Ident Type (1) | GW Ident Len (1) | New Responder GW Identity | Nonce Data
//
// GW Ident Type: 1 IPv4 address (4 bytes), 2 IPv6 address (16 bytes), 3 FQDN. Nonce Data
// is the initiator's Ni, present only in a REDIRECT answering IKE_SA_INIT (RFC 5685 8.1);
// REDIRECTED_FROM and the REDIRECT of IKE_AUTH and INFORMATIONAL carry none.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.hpp"

namespace ikev2d::wire {

enum class GatewayIdType : std::uint8_t { IPv4 = 1, IPv6 = 2, Fqdn = 3 };

struct GatewayIdentity {
    GatewayIdType type = GatewayIdType::IPv4;
    Bytes value;  // 4 or 16 address bytes, or the name's octets

    // "192.0.2.1", "2001:db8::1" or a host name (letters, digits, '-' and '.', labels of
    // 1-63 characters, at most 253 in all); nullopt for anything else.
    static std::optional<GatewayIdentity> parse(std::string_view text);
    // The address in its usual form, or the name's octets as they are (may be any bytes
    // when it came from a peer: print with util/printable).
    std::string to_string() const;
    bool operator==(const GatewayIdentity&) const = default;
};

struct RedirectData {
    GatewayIdentity gateway;
    Bytes nonce;  // empty: none
    bool operator==(const RedirectData&) const = default;
};

Bytes encode_redirect_data(const RedirectData& data);
// nullopt when malformed: shorter than its header, an unknown type, an identity length
// that does not fit the type (4, 16, 1-255) or runs past the end.
std::optional<RedirectData> decode_redirect_data(ByteView data);

}  // namespace ikev2d::wire
