// Known-answer tests of the independent test initiator's primitives (tests/peer): its
// prf/prf+/key derivation against NIST CAVP SP 800-135, HMAC against RFC 4231, X25519
// against RFC 7748, AES-GCM against the GCM specification's test case 14; plus the
// refusals the adversarial suite relies on (all-zero X25519 results, off-curve points,
// tampered SK bodies, lying lengths).
#include <catch2/catch.hpp>

#include <algorithm>

#include "codec.hpp"
#include "eap_client.hpp"
#include "eap_mschapv2.hpp"
#include "iana.hpp"
#include "kdf.hpp"
#include "key_exchange.hpp"
#include "payloads.hpp"
#include "sk_cipher.hpp"

using namespace peer;

TEST_CASE("prf is HMAC (RFC 4231 test cases 1 and 2; RFC 2202 for SHA-1)", "[peer]") {
    CHECK(to_hex(prf(PrfAlg::HmacSha256, Bytes(20, 0x0b), as_bytes("Hi There"))) ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    CHECK(to_hex(prf(PrfAlg::HmacSha256, as_bytes("Jefe"), as_bytes("what do ya want for nothing?"))) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(to_hex(prf(PrfAlg::HmacSha1, as_bytes("Jefe"), as_bytes("what do ya want for nothing?"))) ==
          "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

// NIST CAVP SP 800-135 IKEv2 KDF, [SHA-1], COUNT = 0 (shared/vectors/ikev2-kdf-sp800-135-sha1.txt).
TEST_CASE("SKEYSEED, DKM and child DKM match NIST CAVP SP 800-135", "[peer]") {
    const Bytes ni = from_hex("3651fef5c9c35e93"), nr = from_hex("c09a8b90a3f04d59");
    const Bytes gir = from_hex(
        "d084a30166a50fb7325c3960874a839449ef9741c2f4f947d0201dd8c1269273d79509f37e3ca3eb4fa2fe2a28254e289cd3f34dad4eb4df"
        "1a07685a4b8a94fa61e2491f7598b3ce65547ff133b3f63d1ac4175eaa695033f3cedb026a6873a36455172a8540b8a5d23a0143bed0390e"
        "e49b168269d75fffee9fb62be965993c");
    const std::string dkm =
        "6f1b12cad3cbe097b35430356d869d54cddb0198ec859174d53ceb92dddedbe2436db69f60977c58fa63bbb667f8d36920b109baae8f6c61a9"
        "ac49feda01843225d080ec5539d5881a25521ffb2a0a91874a9c0a27fcc2d717eb8963a9e3a89c7ab264757284c28cf8c3ca40576f4220b0"
        "52b1fb8e9ad60ba3c80557323331a8cbb89f20";
    Bytes seed = skeyseed(PrfAlg::HmacSha1, ni, nr, gir);
    CHECK(to_hex(seed) == "cd2e8050137832245f1dbacc6e4f0a92f94d45d6");
    // 132 bytes = SK_d(20) SK_ai(20) SK_ar(20) SK_ei(16) SK_er(16) SK_pi(20) SK_pr(20).
    IkeKeys k = derive_ike_keys(PrfAlg::HmacSha1, seed, ni, nr, 0x8e5c3ae507221684, 0xb1f201bb155c3acd, 20, 16);
    Bytes joined = concat({k.d, k.ai, k.ar, k.ei, k.er, k.pi, k.pr});
    CHECK(to_hex(joined) == dkm);
    CHECK(to_hex(k.pr) == dkm.substr(2 * 112, 40));
    // Child SA DKM = prf+(SK_d, Ni | Nr).
    CHECK(to_hex(prf_plus(PrfAlg::HmacSha1, k.d, concat({ni, nr}), 132)) ==
          "4727dc0ef94eb326ce131cf282fb652faa638ad0ddae3786a11bcc0309876009f8c485de011ad962c5b1ca8a41ff8145445749079c5686e2"
          "6ffebbc342f06981f3da745e11ca0976424d1f8caec623d59dc7186deb20a27b411d1dcb70a365440bf7de905088b0692e8addc094e18d19"
          "39bdb67e89798ca6b239e2ccb81c2409dac0106c");
}

TEST_CASE("X25519 matches RFC 7748 6.1 and refuses all-zero results", "[peer]") {
    auto alice = KeyExchange::x25519_from_secret(from_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    REQUIRE(alice);
    CHECK(to_hex(alice->public_value()) == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    auto shared = alice->shared_secret(from_hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"));
    REQUIRE(shared);
    CHECK(to_hex(*shared) == "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    CHECK_FALSE(alice->shared_secret(Bytes(32, 0)));  // a low-order point
    CHECK_FALSE(alice->shared_secret(Bytes(31, 9)));
}

TEST_CASE("ECP-256 peers agree; off-curve points are refused", "[peer]") {
    auto a = KeyExchange::create(iana::kDhEcp256), b = KeyExchange::create(iana::kDhEcp256);
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(a->public_value().size() == 64);
    auto s1 = a->shared_secret(b->public_value()), s2 = b->shared_secret(a->public_value());
    REQUIRE(s1);
    REQUIRE(s2);
    CHECK(*s1 == *s2);
    Bytes bad = b->public_value();
    bad[63] ^= 1;
    CHECK_FALSE(a->shared_secret(bad));
    CHECK_FALSE(a->shared_secret(Bytes(64, 0)));
}

TEST_CASE("AES-GCM SK body decrypts the GCM specification's test case 14", "[peer]") {
    // K = 0^256, IV (salt | explicit IV) = 0^96, P = 0^128: C and T from the GCM spec.
    Bytes body = Bytes(8, 0);
    append(body, from_hex("cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"));
    auto plain = sk_open(SkCipher::AesGcm16_256, Bytes(36, 0), {}, {}, body);
    REQUIRE(plain);
    CHECK(*plain == Bytes(15, 0));  // the last zero byte is the Pad Length
    body[20] ^= 1;
    CHECK_FALSE(sk_open(SkCipher::AesGcm16_256, Bytes(36, 0), {}, {}, body));
}

TEST_CASE("SK bodies round-trip and any flipped bit is refused", "[peer]") {
    for (SkCipher c : {SkCipher::AesCbc256HmacSha256, SkCipher::AesGcm16_256}) {
        Bytes ke = random_bytes(sk_encr_key_size(c)), ka = random_bytes(sk_integ_key_size(c));
        Bytes preceding = random_bytes(32), plain = as_bytes("inner payloads of some length");
        Bytes body = sk_seal(c, ke, ka, preceding, plain);
        CHECK(body.size() == sk_sealed_size(c, plain.size()));
        auto back = sk_open(c, ke, ka, preceding, body);
        REQUIRE(back);
        CHECK(*back == plain);
        for (std::size_t i = 0; i < body.size(); i += 7) {
            Bytes t = body;
            t[i] ^= 0x40;
            CHECK_FALSE(sk_open(c, ke, ka, preceding, t));
        }
        preceding[3] ^= 1;
        CHECK_FALSE(sk_open(c, ke, ka, preceding, body));
    }
}

TEST_CASE("codec round-trips and refuses lying lengths", "[peer]") {
    Header h;
    h.spi_i = 0x0102030405060708;
    h.exchange = iana::kIkeSaInit;
    h.flags = iana::kFlagInitiator;
    std::vector<Payload> p{make_payload(iana::kNonce, Bytes(32, 7)),
                           make_payload(iana::kNotify, notify_body(iana::kCookie, Bytes(8, 1)))};
    Bytes wire = encode_message(h, p);
    REQUIRE(wire.size() == 28 + 36 + 16);
    auto m = decode_message(wire);
    REQUIRE(m);
    REQUIRE(m->payloads.size() == 2);
    CHECK(m->payloads[1].type == iana::kNotify);
    CHECK(parse_notify(m->payloads[1].body)->type == iana::kCookie);
    Bytes shorter(wire.begin(), wire.end() - 1);
    CHECK_FALSE(decode_message(shorter));
    Bytes lying = wire;
    lying[28 + 3] = 3;  // first payload length 3 < 4
    CHECK_FALSE(decode_message(lying));
    auto sa = parse_sa(sa_body({Proposal{1, 1, {}, {{1, 20, 256, {}}, {2, 5, std::nullopt, {}}, {4, 31, std::nullopt, {}}}}}));
    REQUIRE(sa);
    REQUIRE(sa->front().transforms.size() == 3);
    CHECK(sa->front().transforms[0].key_bits == 256);
}

TEST_CASE("EAP-MD5 answers Identity and MD5-Challenge (RFC 3748 5.4, RFC 1994)", "[peer]") {
    // MD5(identifier | password | challenge) with "a", "b", "c" is MD5("abc") of RFC 1321.
    CHECK(to_hex(chap_md5('a', "b", as_bytes("c"))) == "900150983cd24fb0d6963f7d28e17f72");
    EapMd5Client client("alice", "b");
    EapResult id = client.process(Bytes{1, 7, 0, 5, 1});
    REQUIRE(id.kind == EapResult::Kind::Respond);
    CHECK(id.response == Bytes{2, 7, 0, 10, 1, 'a', 'l', 'i', 'c', 'e'});
    EapResult md5 = client.process(Bytes{1, 'a', 0, 7, 4, 1, 'c'});
    REQUIRE(md5.kind == EapResult::Kind::Respond);
    CHECK(to_hex(md5.response) == "0261001604" "10" "900150983cd24fb0d6963f7d28e17f72");
    CHECK(client.process(Bytes{3, 9, 0, 4}).kind == EapResult::Kind::Success);
    CHECK(client.process(Bytes{1, 9, 0, 9, 4}).kind == EapResult::Kind::Invalid);  // length lies
    EapResult nak = client.process(Bytes{1, 2, 0, 5, 26});                          // MSCHAPv2: Nak, MD5 please
    CHECK(nak.response == Bytes{2, 2, 0, 6, 3, 4});
}

// RFC 2759 9.2 and RFC 3079 3.5.3 (UserName "User", Password "clientPass").
TEST_CASE("EAP-MSCHAPv2 computations match RFC 2759 9.2 and RFC 3079 3.5.3", "[peer]") {
    const Bytes auth_challenge = from_hex("5b5d7c7d7b3f2f3e3c2c602132262628");
    const Bytes peer_challenge = from_hex("21402324255e262a28295f2b3a337c7e");
    const Bytes hash = mschapv2::nt_password_hash("clientPass");
    CHECK(to_hex(hash) == "44ebba8d5312b8d611474411f56989ae");
    CHECK(to_hex(mschapv2::challenge_hash(peer_challenge, auth_challenge, "User")) == "d02e4386bce91226");
    const Bytes nt = mschapv2::nt_response(auth_challenge, peer_challenge, "User", hash);
    CHECK(to_hex(nt) == "82309ecd8d708b5ea08faa3981cd83544233114a3d85d6df");
    CHECK(mschapv2::authenticator_response(hash, nt, peer_challenge, auth_challenge, "User") ==
          "S=407A5589115FD0D6209F510FE9C04566932CDA56");
    // MSK = client send key | client receive key | 32 zero bytes. RFC 3079 3.5.3 gives the
    // receive key (SendStartKey128 of its server-side example, Magic3); the send key
    // (Magic2) has no RFC vector: the value of tests/unit/eap/test_mschapv2_crypto.cpp,
    // computed there with Python's hashlib from RFC 3079 3.4's definition.
    const Bytes msk = mschapv2::msk(hash, nt);
    REQUIRE(msk.size() == 64);
    CHECK(to_hex(ByteView(msk).first(16)) == "d5f0e9521e3ea9589645e86051c82226");
    CHECK(to_hex(ByteView(msk).subspan(16, 16)) == "8b7cdc149b993a1ba118cb153f56dccb");
    CHECK(std::all_of(msk.begin() + 32, msk.end(), [](std::uint8_t b) { return b == 0; }));
}

TEST_CASE("The EAP-MSCHAPv2 client answers the challenge and wants the gateway's proof", "[peer]") {
    EapMsChapV2Client client("User", "clientPass");
    // EAP Request/MSCHAPv2 Challenge: OpCode 1, MS-CHAPv2-ID 7, MS-Length, Value-Size 16.
    Bytes challenge{1, 7, 0, 0, 16};
    append(challenge, from_hex("5b5d7c7d7b3f2f3e3c2c602132262628"));
    append(challenge, as_bytes("gw"));
    challenge[3] = static_cast<std::uint8_t>(challenge.size());
    Bytes request{1, 42, 0, 0, 26};
    append(request, challenge);
    request[3] = static_cast<std::uint8_t>(request.size());
    EapResult r = client.process(request);
    REQUIRE(r.kind == EapResult::Kind::Respond);
    REQUIRE(r.response.size() == 5 + 4 + 1 + 49 + 4);
    CHECK(r.response[1] == 42);  // the EAP identifier
    CHECK(r.response[4] == 26);
    CHECK(r.response[5] == 2);   // OpCode Response
    CHECK(r.response[6] == 7);   // the MS-CHAPv2-ID
    CHECK(r.response[9] == 49);  // Value-Size
    // An EAP Success before a valid authenticator response is refused, and so is a wrong one.
    CHECK(client.process(Bytes{3, 43, 0, 4}).kind == EapResult::Kind::Invalid);
    Bytes wrong{1, 43, 0, 0, 26, 3, 7, 0, 46};
    append(wrong, as_bytes("S=0000000000000000000000000000000000000000"));
    wrong[3] = static_cast<std::uint8_t>(wrong.size());
    CHECK(client.process(wrong).kind == EapResult::Kind::Invalid);
    CHECK(!client.msk());
}
