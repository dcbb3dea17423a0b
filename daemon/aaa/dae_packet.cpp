#include "aaa/dae_packet.hpp"

#include <nettle/hmac.h>
#include <nettle/md5.h>

#include <algorithm>
#include <array>

#include "aaa/radius_dictionary.hpp"

namespace ikev2d::aaa {
namespace {

constexpr std::size_t kHeader = 20;  // Code, Identifier, Length, Authenticator
constexpr std::uint8_t kErrorCause = 101;

std::array<std::uint8_t, 16> md5_of(std::initializer_list<ByteView> parts) {
    md5_ctx ctx;
    md5_init(&ctx);
    for (ByteView p : parts) md5_update(&ctx, p.size(), p.data());
    std::array<std::uint8_t, 16> out{};
    md5_digest(&ctx, out.size(), out.data());
    return out;
}

std::uint32_t u32(ByteView v) { return load_be32(v); }

}  // namespace

Result<DaeRequest, std::string> parse_dae_request(ByteView packet, std::string_view secret) {
    if (packet.size() < kHeader) return unexpected(std::string("shorter than a RADIUS header"));
    const std::size_t length = static_cast<std::size_t>(packet[2]) << 8 | packet[3];
    if (length < kHeader || length > 4096 || length > packet.size())
        return unexpected("RADIUS length " + std::to_string(length) + " does not fit the datagram");
    packet = packet.first(length);  // RFC 2865 3: octets beyond Length are padding
    DaeRequest r;
    if (packet[0] == static_cast<std::uint8_t>(DaeKind::Disconnect)) r.kind = DaeKind::Disconnect;
    else if (packet[0] == static_cast<std::uint8_t>(DaeKind::CoA)) r.kind = DaeKind::CoA;
    else return unexpected("RADIUS code " + std::to_string(packet[0]) + " is not a Disconnect- or CoA-Request");
    r.identifier = packet[1];
    r.authenticator.assign(packet.begin() + 4, packet.begin() + kHeader);

    // Request Authenticator = MD5(Code | Identifier | Length | 16 zeros | attributes | secret).
    const std::array<std::uint8_t, 16> zeros{};
    const auto expect = md5_of({packet.first(4), zeros, packet.subspan(kHeader), as_bytes(secret)});
    if (!ct_equal(expect, r.authenticator)) return unexpected(std::string("bad Request Authenticator (wrong secret?)"));

    std::optional<std::size_t> message_authenticator_at;
    for (std::size_t off = kHeader; off < packet.size();) {
        if (packet.size() - off < 2) return unexpected(std::string("truncated attribute"));
        const std::uint8_t type = packet[off];
        const std::size_t len = packet[off + 1];
        if (len < 2 || len > packet.size() - off) return unexpected("attribute " + std::to_string(type) + " overruns the packet");
        const ByteView value = packet.subspan(off + 2, len - 2);
        auto text = [&] { return std::string(value.begin(), value.end()); };
        auto need = [&](std::size_t n) -> bool { return value.size() == n; };
        switch (type) {
            case attr::UserName: r.user_name = text(); break;
            case attr::AcctSessionId: r.acct_session_id = text(); break;
            case attr::NasIdentifier: r.nas_identifier = text(); break;
            case attr::CallingStationId: r.calling_station_id = text(); break;
            case attr::FramedIpAddress:
                if (!need(4)) return unexpected(std::string("Framed-IP-Address is not 4 octets"));
                r.framed_ip = IpAddress::from_bytes(value);
                break;
            case attr::SessionTimeout:
                if (!need(4)) return unexpected(std::string("Session-Timeout is not 4 octets"));
                r.session_timeout_s = u32(value);
                break;
            case attr::IdleTimeout:
                if (!need(4)) return unexpected(std::string("Idle-Timeout is not 4 octets"));
                r.idle_timeout_s = u32(value);
                break;
            case attr::FilterId: r.filter_id = text(); break;
            case attr::MessageAuthenticator:
                if (!need(16)) return unexpected(std::string("Message-Authenticator is not 16 octets"));
                message_authenticator_at = off + 2;
                break;
            case attr::State:          // RFC 5176 3.3: may be present; nothing to do with it
            case 4:                    // NAS-IP-Address
            case 95:                   // NAS-IPv6-Address
            case 55:                   // Event-Timestamp
            case kErrorCause: break;
            default:
                if (!r.unsupported_attribute) r.unsupported_attribute = type;
                break;
        }
        off += len;
    }
    if (message_authenticator_at) {
        // HMAC-MD5 over the packet with the authenticator field and the attribute's value zeroed.
        Bytes copy(packet.begin(), packet.end());
        std::fill(copy.begin() + 4, copy.begin() + kHeader, 0);
        std::fill(copy.begin() + static_cast<std::ptrdiff_t>(*message_authenticator_at),
                  copy.begin() + static_cast<std::ptrdiff_t>(*message_authenticator_at + 16), 0);
        hmac_md5_ctx h;
        hmac_md5_set_key(&h, secret.size(), reinterpret_cast<const std::uint8_t*>(secret.data()));
        hmac_md5_update(&h, copy.size(), copy.data());
        std::array<std::uint8_t, 16> mac{};
        hmac_md5_digest(&h, mac.size(), mac.data());
        if (!ct_equal(mac, packet.subspan(*message_authenticator_at, 16)))
            return unexpected(std::string("bad Message-Authenticator"));
    }
    return r;
}

Bytes dae_response(const DaeRequest& request, bool ack, std::optional<DaeErrorCause> cause, std::string_view secret) {
    const std::uint8_t base = static_cast<std::uint8_t>(request.kind);
    const bool with_cause = !ack && cause;
    Bytes out(kHeader + (with_cause ? 6 : 0), 0);
    out[0] = static_cast<std::uint8_t>(base + (ack ? 1 : 2));
    out[1] = request.identifier;
    std::copy_n(request.authenticator.begin(), std::min<std::size_t>(16, request.authenticator.size()), out.begin() + 4);
    if (with_cause) {
        const auto v = static_cast<std::uint32_t>(*cause);
        out[kHeader] = kErrorCause;
        out[kHeader + 1] = 6;
        for (int i = 0; i < 4; ++i) out[kHeader + 2 + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
    }
    out[2] = static_cast<std::uint8_t>(out.size() >> 8);
    out[3] = static_cast<std::uint8_t>(out.size());
    // Response Authenticator = MD5(Code | Identifier | Length | Request Authenticator | attributes | secret).
    const auto auth = md5_of({ByteView(out).first(4), request.authenticator, ByteView(out).subspan(kHeader), as_bytes(secret)});
    std::copy(auth.begin(), auth.end(), out.begin() + 4);
    return out;
}

}  // namespace ikev2d::aaa
