// An IKEv2 message: the fixed header (RFC 7296 3.1) and the chain of payloads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "wire/payloads.hpp"

namespace ikev2d::wire {

inline constexpr std::size_t kHeaderSize = 28, kGenericHeaderSize = 4;
inline constexpr uint8_t kIkeMajorVersion = 2;

struct Header {
    uint64_t spi_i = 0, spi_r = 0;
    PayloadType next = PayloadType::None;
    uint8_t version = 0x20;  // major 2, minor 0
    ExchangeType exchange{};
    uint8_t flags = 0;
    uint32_t message_id = 0;
    uint32_t length = 0;

    bool is_initiator() const { return (flags & iana::kFlagInitiator) != 0; }
    bool is_response() const { return (flags & iana::kFlagResponse) != 0; }
    uint8_t major_version() const { return version >> 4; }
    bool operator==(const Header&) const = default;
};

struct Message {
    Header header;
    std::vector<Payload> payloads;

    // First payload of type t whose body is a T (nullptr if absent).
    template <class T>
    const T* find(PayloadType t) const {
        for (const auto& p : payloads)
            if (p.type == t)
                if (const T* body = std::get_if<T>(&p.body)) return body;
        return nullptr;
    }
    template <class T>
    std::vector<const T*> find_all(PayloadType t) const {
        std::vector<const T*> out;
        for (const auto& p : payloads)
            if (p.type == t)
                if (const T* body = std::get_if<T>(&p.body)) out.push_back(body);
        return out;
    }
    const NotifyPayload* find_notify(iana::NotifyType t) const {
        for (const auto* n : find_all<NotifyPayload>(PayloadType::Notify))
            if (n->type == static_cast<uint16_t>(t)) return n;
        return nullptr;
    }
    std::vector<const NotifyPayload*> find_notifies(iana::NotifyType t) const {
        std::vector<const NotifyPayload*> out;
        for (const auto* n : find_all<NotifyPayload>(PayloadType::Notify))
            if (n->type == static_cast<uint16_t>(t)) out.push_back(n);
        return out;
    }
    bool operator==(const Message&) const = default;
};

}  // namespace ikev2d::wire
