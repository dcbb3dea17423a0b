#include "payloads.hpp"

#include "iana.hpp"

namespace peer {

Bytes encode_transform(const Transform& t, bool last) {
    Bytes attrs;
    if (t.key_bits) {
        put16(attrs, 0x8000 | iana::kAttrKeyLength);  // AF = 1: TV format
        put16(attrs, *t.key_bits);
    }
    append(attrs, t.extra_attributes);
    Bytes out;
    put8(out, last ? 0 : 3);
    put8(out, 0);
    put16(out, static_cast<std::uint16_t>(8 + attrs.size()));
    put8(out, t.type);
    put8(out, 0);
    put16(out, t.id);
    append(out, attrs);
    return out;
}

Bytes encode_proposal(const Proposal& p, bool last) {
    Bytes transforms;
    for (std::size_t i = 0; i < p.transforms.size(); ++i)
        append(transforms, encode_transform(p.transforms[i], i + 1 == p.transforms.size()));
    Bytes out;
    put8(out, last ? 0 : 2);
    put8(out, 0);
    put16(out, static_cast<std::uint16_t>(8 + p.spi.size() + transforms.size()));
    put8(out, p.number);
    put8(out, p.protocol);
    put8(out, static_cast<std::uint8_t>(p.spi.size()));
    put8(out, static_cast<std::uint8_t>(p.transforms.size()));
    append(out, p.spi);
    append(out, transforms);
    return out;
}

Bytes sa_body(const std::vector<Proposal>& proposals) {
    Bytes out;
    for (std::size_t i = 0; i < proposals.size(); ++i) append(out, encode_proposal(proposals[i], i + 1 == proposals.size()));
    return out;
}

std::optional<std::vector<Proposal>> parse_sa(ByteView body) {
    std::vector<Proposal> out;
    std::size_t pos = 0;
    bool more = true;
    while (more) {
        if (body.size() - pos < 8) return std::nullopt;
        const std::uint8_t* p = &body[pos];
        const std::uint16_t len = get16(p + 2);
        if (len < 8 || len > body.size() - pos) return std::nullopt;
        more = p[0] == 2;
        if (p[0] != 0 && p[0] != 2) return std::nullopt;
        Proposal prop;
        prop.number = p[4];
        prop.protocol = p[5];
        const std::size_t spi_size = p[6];
        const std::size_t count = p[7];
        if (8 + spi_size > len) return std::nullopt;
        prop.spi.assign(p + 8, p + 8 + spi_size);
        std::size_t tpos = 8 + spi_size;
        for (std::size_t i = 0; i < count; ++i) {
            if (len - tpos < 8) return std::nullopt;
            const std::uint8_t* t = p + tpos;
            const std::uint16_t tlen = get16(t + 2);
            if (tlen < 8 || tlen > len - tpos) return std::nullopt;
            if ((t[0] == 0) != (i + 1 == count)) return std::nullopt;
            Transform tr;
            tr.type = t[4];
            tr.id = get16(t + 6);
            for (std::size_t a = 8; a < tlen;) {
                if (tlen - a < 4) return std::nullopt;
                const std::uint16_t at = get16(t + a);
                if (at & 0x8000) {
                    if ((at & 0x7fff) == iana::kAttrKeyLength) tr.key_bits = get16(t + a + 2);
                    a += 4;
                } else {
                    const std::size_t alen = get16(t + a + 2);
                    if (tlen - a - 4 < alen) return std::nullopt;
                    a += 4 + alen;
                }
            }
            prop.transforms.push_back(tr);
            tpos += tlen;
        }
        if (tpos != len) return std::nullopt;
        out.push_back(std::move(prop));
        pos += len;
    }
    if (pos != body.size()) return std::nullopt;
    return out;
}

Bytes ke_body(std::uint16_t group, ByteView public_value) {
    Bytes out;
    put16(out, group);
    put16(out, 0);
    append(out, public_value);
    return out;
}

std::optional<KeBody> parse_ke(ByteView body) {
    if (body.size() < 4) return std::nullopt;
    return KeBody{get16(body.data()), Bytes(body.begin() + 4, body.end())};
}

Bytes notify_body(std::uint16_t type, ByteView data, std::uint8_t protocol, ByteView spi) {
    Bytes out;
    put8(out, protocol);
    put8(out, static_cast<std::uint8_t>(spi.size()));
    put16(out, type);
    append(out, spi);
    append(out, data);
    return out;
}

std::optional<Notify> parse_notify(ByteView body) {
    if (body.size() < 4) return std::nullopt;
    Notify n;
    n.protocol = body[0];
    const std::size_t spi_size = body[1];
    n.type = get16(&body[2]);
    if (body.size() < 4 + spi_size) return std::nullopt;
    n.spi.assign(body.begin() + 4, body.begin() + 4 + static_cast<std::ptrdiff_t>(spi_size));
    n.data.assign(body.begin() + 4 + static_cast<std::ptrdiff_t>(spi_size), body.end());
    return n;
}

Bytes id_body(std::uint8_t id_type, ByteView data) {
    Bytes out{id_type, 0, 0, 0};
    append(out, data);
    return out;
}

Bytes auth_body(std::uint8_t method, ByteView data) {
    Bytes out{method, 0, 0, 0};
    append(out, data);
    return out;
}

Bytes ts_ipv4_any_body() {
    Bytes out{1, 0, 0, 0};  // one selector
    put8(out, iana::kTsIpv4Range);
    put8(out, 0);   // any IP protocol
    put16(out, 16);
    put16(out, 0);
    put16(out, 65535);
    append(out, Bytes{0, 0, 0, 0});
    append(out, Bytes{255, 255, 255, 255});
    return out;
}

Bytes cp_request_ipv4_body() {
    Bytes out{iana::kCfgRequest, 0, 0, 0};
    put16(out, iana::kInternalIp4Address);
    put16(out, 0);
    return out;
}

std::string cp_reply_ipv4(ByteView body) {
    for (std::size_t pos = 4; pos + 4 <= body.size();) {
        const std::uint16_t type = get16(&body[pos]) & 0x7fff;
        const std::uint16_t len = get16(&body[pos + 2]);
        if (pos + 4 + len > body.size()) break;
        if (type == iana::kInternalIp4Address && len == 4)
            return std::to_string(body[pos + 4]) + "." + std::to_string(body[pos + 5]) + "." +
                   std::to_string(body[pos + 6]) + "." + std::to_string(body[pos + 7]);
        pos += 4 + len;
    }
    return {};
}

Bytes delete_ike_body() { return Bytes{iana::kProtoIke, 0, 0, 0}; }

std::string notify_name(std::uint16_t type) {
    switch (type) {
        case iana::kUnsupportedCriticalPayload: return "UNSUPPORTED_CRITICAL_PAYLOAD";
        case iana::kInvalidIkeSpi: return "INVALID_IKE_SPI";
        case iana::kInvalidMajorVersion: return "INVALID_MAJOR_VERSION";
        case iana::kInvalidSyntax: return "INVALID_SYNTAX";
        case iana::kInvalidMessageId: return "INVALID_MESSAGE_ID";
        case iana::kNoProposalChosen: return "NO_PROPOSAL_CHOSEN";
        case iana::kInvalidKePayload: return "INVALID_KE_PAYLOAD";
        case iana::kAuthenticationFailed: return "AUTHENTICATION_FAILED";
        case iana::kCookie: return "COOKIE";
        default: return "NOTIFY(" + std::to_string(type) + ")";
    }
}

}  // namespace peer
