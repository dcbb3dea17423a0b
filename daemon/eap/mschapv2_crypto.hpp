// MS-CHAPv2 computations (RFC 2759 section 8) and the MPPE key derivation of RFC 3079
// section 3 that EAP-MSCHAPv2 uses for its MSK. Pure functions, no protocol state.
// Sizes are fixed by the RFCs; a wrong-sized input is a programming error and throws
// std::invalid_argument.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace ikev2d::eap::mschapv2 {

inline constexpr std::size_t kChallengeSize = 16;   // AuthenticatorChallenge, PeerChallenge
inline constexpr std::size_t kNtHashSize = 16;      // PasswordHash
inline constexpr std::size_t kNtResponseSize = 24;
inline constexpr std::size_t kMskSize = 64;

// "S=" + 40 upper-case hex digits.
inline constexpr std::size_t kAuthenticatorResponseSize = 42;

// NtPasswordHash: MD4 over the UTF-16LE password. The password is UTF-8; invalid UTF-8
// is an error (a Windows peer would have hashed something else).
Result<SecureBytes, std::string> nt_password_hash(std::string_view utf8_password);
// HashNtPasswordHash: MD4(PasswordHash).
SecureBytes hash_nt_password_hash(ByteView nt_hash);

// ChallengeHash: first 8 bytes of SHA1(PeerChallenge | AuthenticatorChallenge | UserName).
std::array<std::uint8_t, 8> challenge_hash(ByteView peer_challenge, ByteView authenticator_challenge,
                                           std::string_view username);
// ChallengeResponse: the 8-byte challenge DES-encrypted under the three 7-byte thirds
// of the zero-padded password hash.
std::array<std::uint8_t, kNtResponseSize> challenge_response(const std::array<std::uint8_t, 8>& challenge,
                                                             ByteView nt_hash);
// GenerateNTResponse.
std::array<std::uint8_t, kNtResponseSize> generate_nt_response(ByteView authenticator_challenge,
                                                               ByteView peer_challenge, std::string_view username,
                                                               ByteView nt_hash);
// GenerateAuthenticatorResponse: "S=" followed by 40 upper-case hex digits.
std::string authenticator_response(ByteView nt_hash, ByteView nt_response, ByteView peer_challenge,
                                   ByteView authenticator_challenge, std::string_view username);

// RFC 3079 3.4 GetMasterKey (16 bytes).
SecureBytes master_key(ByteView nt_hash_hash, ByteView nt_response);
// RFC 3079 3.4 GetAsymmetricStartKey for 128-bit keys (16 bytes).
SecureBytes asymmetric_start_key(ByteView master_key, bool is_send, bool is_server);

// The EAP-MSCHAPv2 MSK as strongSwan and Windows compute it (identically on both ends):
// MasterReceiveKey | MasterSendKey (server's view: Magic2 key, then Magic3 key), then
// 32 zero bytes to reach 64 bytes.
SecureBytes msk(ByteView nt_hash, ByteView nt_response);

// The user name that enters ChallengeHash: RFC 2759 hashes only the part after a
// "DOMAIN\" prefix.
std::string_view strip_domain(std::string_view name);

}  // namespace ikev2d::eap::mschapv2
