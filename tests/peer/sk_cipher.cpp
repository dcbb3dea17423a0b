#include "sk_cipher.hpp"

#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <nettle/gcm.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>

#include <stdexcept>

namespace peer {
namespace {

constexpr std::size_t kBlock = 16, kIcv = 16, kGcmIv = 8, kGcmSalt = 4;

Bytes cbc_icv(ByteView integ_key, ByteView covered) {
    hmac_sha256_ctx ctx;
    hmac_sha256_set_key(&ctx, integ_key.size(), integ_key.data());
    hmac_sha256_update(&ctx, covered.size(), covered.data());
    Bytes icv(kIcv);
    hmac_sha256_digest(&ctx, kIcv, icv.data());  // HMAC-SHA2-256-128: the first 128 bits
    return icv;
}

void aes_encrypt(const void* ctx, std::size_t length, std::uint8_t* dst, const std::uint8_t* src) {
    aes256_encrypt(static_cast<const aes256_ctx*>(ctx), length, dst, src);
}
void aes_decrypt(const void* ctx, std::size_t length, std::uint8_t* dst, const std::uint8_t* src) {
    aes256_decrypt(static_cast<const aes256_ctx*>(ctx), length, dst, src);
}

}  // namespace

std::size_t sk_encr_key_size(SkCipher c) { return c == SkCipher::AesGcm16_256 ? 32 + kGcmSalt : 32; }
std::size_t sk_integ_key_size(SkCipher c) { return c == SkCipher::AesGcm16_256 ? 0 : 32; }
std::size_t sk_iv_size(SkCipher c) { return c == SkCipher::AesGcm16_256 ? kGcmIv : kBlock; }
std::size_t sk_icv_size(SkCipher) { return kIcv; }

std::size_t sk_sealed_size(SkCipher c, std::size_t n) {
    if (c == SkCipher::AesGcm16_256) return kGcmIv + n + 1 + kIcv;
    return kBlock + (n + 1 + kBlock - 1) / kBlock * kBlock + kIcv;
}

Bytes sk_seal(SkCipher c, ByteView encr_key, ByteView integ_key, ByteView preceding, ByteView plaintext) {
    if (encr_key.size() != sk_encr_key_size(c) || integ_key.size() != sk_integ_key_size(c))
        throw std::invalid_argument("SK key sizes");
    Bytes padded(plaintext.begin(), plaintext.end());
    if (c == SkCipher::AesGcm16_256) {
        padded.push_back(0);  // Pad Length 0
        Bytes iv = random_bytes(kGcmIv);
        Bytes nonce(encr_key.end() - kGcmSalt, encr_key.end());
        append(nonce, iv);
        gcm_aes256_ctx ctx;
        gcm_aes256_set_key(&ctx, encr_key.data());
        gcm_aes256_set_iv(&ctx, nonce.size(), nonce.data());
        gcm_aes256_update(&ctx, preceding.size(), preceding.data());
        Bytes out = iv;
        out.resize(kGcmIv + padded.size());
        gcm_aes256_encrypt(&ctx, padded.size(), out.data() + kGcmIv, padded.data());
        Bytes tag(kIcv);
        gcm_aes256_digest(&ctx, kIcv, tag.data());
        append(out, tag);
        return out;
    }
    const std::size_t pad = (kBlock - (padded.size() + 1) % kBlock) % kBlock;
    padded.insert(padded.end(), pad, 0);
    padded.push_back(static_cast<std::uint8_t>(pad));
    Bytes iv = random_bytes(kBlock);
    aes256_ctx aes;
    aes256_set_encrypt_key(&aes, encr_key.data());
    Bytes out = iv;
    out.resize(kBlock + padded.size());
    Bytes chain = iv;
    cbc_encrypt(&aes, aes_encrypt, kBlock, chain.data(), padded.size(),
                out.data() + kBlock, padded.data());
    Bytes icv = cbc_icv(integ_key, concat({preceding, out}));
    append(out, icv);
    return out;
}

std::optional<Bytes> sk_open(SkCipher c, ByteView encr_key, ByteView integ_key, ByteView preceding, ByteView body) {
    if (encr_key.size() != sk_encr_key_size(c) || integ_key.size() != sk_integ_key_size(c)) return std::nullopt;
    if (c == SkCipher::AesGcm16_256) {
        if (body.size() < kGcmIv + 1 + kIcv) return std::nullopt;
        Bytes nonce(encr_key.end() - kGcmSalt, encr_key.end());
        nonce.insert(nonce.end(), body.begin(), body.begin() + kGcmIv);
        const std::size_t n = body.size() - kGcmIv - kIcv;
        gcm_aes256_ctx ctx;
        gcm_aes256_set_key(&ctx, encr_key.data());
        gcm_aes256_set_iv(&ctx, nonce.size(), nonce.data());
        gcm_aes256_update(&ctx, preceding.size(), preceding.data());
        Bytes plain(n);
        gcm_aes256_decrypt(&ctx, n, plain.data(), body.data() + kGcmIv);
        Bytes tag(kIcv);
        gcm_aes256_digest(&ctx, kIcv, tag.data());
        if (!memeql_sec(tag.data(), body.data() + kGcmIv + n, kIcv)) return std::nullopt;
        const std::size_t pad = plain.back();
        if (pad + 1 > plain.size()) return std::nullopt;
        plain.resize(plain.size() - pad - 1);
        return plain;
    }
    if (body.size() < kBlock + kBlock + kIcv || (body.size() - kBlock - kIcv) % kBlock) return std::nullopt;
    const std::size_t n = body.size() - kBlock - kIcv;
    Bytes icv = cbc_icv(integ_key, concat({preceding, body.first(kBlock + n)}));
    if (!memeql_sec(icv.data(), body.data() + kBlock + n, kIcv)) return std::nullopt;
    aes256_ctx aes;
    aes256_set_decrypt_key(&aes, encr_key.data());
    Bytes chain(body.begin(), body.begin() + kBlock);
    Bytes plain(n);
    cbc_decrypt(&aes, aes_decrypt, kBlock, chain.data(), n, plain.data(),
                body.data() + kBlock);
    const std::size_t pad = plain.back();
    if (pad + 1 > plain.size()) return std::nullopt;
    plain.resize(plain.size() - pad - 1);
    return plain;
}

}  // namespace peer
