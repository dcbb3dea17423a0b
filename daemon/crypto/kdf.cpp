#include "crypto/kdf.hpp"

namespace ikev2d::crypto {

namespace {

void append_u64(SecureBytes& out, std::uint64_t v) {
    std::uint8_t raw[8];
    for (int i = 7; i >= 0; --i, v >>= 8) raw[i] = static_cast<std::uint8_t>(v);
    out.append(raw);
}

SecureBytes take(ByteView keymat, std::size_t& offset, std::size_t n) {
    SecureBytes part(keymat.subspan(offset, n));
    offset += n;
    return part;
}

}  // namespace

SecureBytes ike_skeyseed(const Prf& prf, ByteView ni, ByteView nr, ByteView shared_secret) {
    SecureBytes key;
    key.append(ni);
    key.append(nr);
    return prf.compute(key.view(), shared_secret);
}

IkeSaKeys ike_derive_keys(const Prf& prf, ByteView skeyseed, ByteView ni, ByteView nr, std::uint64_t spi_i,
                          std::uint64_t spi_r, std::size_t integ_key_len, std::size_t encr_key_len) {
    SecureBytes seed;
    seed.append(ni);
    seed.append(nr);
    append_u64(seed, spi_i);
    append_u64(seed, spi_r);

    const std::size_t prf_len = prf.key_size();
    const std::size_t total = 3 * prf_len + 2 * integ_key_len + 2 * encr_key_len;
    SecureBytes keymat = prf.plus(skeyseed, seed.view(), total);

    std::size_t offset = 0;
    IkeSaKeys keys;
    keys.sk_d = take(keymat, offset, prf_len);
    keys.sk_ai = take(keymat, offset, integ_key_len);
    keys.sk_ar = take(keymat, offset, integ_key_len);
    keys.sk_ei = take(keymat, offset, encr_key_len);
    keys.sk_er = take(keymat, offset, encr_key_len);
    keys.sk_pi = take(keymat, offset, prf_len);
    keys.sk_pr = take(keymat, offset, prf_len);
    return keys;
}

SecureBytes child_keymat(const Prf& prf, ByteView sk_d, ByteView shared_secret_or_empty, ByteView ni, ByteView nr,
                         std::size_t length) {
    SecureBytes seed;
    seed.append(shared_secret_or_empty);
    seed.append(ni);
    seed.append(nr);
    return prf.plus(sk_d, seed.view(), length);
}

SecureBytes rekey_skeyseed(const Prf& old_prf, ByteView old_sk_d, ByteView shared, ByteView ni, ByteView nr) {
    SecureBytes data;
    data.append(shared);
    data.append(ni);
    data.append(nr);
    return old_prf.compute(old_sk_d, data.view());
}

}  // namespace ikev2d::crypto
