#include "kdf.hpp"

#include <nettle/hmac.h>

#include <stdexcept>

namespace peer {

std::size_t prf_size(PrfAlg alg) { return alg == PrfAlg::HmacSha1 ? SHA1_DIGEST_SIZE : SHA256_DIGEST_SIZE; }

Bytes prf(PrfAlg alg, ByteView key, ByteView data) {
    Bytes out(prf_size(alg));
    if (alg == PrfAlg::HmacSha1) {
        hmac_sha1_ctx ctx;
        hmac_sha1_set_key(&ctx, key.size(), key.data());
        hmac_sha1_update(&ctx, data.size(), data.data());
        hmac_sha1_digest(&ctx, out.size(), out.data());
    } else {
        hmac_sha256_ctx ctx;
        hmac_sha256_set_key(&ctx, key.size(), key.data());
        hmac_sha256_update(&ctx, data.size(), data.data());
        hmac_sha256_digest(&ctx, out.size(), out.data());
    }
    return out;
}

Bytes prf_plus(PrfAlg alg, ByteView key, ByteView seed, std::size_t length) {
    if (length > 255 * prf_size(alg)) throw std::length_error("prf+ output too long");
    Bytes out, t;
    for (std::uint8_t n = 1; out.size() < length; ++n) {
        Bytes input = t;
        append(input, seed);
        input.push_back(n);
        t = prf(alg, key, input);
        append(out, t);
    }
    out.resize(length);
    return out;
}

Bytes skeyseed(PrfAlg alg, ByteView ni, ByteView nr, ByteView shared_secret) {
    return prf(alg, concat({ni, nr}), shared_secret);
}

IkeKeys::~IkeKeys() {
    for (Bytes* b : {&d, &ai, &ar, &ei, &er, &pi, &pr}) wipe(*b);
}

IkeKeys derive_ike_keys(PrfAlg alg, ByteView seed_key, ByteView ni, ByteView nr, std::uint64_t spi_i,
                        std::uint64_t spi_r, std::size_t integ_key_len, std::size_t encr_key_len) {
    Bytes seed = concat({ni, nr});
    put64(seed, spi_i);
    put64(seed, spi_r);
    const std::size_t p = prf_size(alg);
    Bytes stream = prf_plus(alg, seed_key, seed, 3 * p + 2 * integ_key_len + 2 * encr_key_len);
    std::size_t pos = 0;
    auto take = [&](std::size_t n) {
        Bytes part(stream.begin() + static_cast<std::ptrdiff_t>(pos), stream.begin() + static_cast<std::ptrdiff_t>(pos + n));
        pos += n;
        return part;
    };
    IkeKeys k;
    k.d = take(p);
    k.ai = take(integ_key_len);
    k.ar = take(integ_key_len);
    k.ei = take(encr_key_len);
    k.er = take(encr_key_len);
    k.pi = take(p);
    k.pr = take(p);
    wipe(stream);
    return k;
}

}  // namespace peer
