#include "aaa/mppe_key.hpp"

#include <nettle/md5.h>

#include <array>

namespace ikev2d::aaa {

std::optional<SecureBytes> decrypt_mppe_key(ByteView value, std::string_view secret, ByteView request_authenticator) {
    constexpr std::size_t kBlock = MD5_DIGEST_SIZE;
    if (value.size() < 2 + kBlock || (value.size() - 2) % kBlock != 0) return std::nullopt;
    if ((value[0] & 0x80) == 0) return std::nullopt;  // RFC 2548: the salt's high bit is set
    if (request_authenticator.size() != 16) return std::nullopt;
    const ByteView salt = value.first(2);
    const ByteView cipher = value.subspan(2);
    SecureBytes plain(cipher.size());
    // b(1) = MD5(S + R + A), c(i) = p(i) xor b(i); b(i) = MD5(S + c(i-1)).
    std::array<std::uint8_t, kBlock> b{};
    for (std::size_t off = 0; off < cipher.size(); off += kBlock) {
        md5_ctx ctx;
        md5_init(&ctx);
        md5_update(&ctx, secret.size(), reinterpret_cast<const std::uint8_t*>(secret.data()));
        if (off == 0) {
            md5_update(&ctx, request_authenticator.size(), request_authenticator.data());
            md5_update(&ctx, salt.size(), salt.data());
        } else {
            md5_update(&ctx, kBlock, cipher.data() + off - kBlock);
        }
        md5_digest(&ctx, b.size(), b.data());
        for (std::size_t i = 0; i < kBlock; ++i) plain[off + i] = cipher[off + i] ^ b[i];
    }
    secure_wipe(b.data(), b.size());
    const std::size_t key_length = plain[0];
    if (key_length == 0 || key_length + 1 > plain.size()) return std::nullopt;
    return SecureBytes(plain.subview(1, key_length));
}

}  // namespace ikev2d::aaa
