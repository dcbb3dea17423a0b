#include "eap_mschapv2.hpp"

#include <nettle/des.h>
#include <nettle/md4.h>
#include <nettle/memops.h>
#include <nettle/sha1.h>

#include <cctype>
#include <cstdio>

namespace peer {
namespace mschapv2 {
namespace {

constexpr std::string_view kMagic1 = "Magic server to client signing constant";
constexpr std::string_view kMagic2 = "Pad to make it do more than one iteration";
constexpr std::string_view kMasterKeyMagic = "This is the MPPE Master Key";
constexpr std::string_view kSendMagicClient =
    "On the client side, this is the send key; on the server side, it is the receive key.";
constexpr std::string_view kReceiveMagicClient =
    "On the client side, this is the receive key; on the server side, it is the send key.";

Bytes sha1(std::initializer_list<ByteView> parts) {
    sha1_ctx ctx;
    sha1_init(&ctx);
    for (ByteView p : parts) sha1_update(&ctx, p.size(), p.data());
    Bytes out(SHA1_DIGEST_SIZE);
    sha1_digest(&ctx, out.size(), out.data());
    return out;
}

Bytes md4(ByteView data) {
    md4_ctx ctx;
    md4_init(&ctx);
    md4_update(&ctx, data.size(), data.data());
    Bytes out(MD4_DIGEST_SIZE);
    md4_digest(&ctx, out.size(), out.data());
    return out;
}

// RFC 2759 8.6 DesEncrypt: a 7-byte key spread over 8 bytes (parity bits left zero;
// nettle ignores them).
Bytes des_encrypt(ByteView clear8, ByteView key7) {
    std::uint8_t key[8];
    std::uint64_t bits = 0;
    for (int i = 0; i < 7; ++i) bits = bits << 8 | key7[static_cast<std::size_t>(i)];
    for (int i = 0; i < 8; ++i) key[i] = static_cast<std::uint8_t>(((bits >> (49 - 7 * i)) & 0x7f) << 1);
    des_ctx ctx;
    des_set_key(&ctx, key);
    Bytes out(8);
    des_encrypt(&ctx, 8, out.data(), clear8.data());
    return out;
}

ByteView text(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

Bytes start_key(ByteView master, std::string_view magic) {
    const Bytes pad1(40, 0), pad2(40, 0xf2);
    Bytes k = sha1({master, pad1, text(magic), pad2});
    k.resize(16);
    return k;
}

}  // namespace

Bytes nt_password_hash(std::string_view password) {
    Bytes unicode;
    for (char c : password) {
        unicode.push_back(static_cast<std::uint8_t>(c));
        unicode.push_back(0);
    }
    Bytes out = md4(unicode);
    wipe(unicode);
    return out;
}

Bytes challenge_hash(ByteView peer_challenge, ByteView authenticator_challenge, std::string_view user) {
    Bytes h = sha1({peer_challenge, authenticator_challenge, text(user)});
    h.resize(8);
    return h;
}

Bytes nt_response(ByteView authenticator_challenge, ByteView peer_challenge, std::string_view user,
                  ByteView password_hash) {
    const Bytes challenge = challenge_hash(peer_challenge, authenticator_challenge, user);
    Bytes z(password_hash.begin(), password_hash.end());
    z.resize(21, 0);
    Bytes out;
    for (std::size_t i = 0; i < 3; ++i) append(out, des_encrypt(challenge, ByteView(z).subspan(7 * i, 7)));
    wipe(z);
    return out;
}

std::string authenticator_response(ByteView password_hash, ByteView nt_response, ByteView peer_challenge,
                                   ByteView authenticator_challenge, std::string_view user) {
    const Bytes hash_hash = md4(password_hash);
    const Bytes digest = sha1({hash_hash, nt_response, text(kMagic1)});
    const Bytes challenge = challenge_hash(peer_challenge, authenticator_challenge, user);
    const Bytes final_digest = sha1({digest, challenge, text(kMagic2)});
    std::string out = "S=";
    for (std::uint8_t b : final_digest) {
        char hex[3];
        std::snprintf(hex, sizeof hex, "%02X", b);
        out += hex;
    }
    return out;
}

Bytes msk(ByteView password_hash, ByteView nt_response) {
    const Bytes hash_hash = md4(password_hash);
    Bytes master = sha1({hash_hash, nt_response, text(kMasterKeyMagic)});
    master.resize(16);
    Bytes out = start_key(master, kSendMagicClient);  // the server's receive key
    append(out, start_key(master, kReceiveMagicClient));
    out.resize(64, 0);
    wipe(master);
    return out;
}

}  // namespace mschapv2

namespace {
constexpr std::uint8_t kRequest = 1, kSuccess = 3, kFailure = 4;
constexpr std::uint8_t kTypeIdentity = 1, kTypeNak = 3, kTypeMsChapV2 = 26;
constexpr std::uint8_t kOpChallenge = 1, kOpResponse = 2, kOpSuccess = 3, kOpFailure = 4;
}  // namespace

EapMsChapV2Client::EapMsChapV2Client(std::string identity, std::string password)
    : identity_(std::move(identity)), password_hash_(mschapv2::nt_password_hash(password)) {
    volatile char* p = password.data();
    for (std::size_t i = 0; i < password.size(); ++i) p[i] = 0;
}

EapMsChapV2Client::~EapMsChapV2Client() { wipe(password_hash_); }

EapResult EapMsChapV2Client::process(ByteView packet) {
    if (packet.size() < 4 || get16(&packet[2]) != packet.size()) return {};
    const std::uint8_t code = packet[0], id = packet[1];
    // EAP Success only after the gateway proved it knows the password hash.
    if (code == kSuccess) return authenticated_ ? EapResult{EapResult::Kind::Success, {}} : EapResult{};
    if (code == kFailure) return EapResult{EapResult::Kind::Failure, {}};
    if (code != kRequest || packet.size() < 5) return {};
    const std::uint8_t type = packet[4];
    ByteView data = packet.subspan(5);
    if (type == kTypeIdentity) return EapResult{EapResult::Kind::Respond, eap_response(id, kTypeIdentity, as_bytes(identity_))};
    if (type != kTypeMsChapV2) return EapResult{EapResult::Kind::Respond, eap_response(id, kTypeNak, Bytes{kTypeMsChapV2})};
    if (data.empty()) return {};
    if (data[0] == kOpChallenge) return challenge(id, data);
    if (data[0] == kOpSuccess) return success_request(id, data);
    if (data[0] == kOpFailure) return EapResult{EapResult::Kind::Failure, {}};
    return {};
}

// OpCode | MS-CHAPv2-ID | MS-Length | Value-Size (16) | Challenge | Name.
EapResult EapMsChapV2Client::challenge(std::uint8_t eap_id, ByteView data) {
    if (data.size() < 5 + 16 || get16(&data[2]) != data.size() || data[4] != 16) return {};
    const std::uint8_t ms_id = data[1];
    const ByteView auth_challenge = data.subspan(5, 16);
    const Bytes peer_challenge = random_bytes(16);
    nt_response_ = mschapv2::nt_response(auth_challenge, peer_challenge, identity_, password_hash_);
    expected_authenticator_ = as_bytes(
        mschapv2::authenticator_response(password_hash_, nt_response_, peer_challenge, auth_challenge, identity_));
    // OpCode | MS-CHAPv2-ID | MS-Length | Value-Size (49) | Peer-Challenge | 8 reserved | NT-Response | Flags | Name.
    Bytes body{kOpResponse, ms_id};
    put16(body, static_cast<std::uint16_t>(4 + 1 + 49 + identity_.size()));
    body.push_back(49);
    append(body, peer_challenge);
    body.insert(body.end(), 8, 0);
    append(body, nt_response_);
    body.push_back(0);
    append(body, as_bytes(identity_));
    return EapResult{EapResult::Kind::Respond, eap_response(eap_id, kTypeMsChapV2, body)};
}

// OpCode | MS-CHAPv2-ID | MS-Length | "S=<40 hex> M=<message>".
EapResult EapMsChapV2Client::success_request(std::uint8_t eap_id, ByteView data) {
    if (data.size() < 4 + 42 || get16(&data[2]) != data.size() || expected_authenticator_.size() != 42) return {};
    ByteView got = data.subspan(4, 42);
    Bytes upper(got.begin(), got.end());
    for (auto& c : upper) c = static_cast<std::uint8_t>(std::toupper(c));
    if (!memeql_sec(upper.data(), expected_authenticator_.data(), upper.size())) return {};
    authenticated_ = true;
    return EapResult{EapResult::Kind::Respond, eap_response(eap_id, kTypeMsChapV2, Bytes{kOpSuccess})};
}

std::optional<Bytes> EapMsChapV2Client::msk() const {
    if (!authenticated_) return std::nullopt;
    return mschapv2::msk(password_hash_, nt_response_);
}

}  // namespace peer
