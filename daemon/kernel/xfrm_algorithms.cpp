// Algorithm name table. ICV/truncation lengths: RFC 4106 (GCM), RFC 4309 (CCM),
// RFC 7634 (ChaCha20-Poly1305, 16-byte tag), RFC 2404 (HMAC-SHA1-96), RFC 4868 (SHA-2).
#include "kernel/xfrm_algorithms.hpp"

namespace ikev2d::kernel {

using iana::EncrId;
using iana::IntegId;

std::optional<KernelCipher> kernel_cipher(EncrId id) noexcept {
    switch (id) {
        case EncrId::AES_CBC: return KernelCipher{"cbc(aes)", false, 0, 0, true, 0};
        case EncrId::TRIPLE_DES: return KernelCipher{"cbc(des3_ede)", false, 0, 0, false, 192};
        case EncrId::AES_CTR: return KernelCipher{"rfc3686(ctr(aes))", false, 0, 4, true, 0};
        case EncrId::NULL_ENCR: return KernelCipher{"ecb(cipher_null)", false, 0, 0, false, 0};
        case EncrId::AES_GCM_8: return KernelCipher{"rfc4106(gcm(aes))", true, 64, 4, true, 0};
        case EncrId::AES_GCM_12: return KernelCipher{"rfc4106(gcm(aes))", true, 96, 4, true, 0};
        case EncrId::AES_GCM_16: return KernelCipher{"rfc4106(gcm(aes))", true, 128, 4, true, 0};
        case EncrId::AES_CCM_8: return KernelCipher{"rfc4309(ccm(aes))", true, 64, 3, true, 0};
        case EncrId::AES_CCM_12: return KernelCipher{"rfc4309(ccm(aes))", true, 96, 3, true, 0};
        case EncrId::AES_CCM_16: return KernelCipher{"rfc4309(ccm(aes))", true, 128, 3, true, 0};
        case EncrId::CHACHA20_POLY1305: return KernelCipher{"rfc7539esp(chacha20,poly1305)", true, 128, 4, false, 256};
        case EncrId::DES: break;
    }
    return std::nullopt;
}

std::optional<KernelIntegrity> kernel_integrity(IntegId id) noexcept {
    switch (id) {
        case IntegId::HMAC_MD5_96: return KernelIntegrity{"hmac(md5)", 96, 128};
        case IntegId::HMAC_SHA1_96: return KernelIntegrity{"hmac(sha1)", 96, 160};
        case IntegId::AES_XCBC_96: return KernelIntegrity{"xcbc(aes)", 96, 128};
        case IntegId::HMAC_SHA2_256_128: return KernelIntegrity{"hmac(sha256)", 128, 256};
        case IntegId::HMAC_SHA2_384_192: return KernelIntegrity{"hmac(sha384)", 192, 384};
        case IntegId::HMAC_SHA2_512_256: return KernelIntegrity{"hmac(sha512)", 256, 512};
        case IntegId::NONE: break;
    }
    return std::nullopt;
}

}  // namespace ikev2d::kernel
