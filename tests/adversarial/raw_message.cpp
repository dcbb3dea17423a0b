#include "raw_message.hpp"

#include "iana.hpp"

namespace adversarial {

using namespace peer::iana;

Bytes RawMessage::encode() const {
    Bytes chain;
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        const RawPayload& p = payloads[i];
        const bool encrypted = p.type == kSK || p.type == kSKF;
        std::uint8_t nxt = encrypted ? p.inner_first : (i + 1 < payloads.size() ? payloads[i + 1].type : kNone);
        if (p.next) nxt = *p.next;
        peer::put8(chain, nxt);
        peer::put8(chain, p.flags);
        peer::put16(chain, p.length ? *p.length : static_cast<std::uint16_t>(4 + p.body.size()));
        peer::append(chain, p.body);
    }
    peer::append(chain, trailing);
    peer::Header h = header;
    h.next = next ? *next : (payloads.empty() ? kNone : payloads.front().type);
    h.length = length ? *length : static_cast<std::uint32_t>(peer::kHeaderSize + chain.size());
    Bytes out = peer::encode_header(h);
    peer::append(out, chain);
    return out;
}

std::size_t RawMessage::index_of(std::uint8_t type) const {
    for (std::size_t i = 0; i < payloads.size(); ++i)
        if (payloads[i].type == type) return i;
    return payloads.size();
}

RawPayload raw(std::uint8_t type, Bytes body, std::uint8_t flags) {
    RawPayload p;
    p.type = type;
    p.flags = flags;
    p.body = std::move(body);
    return p;
}

RawMessage init_message(peer::Initiator& initiator) {
    RawMessage m;
    m.header = initiator.sa_init_header();
    for (const peer::Payload& p : initiator.sa_init_payloads()) m.payloads.push_back(raw(p.type, p.body, p.flags));
    return m;
}

std::vector<peer::Transform> good_ike_transforms(std::vector<std::uint16_t> groups) {
    std::vector<peer::Transform> t{{kTransEncr, kEncrAesGcm16, 256, {}}, {kTransPrf, kPrfHmacSha256, std::nullopt, {}}};
    for (auto g : groups) t.push_back({kTransDh, g, std::nullopt, {}});
    return t;
}

}  // namespace adversarial
