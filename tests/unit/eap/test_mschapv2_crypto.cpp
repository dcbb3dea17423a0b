// MS-CHAPv2 and MPPE key derivation against the published vectors:
// RFC 2759 section 9.2 and RFC 3079 section 3.5.3 (same UserName/Password/challenges).
#include <catch2/catch.hpp>

#include "eap/mschapv2_crypto.hpp"

using namespace ikev2d;
using namespace ikev2d::eap;

namespace {
// RFC 2759 9.2 / RFC 3079 3.5.3.
const std::string kUserName = "User";
const std::string kPassword = "clientPass";
const Bytes kAuthenticatorChallenge = from_hex("5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28");
const Bytes kPeerChallenge = from_hex("21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E");
const Bytes kChallenge = from_hex("D0 2E 43 86 BC E9 12 26");
const Bytes kPasswordHash = from_hex("44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE");
const Bytes kNtResponse = from_hex("82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF");
const Bytes kPasswordHashHash = from_hex("41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F");
const std::string kAuthenticatorResponse = "S=407A5589115FD0D6209F510FE9C04566932CDA56";
// RFC 3079 3.5.3.
const Bytes kMasterKey = from_hex("FD EC E3 71 7A 8C 83 8C B3 88 E5 27 AE 3C DD 31");
const Bytes kSendStartKey128 = from_hex("8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB");
// The other direction has no vector in RFC 3079; computed independently of this code
// from RFC 3079 3.4's definition with Python's hashlib:
//   sha1(MasterKey + bytes(40) + Magic2 + b"\xf2" * 40).digest()[:16]
// with the RFC's MasterKey above and Magic2 = "On the client side, this is the send key;
// on the server side, it is the receive key." The same script gives the RFC's MasterKey
// (with Magic1) and SendStartKey128 (with Magic3), which checks it.
const Bytes kReceiveStartKey128 = from_hex("D5 F0 E9 52 1E 3E A9 58 96 45 E8 60 51 C8 22 26");
// EAP-MSCHAPv2's MSK as hostapd's eap_server_mschapv2 ("MSK = server MS-MPPE-Recv-Key |
// MS-MPPE-Send-Key") and strongSwan's eap_mschapv2 build it, the latter padded with 32
// zero bytes to the 64 bytes IKEv2 uses: RFC 3079 receive key | send key | zeros.
const Bytes kMsk = from_hex(
    "D5 F0 E9 52 1E 3E A9 58 96 45 E8 60 51 C8 22 26 8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");

Bytes bytes_of(ByteView v) { return Bytes(v.begin(), v.end()); }
template <std::size_t N>
Bytes bytes_of(const std::array<std::uint8_t, N>& a) { return Bytes(a.begin(), a.end()); }
}  // namespace

TEST_CASE("RFC 2759 9.2: NtPasswordHash and HashNtPasswordHash", "[eap][mschapv2][kat]") {
    auto hash = mschapv2::nt_password_hash(kPassword);
    REQUIRE(hash.ok());
    CHECK(bytes_of(hash->view()) == kPasswordHash);
    CHECK(bytes_of(mschapv2::hash_nt_password_hash(kPasswordHash).view()) == kPasswordHashHash);
}

TEST_CASE("RFC 2759 9.2: ChallengeHash, NT-Response, AuthenticatorResponse", "[eap][mschapv2][kat]") {
    CHECK(bytes_of(mschapv2::challenge_hash(kPeerChallenge, kAuthenticatorChallenge, kUserName)) == kChallenge);
    std::array<std::uint8_t, 8> challenge{};
    std::copy(kChallenge.begin(), kChallenge.end(), challenge.begin());
    CHECK(bytes_of(mschapv2::challenge_response(challenge, kPasswordHash)) == kNtResponse);  // ChallengeResponse
    CHECK(bytes_of(mschapv2::generate_nt_response(kAuthenticatorChallenge, kPeerChallenge, kUserName, kPasswordHash)) ==
          kNtResponse);
    CHECK(mschapv2::authenticator_response(kPasswordHash, kNtResponse, kPeerChallenge, kAuthenticatorChallenge,
                                           kUserName) == kAuthenticatorResponse);
}

TEST_CASE("RFC 3079 3.5.3: MasterKey and the 128-bit start keys", "[eap][mschapv2][kat]") {
    SecureBytes master = mschapv2::master_key(kPasswordHashHash, kNtResponse);
    CHECK(bytes_of(master.view()) == kMasterKey);
    // The RFC's SendStartKey128 is computed with IsSend=TRUE, IsServer=TRUE (Magic3);
    // the client's receive key is the same key.
    CHECK(bytes_of(mschapv2::asymmetric_start_key(kMasterKey, true, true).view()) == kSendStartKey128);
    CHECK(bytes_of(mschapv2::asymmetric_start_key(kMasterKey, false, false).view()) == kSendStartKey128);
    // The other direction (Magic2): server receive = client send.
    CHECK(bytes_of(mschapv2::asymmetric_start_key(kMasterKey, false, true).view()) == kReceiveStartKey128);
    CHECK(bytes_of(mschapv2::asymmetric_start_key(kMasterKey, true, false).view()) == kReceiveStartKey128);
}

TEST_CASE("MSK: server receive key | server send key | 32 zero bytes, from the RFC inputs", "[eap][mschapv2][kat]") {
    SecureBytes msk = mschapv2::msk(kPasswordHash, kNtResponse);
    CHECK(bytes_of(msk.view()) == kMsk);
}

TEST_CASE("NT hash of non-ASCII passwords uses UTF-16LE", "[eap][mschapv2][kat]") {
    // Expected values computed independently of this code (and of nettle): Python's
    // UTF-16LE encoder and OpenSSL 3's MD4 (legacy provider),
    //   printf '%s' "$pw" | python3 -c "import sys; sys.stdout.buffer.write(
    //     sys.stdin.buffer.read().decode('utf-8').encode('utf-16-le'))" |
    //   openssl dgst -md4 -provider legacy -provider default
    // which gives RFC 2759's 44EBBA8D... for "clientPass". "é" (U+00E9) is E9 00,
    // "😀" (U+1F600) the surrogate pair 3D D8 00 DE, "€" (U+20AC) AC 20.
    struct Vector {
        const char* utf8;
        const char* nt_hash;
    };
    for (const Vector& v : {Vector{"\xC3\xA9", "e77286d072c7858e9110cc3a011d2ac8"},
                            Vector{"\xF0\x9F\x98\x80", "4b58a10cc20a4e7d808d218e1f80aabc"},
                            Vector{"P\xC3\xA4ssw\xC3\xB6rd\xE2\x82\xAC", "04e9d4087e1303bea8e5239aa5ddd064"}}) {
        INFO(v.utf8);
        auto hash = mschapv2::nt_password_hash(v.utf8);
        REQUIRE(hash.ok());
        CHECK(bytes_of(hash->view()) == from_hex(v.nt_hash));
    }
    CHECK_FALSE(mschapv2::nt_password_hash(std::string_view("\xE9", 1)).ok());  // lone 0xE9 is not UTF-8
    // Invalid forms: overlong, surrogate, truncated, beyond U+10FFFF.
    for (const char* bad : {"\xC0\xAF", "\xED\xA0\x80", "\xE2\x82", "\xF4\x90\x80\x80", "\x80"}) {
        INFO("bytes " << to_hex(as_bytes(bad)));
        CHECK_FALSE(mschapv2::nt_password_hash(bad).ok());
    }
}

TEST_CASE("strip_domain keeps the part after DOMAIN\\", "[eap][mschapv2]") {
    CHECK(mschapv2::strip_domain("CORP\\alice") == "alice");
    CHECK(mschapv2::strip_domain("alice") == "alice");
    CHECK(mschapv2::strip_domain("alice@example.com") == "alice@example.com");
}

TEST_CASE("Wrong-sized inputs are programming errors", "[eap][mschapv2]") {
    CHECK_THROWS_AS(mschapv2::challenge_hash(Bytes(15), kAuthenticatorChallenge, kUserName), std::invalid_argument);
    CHECK_THROWS_AS(mschapv2::master_key(kPasswordHashHash, Bytes(23)), std::invalid_argument);
}
