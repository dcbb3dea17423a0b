// Payload bodies an IKEv2 initiator builds and reads (RFC 7296 3.3-3.15).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bytes.hpp"

namespace peer {

struct Transform {
    std::uint8_t type = 0;
    std::uint16_t id = 0;
    std::optional<std::uint16_t> key_bits;  // Key Length attribute (TV)
    Bytes extra_attributes;                 // appended raw after the key length
};

struct Proposal {
    std::uint8_t number = 1;
    std::uint8_t protocol = 1;  // IKE
    Bytes spi;
    std::vector<Transform> transforms;
};

Bytes encode_transform(const Transform& t, bool last);
Bytes encode_proposal(const Proposal& p, bool last);
Bytes sa_body(const std::vector<Proposal>& proposals);
// nullopt when the SA body is malformed.
std::optional<std::vector<Proposal>> parse_sa(ByteView body);

Bytes ke_body(std::uint16_t group, ByteView public_value);
struct KeBody {
    std::uint16_t group;
    Bytes data;
};
std::optional<KeBody> parse_ke(ByteView body);

Bytes notify_body(std::uint16_t type, ByteView data = {}, std::uint8_t protocol = 0, ByteView spi = {});
struct Notify {
    std::uint8_t protocol = 0;
    Bytes spi;
    std::uint16_t type = 0;
    Bytes data;
};
std::optional<Notify> parse_notify(ByteView body);

Bytes id_body(std::uint8_t id_type, ByteView data);
Bytes auth_body(std::uint8_t method, ByteView data);
// One IPv4 range covering everything, all protocols and ports.
Bytes ts_ipv4_any_body();
// CFG_REQUEST asking for an internal IPv4 address.
Bytes cp_request_ipv4_body();
// The address a CFG_REPLY assigned, as dotted text (empty when none).
std::string cp_reply_ipv4(ByteView body);
Bytes delete_ike_body();

std::string notify_name(std::uint16_t type);

}  // namespace peer
