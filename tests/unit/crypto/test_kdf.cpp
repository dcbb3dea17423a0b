// IKEv2 key derivation against NIST CAVP SP 800-135 (IKEv2 KDF, SHA-1, COUNT = 0),
// the same values as ../shared/vectors/ikev2-kdf-sp800-135-sha1.txt.
#include <catch2/catch.hpp>

#include "crypto/kdf.hpp"

using namespace ikev2d;
using namespace ikev2d::crypto;

namespace {
const Bytes kNi = from_hex("3651fef5c9c35e93");
const Bytes kNr = from_hex("c09a8b90a3f04d59");
const Bytes kGir = from_hex(
    "d084a30166a50fb7325c3960874a839449ef9741c2f4f947d0201dd8c1269273d79509f37e3ca3eb4fa2fe2a28254e289cd3f34dad4eb4df"
    "1a07685a4b8a94fa61e2491f7598b3ce65547ff133b3f63d1ac4175eaa695033f3cedb026a6873a36455172a8540b8a5d23a0143bed0390e"
    "e49b168269d75fffee9fb62be965993c");
const Bytes kGirNew = from_hex(
    "52f00ab174c25d5b7139ae5ff4e8e9eddee5992d2e36adf8a559ffd90dab1442e4fbe429d320c0f33552a17d1557fa41ea70e8fb916c4fa2"
    "7ed52b5f8ebd8461afa78f1159159a64055ac5f6319e29c28eae58cbc6847770f32c3fed1d04750484f854790f95e9ec01bc5bc461f24966"
    "462e359511329305038e94deb6dd42c2");
constexpr std::uint64_t kSpiI = 0x8e5c3ae507221684;
constexpr std::uint64_t kSpiR = 0xb1f201bb155c3acd;
const char* const kSkeyseed = "cd2e8050137832245f1dbacc6e4f0a92f94d45d6";
const char* const kDkm =
    "6f1b12cad3cbe097b35430356d869d54cddb0198ec859174d53ceb92dddedbe2436db69f60977c58fa63bbb667f8d36920b109baae8f6c61a9"
    "ac49feda01843225d080ec5539d5881a25521ffb2a0a91874a9c0a27fcc2d717eb8963a9e3a89c7ab264757284c28cf8c3ca40576f4220b0"
    "52b1fb8e9ad60ba3c80557323331a8cbb89f20";
const char* const kChildDkm =
    "4727dc0ef94eb326ce131cf282fb652faa638ad0ddae3786a11bcc0309876009f8c485de011ad962c5b1ca8a41ff8145445749079c5686e2"
    "6ffebbc342f06981f3da745e11ca0976424d1f8caec623d59dc7186deb20a27b411d1dcb70a365440bf7de905088b0692e8addc094e18d19"
    "39bdb67e89798ca6b239e2ccb81c2409dac0106c";
const char* const kChildDkmDh =
    "b109c21ad4c0797768c1cec9e63554681e48f224bca7f23c20c4ea7041983451e9aa1d5408656c8a975ff1b9d9a12c75ffeb64bdecb30174"
    "664cccb4e14f1c377b7f6d1525af77c7092aac3e47f917ebae8297fb5539d2008ce830823a09cc197361d4a289c72745f6ce9fefe812be5b"
    "f55b3200fbb82e41a4a40877d3fe106db909707b";
const char* const kRekeySkeyseed = "3b03bce748c96d5e8306918d2ff89b68f0648da3";
constexpr std::size_t kDkmLen = 132;
}  // namespace

TEST_CASE("SKEYSEED, DKM, child DKM and rekey SKEYSEED match NIST CAVP SP 800-135", "[crypto][kdf]") {
    auto prf = Prf::create(iana::PrfId::HMAC_SHA1);
    REQUIRE(prf);

    SecureBytes skeyseed = ike_skeyseed(*prf, kNi, kNr, kGir);
    CHECK(to_hex(skeyseed) == kSkeyseed);

    // The DKM is prf+(SKEYSEED, Ni | Nr | SPIi | SPIr); ike_derive_keys slices it in order
    // SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr. 132 = 3*20 + 2*20 + 2*16.
    IkeSaKeys keys = ike_derive_keys(*prf, skeyseed, kNi, kNr, kSpiI, kSpiR, 20, 16);
    SecureBytes joined;
    for (const SecureBytes* part : {&keys.sk_d, &keys.sk_ai, &keys.sk_ar, &keys.sk_ei, &keys.sk_er, &keys.sk_pi,
                                    &keys.sk_pr})
        joined.append(part->view());
    REQUIRE(joined.size() == kDkmLen);
    CHECK(to_hex(joined) == kDkm);
    CHECK(keys.sk_d.size() == 20);
    CHECK(keys.sk_ai.size() == 20);
    CHECK(keys.sk_ei.size() == 16);
    CHECK(keys.sk_pr.size() == 20);

    // SK_d is the first PRF-output-size bytes of the DKM.
    CHECK(to_hex(child_keymat(*prf, keys.sk_d, {}, kNi, kNr, kDkmLen)) == kChildDkm);
    CHECK(to_hex(child_keymat(*prf, keys.sk_d, kGirNew, kNi, kNr, kDkmLen)) == kChildDkmDh);
    CHECK(to_hex(rekey_skeyseed(*prf, keys.sk_d, kGirNew, kNi, kNr)) == kRekeySkeyseed);
}

TEST_CASE("AEAD key derivation has no integrity keys", "[crypto][kdf]") {
    auto prf = Prf::create(iana::PrfId::HMAC_SHA1);
    REQUIRE(prf);
    SecureBytes skeyseed = ike_skeyseed(*prf, kNi, kNr, kGir);
    IkeSaKeys keys = ike_derive_keys(*prf, skeyseed, kNi, kNr, kSpiI, kSpiR, 0, 36);
    CHECK(keys.sk_ai.empty());
    CHECK(keys.sk_ar.empty());
    // Same prf+ stream: SK_d first, then SK_ei directly after it.
    const std::string dkm = kDkm;
    CHECK(to_hex(keys.sk_d) == dkm.substr(0, 40));
    CHECK(to_hex(keys.sk_ei) == dkm.substr(40, 72));
}
