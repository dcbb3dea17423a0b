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
    // The other direction (Magic2) differs and is shared by server-receive/client-send.
    SecureBytes server_recv = mschapv2::asymmetric_start_key(kMasterKey, false, true);
    CHECK(bytes_of(server_recv.view()) != kSendStartKey128);
    CHECK(bytes_of(server_recv.view()) == bytes_of(mschapv2::asymmetric_start_key(kMasterKey, true, false).view()));
}

TEST_CASE("MSK layout: server receive key | server send key | 32 zero bytes", "[eap][mschapv2]") {
    SecureBytes msk = mschapv2::msk(kPasswordHash, kNtResponse);
    REQUIRE(msk.size() == 64);
    CHECK(bytes_of(msk.subview(0, 16)) ==
          bytes_of(mschapv2::asymmetric_start_key(kMasterKey, /*send*/ false, /*server*/ true).view()));
    CHECK(bytes_of(msk.subview(16, 16)) == kSendStartKey128);
    CHECK(bytes_of(msk.subview(32, 32)) == Bytes(32, 0));
}

TEST_CASE("NT hash of non-ASCII passwords uses UTF-16LE", "[eap][mschapv2]") {
    // "é" (U+00E9) must hash as E9 00, "😀" (U+1F600) as the surrogate pair 3D D8 00 DE.
    auto e = mschapv2::nt_password_hash("\xC3\xA9");
    auto e_latin = mschapv2::nt_password_hash(std::string_view("\xE9\x00", 1));
    REQUIRE(e.ok());
    CHECK_FALSE(e_latin.ok());  // lone 0xE9 is not UTF-8
    auto emoji = mschapv2::nt_password_hash("\xF0\x9F\x98\x80");
    REQUIRE(emoji.ok());
    CHECK(bytes_of(emoji->view()) != bytes_of(e->view()));
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
