#include "eap_client.hpp"

#include <nettle/md5.h>

namespace peer {
namespace {

constexpr std::uint8_t kRequest = 1, kResponse = 2, kSuccess = 3, kFailure = 4;
constexpr std::uint8_t kTypeIdentity = 1, kTypeNak = 3, kTypeMd5 = 4, kTypeGtc = 6;

}  // namespace

Bytes eap_response(std::uint8_t identifier, std::uint8_t type, ByteView data) {
    Bytes out{kResponse, identifier};
    put16(out, static_cast<std::uint16_t>(5 + data.size()));
    out.push_back(type);
    append(out, data);
    return out;
}

Bytes chap_md5(std::uint8_t identifier, std::string_view password, ByteView challenge) {
    md5_ctx ctx;
    md5_init(&ctx);
    md5_update(&ctx, 1, &identifier);
    md5_update(&ctx, password.size(), reinterpret_cast<const std::uint8_t*>(password.data()));
    md5_update(&ctx, challenge.size(), challenge.data());
    Bytes out(MD5_DIGEST_SIZE);
    md5_digest(&ctx, out.size(), out.data());
    return out;
}

PasswordEapClient::PasswordEapClient(std::uint8_t method, std::string identity, std::string password)
    : method_(method), identity_(std::move(identity)), password_(std::move(password)) {}

PasswordEapClient::~PasswordEapClient() {
    volatile char* p = password_.data();
    for (std::size_t i = 0; i < password_.size(); ++i) p[i] = 0;
}

EapResult PasswordEapClient::process(ByteView packet) {
    EapResult r;
    if (packet.size() < 4 || get16(&packet[2]) != packet.size()) return r;
    const std::uint8_t code = packet[0], id = packet[1];
    if (code == kSuccess) return EapResult{EapResult::Kind::Success, {}};
    if (code == kFailure) return EapResult{EapResult::Kind::Failure, {}};
    if (code != kRequest || packet.size() < 5) return r;
    const std::uint8_t type = packet[4];
    r.kind = EapResult::Kind::Respond;
    if (type == kTypeIdentity) {
        r.response = eap_response(id, kTypeIdentity, as_bytes(identity_));
    } else if (type == method_) {
        auto answer = respond(id, packet.subspan(5));
        if (!answer) return EapResult{};
        r.response = std::move(*answer);
    } else {
        r.response = eap_response(id, kTypeNak, Bytes{method_});
    }
    return r;
}

EapMd5Client::EapMd5Client(std::string identity, std::string password)
    : PasswordEapClient(kTypeMd5, std::move(identity), std::move(password)) {}

std::optional<Bytes> EapMd5Client::respond(std::uint8_t id, ByteView data) const {
    if (data.empty() || data[0] == 0 || data[0] + 1u > data.size()) return std::nullopt;
    Bytes value{static_cast<std::uint8_t>(MD5_DIGEST_SIZE)};  // Value-Size
    append(value, chap_md5(id, password(), data.subspan(1, data[0])));
    return eap_response(id, kTypeMd5, value);
}

EapGtcClient::EapGtcClient(std::string identity, std::string password)
    : PasswordEapClient(kTypeGtc, std::move(identity), std::move(password)) {}

std::optional<Bytes> EapGtcClient::respond(std::uint8_t id, ByteView) const {
    return eap_response(id, kTypeGtc, as_bytes(password()));
}

}  // namespace peer
