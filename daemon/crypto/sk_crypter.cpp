#include "crypto/sk_crypter.hpp"

#include <algorithm>
#include <string>

#include "crypto/aead_cipher.hpp"
#include "crypto/algorithms.hpp"
#include "crypto/cbc_cipher.hpp"
#include "crypto/integrity.hpp"
#include "crypto/random.hpp"

namespace ikev2d::crypto {

namespace {

// plaintext | zero padding | pad length, aligned to `block` (RFC 7296 3.14: minimum padding).
SecureBytes pad(ByteView plaintext, std::size_t block) {
    const std::size_t padded = (plaintext.size() + 1 + block - 1) / block * block;
    const std::size_t pad_len = padded - plaintext.size() - 1;  // < block <= 16, fits one octet
    SecureBytes out(padded);
    std::copy(plaintext.begin(), plaintext.end(), out.data());
    out[padded - 1] = static_cast<std::uint8_t>(pad_len);
    return out;
}

// Strips padding and the pad-length byte; nullopt if the pad length exceeds the data.
std::optional<SecureBytes> unpad(SecureBytes padded) {
    if (padded.empty()) return std::nullopt;
    const std::size_t pad_len = padded[padded.size() - 1];
    if (pad_len + 1 > padded.size()) return std::nullopt;
    padded.resize(padded.size() - pad_len - 1);
    return padded;
}

void check_key(ByteView key, std::size_t expected, const char* what) {
    if (key.size() != expected) throw CryptoError(std::string("sk: wrong ") + what + " key size");
}

class CbcSkCrypter final : public SkCrypter {
public:
    CbcSkCrypter(const EncrInfo& info, std::size_t key_size, std::unique_ptr<Integrity> integ)
        : info_(info), key_size_(key_size), integ_(std::move(integ)) {}

    bool is_aead() const override { return false; }
    std::size_t encr_key_size() const override { return key_size_; }
    std::size_t integ_key_size() const override { return integ_->key_size(); }
    std::size_t iv_size() const override { return info_.iv_size; }
    std::size_t icv_size() const override { return integ_->icv_size(); }
    std::size_t block_size() const override { return info_.block_size; }

    Bytes seal(ByteView encr_key, ByteView integ_key, ByteView associated, ByteView plaintext) const override {
        check_key(encr_key, key_size_, "encryption");
        check_key(integ_key, integ_->key_size(), "integrity");
        Bytes body(info_.iv_size);
        random_bytes(body);  // CBC needs an unpredictable IV, not just a unique one
        SecureBytes padded = pad(plaintext, info_.block_size);
        append(body, cbc_encrypt(info_.id, encr_key, ByteView(body), padded.view()));
        append(body, integ_->compute(integ_key, authenticated(associated, body)));
        return body;
    }

    std::optional<SecureBytes> open(ByteView encr_key, ByteView integ_key, ByteView associated,
                                    ByteView body) const override {
        check_key(encr_key, key_size_, "encryption");
        check_key(integ_key, integ_->key_size(), "integrity");
        const std::size_t overhead = info_.iv_size + integ_->icv_size();
        if (body.size() < overhead + info_.block_size) return std::nullopt;
        const std::size_t ct_len = body.size() - overhead;
        if (ct_len % info_.block_size != 0) return std::nullopt;

        ByteView protected_part = body.first(info_.iv_size + ct_len);
        ByteView icv = body.subspan(info_.iv_size + ct_len);
        // Verify before decrypting: no padding oracle, no work on forged data.
        if (!integ_->verify(integ_key, authenticated(associated, protected_part), icv)) return std::nullopt;
        return unpad(cbc_decrypt(info_.id, encr_key, body.first(info_.iv_size), body.subspan(info_.iv_size, ct_len)));
    }

private:
    static Bytes authenticated(ByteView associated, ByteView iv_and_ciphertext) {
        Bytes data(associated.begin(), associated.end());
        append(data, iv_and_ciphertext);
        return data;
    }

    const EncrInfo& info_;
    std::size_t key_size_;
    std::unique_ptr<Integrity> integ_;
};

class AeadSkCrypter final : public SkCrypter {
public:
    AeadSkCrypter(const EncrInfo& info, std::size_t key_size) : info_(info), key_size_(key_size) {}

    bool is_aead() const override { return true; }
    std::size_t encr_key_size() const override { return key_size_; }
    std::size_t integ_key_size() const override { return 0; }
    std::size_t iv_size() const override { return info_.iv_size; }
    std::size_t icv_size() const override { return info_.icv_size; }
    std::size_t block_size() const override { return info_.block_size; }

    Bytes seal(ByteView encr_key, ByteView integ_key, ByteView associated, ByteView plaintext) const override {
        check_key(encr_key, key_size_, "encryption");
        check_key(integ_key, 0, "integrity");
        Bytes body = random_nonce(info_.iv_size);  // the IV must be unique; it need not be secret
        SecureBytes padded = pad(plaintext, info_.block_size);
        append(body, aead_encrypt(info_.id, cipher_key(encr_key), nonce(encr_key, body), associated, padded.view()));
        return body;
    }

    std::optional<SecureBytes> open(ByteView encr_key, ByteView integ_key, ByteView associated,
                                    ByteView body) const override {
        check_key(encr_key, key_size_, "encryption");
        check_key(integ_key, 0, "integrity");
        if (body.size() < info_.iv_size + 1 + info_.icv_size) return std::nullopt;  // at least the pad length
        ByteView iv = body.first(info_.iv_size);
        auto padded = aead_decrypt(info_.id, cipher_key(encr_key), nonce(encr_key, iv), associated,
                                   body.subspan(info_.iv_size));
        if (!padded) return std::nullopt;
        return unpad(std::move(*padded));
    }

private:
    ByteView cipher_key(ByteView encr_key) const { return encr_key.first(key_size_ - info_.salt_size); }

    // salt (the last bytes of the key material) | IV
    Bytes nonce(ByteView encr_key, ByteView iv) const {
        Bytes n(encr_key.end() - static_cast<std::ptrdiff_t>(info_.salt_size), encr_key.end());
        append(n, iv.first(info_.iv_size));
        return n;
    }

    const EncrInfo& info_;
    std::size_t key_size_;
};

}  // namespace

SkCrypter::~SkCrypter() = default;

std::unique_ptr<SkCrypter> SkCrypter::create(iana::EncrId encr, std::uint16_t key_bits, iana::IntegId integ) {
    const EncrInfo* info = encr_info(encr);
    if (!info || !encr_key_bits_valid(encr, key_bits)) return nullptr;
    const std::size_t key_size = encr_keymat_size(encr, key_bits);
    if (info->aead) {
        if (integ != iana::IntegId::NONE) return nullptr;  // RFC 5282 8: AEAD proposals carry no integrity
        return std::make_unique<AeadSkCrypter>(*info, key_size);
    }
    auto integrity = Integrity::create(integ);
    if (!integrity) return nullptr;
    return std::make_unique<CbcSkCrypter>(*info, key_size, std::move(integrity));
}

std::size_t SkCrypter::sealed_size(std::size_t plaintext_len) const {
    const std::size_t block = block_size();
    const std::size_t padded = (plaintext_len + 1 + block - 1) / block * block;
    return iv_size() + padded + icv_size();
}

std::size_t SkCrypter::max_plaintext(std::size_t body_len) const {
    const std::size_t overhead = iv_size() + icv_size();
    if (body_len <= overhead) return 0;
    const std::size_t padded = (body_len - overhead) / block_size() * block_size();
    return padded == 0 ? 0 : padded - 1;
}

}  // namespace ikev2d::crypto
