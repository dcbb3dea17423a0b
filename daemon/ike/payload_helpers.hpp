// Small helpers for building and searching payload lists in the exchange handlers.
#pragma once

#include <vector>

#include "wire/payloads.hpp"

namespace ikev2d::ike {

template <class T>
const T* find_payload(const std::vector<wire::Payload>& payloads, iana::PayloadType type) {
    for (const auto& p : payloads)
        if (p.type == type)
            if (const T* body = std::get_if<T>(&p.body)) return body;
    return nullptr;
}

template <class T>
std::vector<const T*> find_all_payloads(const std::vector<wire::Payload>& payloads, iana::PayloadType type) {
    std::vector<const T*> out;
    for (const auto& p : payloads)
        if (p.type == type)
            if (const T* body = std::get_if<T>(&p.body)) out.push_back(body);
    return out;
}

inline const wire::NotifyPayload* find_notify(const std::vector<wire::Payload>& payloads, iana::NotifyType type) {
    for (const auto* n : find_all_payloads<wire::NotifyPayload>(payloads, iana::PayloadType::Notify))
        if (n->type == static_cast<std::uint16_t>(type)) return n;
    return nullptr;
}

inline wire::Payload notify_payload(iana::NotifyType type, Bytes data = {}) {
    wire::NotifyPayload n;
    n.type = static_cast<std::uint16_t>(type);
    n.data = std::move(data);
    return wire::Payload{iana::PayloadType::Notify, false, std::move(n)};
}

inline wire::Transform make_transform(iana::TransformType type, std::uint16_t id,
                                     std::optional<std::uint16_t> key_length = std::nullopt) {
    wire::Transform t;
    t.type = type;
    t.id = id;
    t.key_length = key_length;
    return t;
}

inline Bytes u16_bytes(std::uint16_t v) { return Bytes{static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)}; }

inline Bytes u32_bytes(std::uint32_t v) {
    return Bytes{static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
                 static_cast<std::uint8_t>(v)};
}

}  // namespace ikev2d::ike
