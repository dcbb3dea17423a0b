#include "eap/mschapv2_crypto.hpp"

#include <nettle/des.h>
#include <nettle/md4.h>
#include <nettle/sha1.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace ikev2d::eap::mschapv2 {
namespace {

void require_size(ByteView v, std::size_t size, const char* what) {
    if (v.size() != size)
        throw std::invalid_argument(std::string("MS-CHAPv2: ") + what + " must be " + std::to_string(size) +
                                    " bytes, got " + std::to_string(v.size()));
}

// Decodes UTF-8 and appends UTF-16LE code units; false on malformed input
// (overlong forms, surrogates, values above U+10FFFF, truncated sequences).
bool utf8_to_utf16le(std::string_view in, SecureBytes& out) {
    Bytes units;  // wiped below: it holds the password
    units.reserve(in.size() * 2);
    bool ok = true;
    for (std::size_t i = 0; i < in.size() && ok;) {
        const auto lead = static_cast<std::uint8_t>(in[i]);
        std::uint32_t cp = 0;
        std::size_t extra = 0;
        if (lead < 0x80) { cp = lead; }
        else if ((lead & 0xe0) == 0xc0) { cp = lead & 0x1f; extra = 1; }
        else if ((lead & 0xf0) == 0xe0) { cp = lead & 0x0f; extra = 2; }
        else if ((lead & 0xf8) == 0xf0) { cp = lead & 0x07; extra = 3; }
        else { ok = false; break; }
        if (i + extra >= in.size() && extra > 0) { ok = false; break; }  // truncated sequence
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto cont = static_cast<std::uint8_t>(in[i + k]);
            if ((cont & 0xc0) != 0x80) { ok = false; break; }
            cp = (cp << 6) | (cont & 0x3f);
        }
        if (!ok) break;
        static constexpr std::uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
        if (cp < kMinForLength[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) { ok = false; break; }
        auto put16 = [&](std::uint32_t u) {
            units.push_back(static_cast<std::uint8_t>(u & 0xff));
            units.push_back(static_cast<std::uint8_t>(u >> 8));
        };
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put16(0xd800 + (cp >> 10));
            put16(0xdc00 + (cp & 0x3ff));
        } else {
            put16(cp);
        }
        i += 1 + extra;
    }
    if (ok) out = SecureBytes(ByteView(units));
    if (!units.empty()) secure_wipe(units.data(), units.size());
    return ok;
}

SecureBytes md4(ByteView data) {
    md4_ctx ctx;
    md4_init(&ctx);
    md4_update(&ctx, data.size(), data.data());
    SecureBytes out(MD4_DIGEST_SIZE);
    md4_digest(&ctx, out.size(), out.data());
    secure_wipe(&ctx, sizeof ctx);
    return out;
}

// Expands 7 key bytes to the 8-byte DES key layout (the low bit of each byte is the
// parity bit, which DES ignores).
std::array<std::uint8_t, 8> expand_des_key(const std::uint8_t* k) {
    std::array<std::uint8_t, 8> key{};
    key[0] = k[0];
    key[1] = static_cast<std::uint8_t>((k[0] << 7) | (k[1] >> 1));
    key[2] = static_cast<std::uint8_t>((k[1] << 6) | (k[2] >> 2));
    key[3] = static_cast<std::uint8_t>((k[2] << 5) | (k[3] >> 3));
    key[4] = static_cast<std::uint8_t>((k[3] << 4) | (k[4] >> 4));
    key[5] = static_cast<std::uint8_t>((k[4] << 3) | (k[5] >> 5));
    key[6] = static_cast<std::uint8_t>((k[5] << 2) | (k[6] >> 6));
    key[7] = static_cast<std::uint8_t>(k[6] << 1);
    return key;
}

class Sha1 {
public:
    Sha1() { sha1_init(&ctx_); }
    ~Sha1() { secure_wipe(&ctx_, sizeof ctx_); }
    Sha1(const Sha1&) = delete;
    Sha1& operator=(const Sha1&) = delete;
    Sha1& update(ByteView data) {
        sha1_update(&ctx_, data.size(), data.data());
        return *this;
    }
    Sha1& update(std::string_view s) { return update(as_bytes(s)); }
    SecureBytes digest() {
        SecureBytes out(SHA1_DIGEST_SIZE);
        sha1_digest(&ctx_, out.size(), out.data());
        return out;
    }

private:
    sha1_ctx ctx_;
};

// RFC 2759 8.7 constants.
constexpr std::string_view kAuthMagic1 = "Magic server to client signing constant";
constexpr std::string_view kAuthMagic2 = "Pad to make it do more than one iteration";
// RFC 3079 3.4 constants.
constexpr std::string_view kKeyMagic1 = "This is the MPPE Master Key";
constexpr std::string_view kKeyMagic2 =
    "On the client side, this is the send key; on the server side, it is the receive key.";
constexpr std::string_view kKeyMagic3 =
    "On the client side, this is the receive key; on the server side, it is the send key.";
constexpr std::size_t kShaPadSize = 40;

}  // namespace

Result<SecureBytes, std::string> nt_password_hash(std::string_view utf8_password) {
    SecureBytes unicode;
    if (!utf8_to_utf16le(utf8_password, unicode)) return unexpected(std::string("password is not valid UTF-8"));
    return md4(unicode.view());
}

SecureBytes hash_nt_password_hash(ByteView nt_hash) {
    require_size(nt_hash, kNtHashSize, "PasswordHash");
    return md4(nt_hash);
}

std::array<std::uint8_t, 8> challenge_hash(ByteView peer_challenge, ByteView authenticator_challenge,
                                           std::string_view username) {
    require_size(peer_challenge, kChallengeSize, "PeerChallenge");
    require_size(authenticator_challenge, kChallengeSize, "AuthenticatorChallenge");
    Sha1 sha;
    SecureBytes digest = sha.update(peer_challenge).update(authenticator_challenge).update(username).digest();
    std::array<std::uint8_t, 8> out{};
    std::copy_n(digest.data(), out.size(), out.begin());
    return out;
}

std::array<std::uint8_t, kNtResponseSize> challenge_response(const std::array<std::uint8_t, 8>& challenge,
                                                             ByteView nt_hash) {
    require_size(nt_hash, kNtHashSize, "PasswordHash");
    std::array<std::uint8_t, 21> padded{};
    std::copy(nt_hash.begin(), nt_hash.end(), padded.begin());
    std::array<std::uint8_t, kNtResponseSize> out{};
    for (std::size_t third = 0; third < 3; ++third) {
        std::array<std::uint8_t, 8> key = expand_des_key(padded.data() + 7 * third);
        des_ctx ctx;
        // des_set_key returns 0 for the few weak keys but still sets up the schedule;
        // MS-CHAPv2 uses whatever key the hash gives, so the result is ignored.
        (void)des_set_key(&ctx, key.data());
        des_encrypt(&ctx, 8, out.data() + 8 * third, challenge.data());
        secure_wipe(&ctx, sizeof ctx);
        secure_wipe(key.data(), key.size());
    }
    secure_wipe(padded.data(), padded.size());
    return out;
}

std::array<std::uint8_t, kNtResponseSize> generate_nt_response(ByteView authenticator_challenge,
                                                               ByteView peer_challenge, std::string_view username,
                                                               ByteView nt_hash) {
    return challenge_response(challenge_hash(peer_challenge, authenticator_challenge, username), nt_hash);
}

std::string authenticator_response(ByteView nt_hash, ByteView nt_response, ByteView peer_challenge,
                                   ByteView authenticator_challenge, std::string_view username) {
    require_size(nt_response, kNtResponseSize, "NT-Response");
    SecureBytes hash_hash = hash_nt_password_hash(nt_hash);
    SecureBytes digest = Sha1().update(hash_hash.view()).update(nt_response).update(kAuthMagic1).digest();
    const auto challenge = challenge_hash(peer_challenge, authenticator_challenge, username);
    SecureBytes final_digest = Sha1().update(digest.view()).update(challenge).update(kAuthMagic2).digest();
    std::string hex = to_hex(final_digest.view());
    for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return "S=" + hex;
}

SecureBytes master_key(ByteView nt_hash_hash, ByteView nt_response) {
    require_size(nt_hash_hash, kNtHashSize, "PasswordHashHash");
    require_size(nt_response, kNtResponseSize, "NT-Response");
    SecureBytes digest = Sha1().update(nt_hash_hash).update(nt_response).update(kKeyMagic1).digest();
    digest.resize(16);
    return digest;
}

SecureBytes asymmetric_start_key(ByteView master, bool is_send, bool is_server) {
    require_size(master, 16, "MasterKey");
    // Send on the server and receive on the client are the same key (Magic3).
    const std::string_view magic = (is_send == is_server) ? kKeyMagic3 : kKeyMagic2;
    const std::array<std::uint8_t, kShaPadSize> pad1{};
    std::array<std::uint8_t, kShaPadSize> pad2{};
    pad2.fill(0xf2);
    SecureBytes digest = Sha1().update(master).update(pad1).update(magic).update(pad2).digest();
    digest.resize(16);
    return digest;
}

SecureBytes msk(ByteView nt_hash, ByteView nt_response) {
    SecureBytes hash_hash = hash_nt_password_hash(nt_hash);
    SecureBytes master = master_key(hash_hash.view(), nt_response);
    SecureBytes out = asymmetric_start_key(master.view(), /*is_send=*/false, /*is_server=*/true);
    out.append(asymmetric_start_key(master.view(), /*is_send=*/true, /*is_server=*/true).view());
    out.resize(kMskSize);  // zero padding, as strongSwan and Windows do
    return out;
}

std::string_view strip_domain(std::string_view name) {
    const auto backslash = name.find('\\');
    return backslash == std::string_view::npos ? name : name.substr(backslash + 1);
}

}  // namespace ikev2d::eap::mschapv2
