#include "config/nt_hash.hpp"

#include <nettle/md4.h>

#include <stdexcept>

#include "util/bytes.hpp"

namespace ikev2d::config {
namespace {

// Decodes UTF-8 (rejecting overlong forms, surrogates and values above U+10FFFF) and
// appends the UTF-16LE code units to out.
void append_utf16le(std::string_view utf8, SecureBytes& out) {
    auto put_unit = [&out](std::uint32_t unit) {
        const std::uint8_t le[2] = {static_cast<std::uint8_t>(unit & 0xff), static_cast<std::uint8_t>(unit >> 8)};
        out.append(ByteView(le, 2));
    };
    std::size_t i = 0;
    while (i < utf8.size()) {
        const auto lead = static_cast<std::uint8_t>(utf8[i]);
        std::size_t extra = 0;
        std::uint32_t cp = 0, min = 0;
        if (lead < 0x80) { cp = lead; extra = 0; min = 0; }
        else if ((lead & 0xe0) == 0xc0) { cp = lead & 0x1fu; extra = 1; min = 0x80; }
        else if ((lead & 0xf0) == 0xe0) { cp = lead & 0x0fu; extra = 2; min = 0x800; }
        else if ((lead & 0xf8) == 0xf0) { cp = lead & 0x07u; extra = 3; min = 0x10000; }
        else throw std::invalid_argument("password is not valid UTF-8 (bad lead byte)");
        if (extra > utf8.size() - i - 1) throw std::invalid_argument("password is not valid UTF-8 (truncated sequence)");
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto cont = static_cast<std::uint8_t>(utf8[i + k]);
            if ((cont & 0xc0) != 0x80) throw std::invalid_argument("password is not valid UTF-8 (bad continuation byte)");
            cp = (cp << 6) | (cont & 0x3fu);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            throw std::invalid_argument("password is not valid UTF-8 (overlong form or invalid code point)");
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put_unit(0xd800 + (cp >> 10));
            put_unit(0xdc00 + (cp & 0x3ff));
        } else {
            put_unit(cp);
        }
        i += extra + 1;
    }
}

}  // namespace

NtHash nt_hash(std::string_view password) {
    SecureBytes unicode;  // the UTF-16 form is as secret as the password
    append_utf16le(password, unicode);
    md4_ctx ctx;
    md4_init(&ctx);
    md4_update(&ctx, unicode.size(), unicode.data());
    NtHash out{};
    md4_digest(&ctx, out.size(), out.data());
    secure_wipe(&ctx, sizeof ctx);
    return out;
}

std::string nt_hash_hex(std::string_view password) {
    NtHash h = nt_hash(password);
    std::string hex = to_hex(ByteView(h.data(), h.size()));
    secure_wipe(h.data(), h.size());
    return hex;
}

}  // namespace ikev2d::config
