#include "wire/redirect_data.hpp"

#include "util/ip_address.hpp"

namespace ikev2d::wire {
namespace {

constexpr std::size_t kMaxFqdn = 253;  // what DNS allows; the length field would take 255
constexpr std::size_t kMaxLabel = 63;

bool is_host_name(std::string_view s) {
    if (s.empty() || s.size() > kMaxFqdn) return false;
    std::size_t label = 0;
    char previous = '.';
    for (char c : s) {
        if (c == '.') {
            if (label == 0 || previous == '-') return false;
            label = 0;
        } else {
            const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && !(c == '-' && label > 0)) return false;
            if (++label > kMaxLabel) return false;
        }
        previous = c;
    }
    return label > 0 && previous != '-';
}

}  // namespace

std::optional<GatewayIdentity> GatewayIdentity::parse(std::string_view text) {
    GatewayIdentity id;
    if (auto addr = IpAddress::parse(text)) {
        id.type = addr->is_v4() ? GatewayIdType::IPv4 : GatewayIdType::IPv6;
        ByteView raw = addr->view();
        id.value.assign(raw.begin(), raw.end());
        return id;
    }
    // All digits and dots, yet not an address: a typo, not a name.
    if (text.find_first_not_of("0123456789.") == std::string_view::npos || !is_host_name(text)) return std::nullopt;
    id.type = GatewayIdType::Fqdn;
    id.value.assign(text.begin(), text.end());
    return id;
}

std::string GatewayIdentity::to_string() const {
    if (type == GatewayIdType::Fqdn) return std::string(value.begin(), value.end());
    if ((type == GatewayIdType::IPv4 && value.size() == 4) || (type == GatewayIdType::IPv6 && value.size() == 16))
        return IpAddress::from_bytes(value).to_string();
    return "?";
}

Bytes encode_redirect_data(const RedirectData& data) {
    Bytes out;
    out.reserve(2 + data.gateway.value.size() + data.nonce.size());
    out.push_back(static_cast<std::uint8_t>(data.gateway.type));
    out.push_back(static_cast<std::uint8_t>(data.gateway.value.size()));
    out.insert(out.end(), data.gateway.value.begin(), data.gateway.value.end());
    out.insert(out.end(), data.nonce.begin(), data.nonce.end());
    return out;
}

std::optional<RedirectData> decode_redirect_data(ByteView data) {
    if (data.size() < 2) return std::nullopt;
    const std::uint8_t type = data[0];
    const std::size_t length = data[1];
    switch (type) {
        case static_cast<std::uint8_t>(GatewayIdType::IPv4):
            if (length != 4) return std::nullopt;
            break;
        case static_cast<std::uint8_t>(GatewayIdType::IPv6):
            if (length != 16) return std::nullopt;
            break;
        case static_cast<std::uint8_t>(GatewayIdType::Fqdn):
            if (length == 0) return std::nullopt;
            break;
        default: return std::nullopt;
    }
    if (data.size() - 2 < length) return std::nullopt;
    RedirectData out;
    out.gateway.type = static_cast<GatewayIdType>(type);
    out.gateway.value.assign(data.begin() + 2, data.begin() + 2 + static_cast<std::ptrdiff_t>(length));
    out.nonce.assign(data.begin() + 2 + static_cast<std::ptrdiff_t>(length), data.end());
    return out;
}

}  // namespace ikev2d::wire
