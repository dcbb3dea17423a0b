// libFuzzer target for SK/SKF body decryption (crypto/sk_crypter.hpp): with fixed keys,
// opening arbitrary bodies must never crash and practically never succeed; sealing the
// input and opening the result must give the input back. A successful open feeds the
// plaintext to the payload parser, as the daemon would.
#include <cstdlib>
#include <memory>
#include <vector>

#include "crypto/sk_crypter.hpp"
#include "wire/parser.hpp"

using namespace ikev2d;
using iana::EncrId;
using iana::IntegId;

namespace {

struct Suite {
    EncrId encr;
    uint16_t key_bits;
    IntegId integ;
};
constexpr Suite kSuites[] = {
    {EncrId::AES_CBC, 128, IntegId::HMAC_SHA1_96},       {EncrId::AES_CBC, 256, IntegId::HMAC_SHA2_256_128},
    {EncrId::AES_CBC, 192, IntegId::HMAC_SHA2_512_256},  {EncrId::TRIPLE_DES, 0, IntegId::HMAC_MD5_96},
    {EncrId::AES_GCM_16, 256, IntegId::NONE},            {EncrId::AES_GCM_8, 128, IntegId::NONE},
    {EncrId::CHACHA20_POLY1305, 0, IntegId::NONE},
};

struct Keyed {
    std::unique_ptr<crypto::SkCrypter> crypter;
    Bytes encr_key, integ_key;
};

const std::vector<Keyed>& crypters() {
    static const std::vector<Keyed> all = [] {
        std::vector<Keyed> v;
        for (const Suite& s : kSuites) {
            auto c = crypto::SkCrypter::create(s.encr, s.key_bits, s.integ);
            if (!c) continue;  // not built in: nothing to fuzz for it
            Bytes ek(c->encr_key_size(), 0x5a), ik(c->integ_key_size(), 0xa5);
            v.push_back({std::move(c), std::move(ek), std::move(ik)});
        }
        return v;
    }();
    return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto& all = crypters();
    if (size < 2 || all.empty()) return 0;
    const Keyed& k = all[data[0] % all.size()];
    const std::size_t associated_len = std::min<std::size_t>(data[1], size - 2);
    const ByteView associated(data + 2, associated_len);
    const ByteView body(data + 2 + associated_len, size - 2 - associated_len);

    if (auto plain = k.crypter->open(k.encr_key, k.integ_key, associated, body)) {
        (void)wire::parse_payloads(wire::PayloadType::Notify, plain->view());
    }
    const Bytes sealed = k.crypter->seal(k.encr_key, k.integ_key, associated, body);
    if (sealed.size() != k.crypter->sealed_size(body.size())) std::abort();
    auto opened = k.crypter->open(k.encr_key, k.integ_key, associated, sealed);
    if (!opened || !ct_equal(opened->view(), body)) std::abort();
    return 0;
}
