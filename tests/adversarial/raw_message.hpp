// Hand-made IKE messages for the prober: every field may lie (Next Payload, lengths,
// header length), unlike tests/peer's well-formed encoder.
#pragma once

#include <optional>
#include <vector>

#include "codec.hpp"
#include "initiator.hpp"

namespace adversarial {

using peer::Bytes;

struct RawPayload {
    std::uint8_t type = 0;
    std::uint8_t flags = 0;
    Bytes body;
    std::optional<std::uint8_t> next;     // else: the following payload's type (SK/SKF: inner_first)
    std::optional<std::uint16_t> length;  // else: 4 + body size
    std::uint8_t inner_first = 0;
};

struct RawMessage {
    peer::Header header;                  // next and length are filled in unless overridden
    std::optional<std::uint8_t> next;
    std::optional<std::uint32_t> length;
    std::vector<RawPayload> payloads;
    Bytes trailing;                       // bytes after the chain (counted in the length)

    Bytes encode() const;
    // Index of the first payload of a type (payloads.size() when none).
    std::size_t index_of(std::uint8_t type) const;
};

// A well-formed IKE_SA_INIT request of `initiator` as a RawMessage.
RawMessage init_message(peer::Initiator& initiator);
RawPayload raw(std::uint8_t type, Bytes body, std::uint8_t flags = 0);
// Transforms of the IKE proposal the gateway under test accepts (AES-GCM-256, SHA-256, groups).
std::vector<peer::Transform> good_ike_transforms(std::vector<std::uint16_t> groups = {31});

}  // namespace adversarial
