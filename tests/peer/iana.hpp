// The IANA numbers the test initiator needs (RFC 7296 section 3 and the IKEv2 registry).
#pragma once

#include <cstdint>

namespace peer::iana {

// Payload types (RFC 7296 3.2, RFC 7383).
constexpr std::uint8_t kNone = 0, kSA = 33, kKE = 34, kIDi = 35, kIDr = 36, kCERT = 37, kCERTREQ = 38, kAUTH = 39,
                       kNonce = 40, kNotify = 41, kDelete = 42, kVendorID = 43, kTSi = 44, kTSr = 45, kSK = 46,
                       kCP = 47, kEAP = 48, kSKF = 53;
// Exchange types.
constexpr std::uint8_t kIkeSaInit = 34, kIkeAuth = 35, kCreateChildSa = 36, kInformational = 37;
// Header flags.
constexpr std::uint8_t kFlagInitiator = 0x08, kFlagVersion = 0x10, kFlagResponse = 0x20;
constexpr std::uint8_t kVersion2 = 0x20;
// Transform types and IDs.
constexpr std::uint8_t kTransEncr = 1, kTransPrf = 2, kTransInteg = 3, kTransDh = 4, kTransEsn = 5;
constexpr std::uint16_t kEncrAesCbc = 12, kEncrAesGcm16 = 20, kEncr3Des = 3;
constexpr std::uint16_t kPrfHmacSha1 = 2, kPrfHmacSha256 = 5, kPrfHmacMd5 = 1;
constexpr std::uint16_t kIntegHmacSha256_128 = 12, kIntegHmacSha1_96 = 2, kIntegHmacMd5_96 = 1;
constexpr std::uint16_t kDhModp768 = 1, kDhModp1024 = 2, kDhModp2048 = 14, kDhEcp256 = 19, kDhCurve25519 = 31;
constexpr std::uint16_t kAttrKeyLength = 14;
// Protocol IDs.
constexpr std::uint8_t kProtoIke = 1, kProtoAh = 2, kProtoEsp = 3;
// Notify types.
constexpr std::uint16_t kUnsupportedCriticalPayload = 1, kInvalidIkeSpi = 4, kInvalidMajorVersion = 5,
                        kInvalidSyntax = 7, kInvalidMessageId = 9, kNoProposalChosen = 14, kInvalidKePayload = 17,
                        kAuthenticationFailed = 24, kInitialContact = 16384, kCookie = 16390,
                        kChildlessIkev2Supported = 16418, kFragmentationSupported = 16430;
// Identification, authentication, configuration, traffic selectors.
constexpr std::uint8_t kIdFqdn = 2, kIdRfc822 = 3;
constexpr std::uint8_t kAuthSharedKey = 2;
constexpr std::uint8_t kCfgRequest = 1;
constexpr std::uint16_t kInternalIp4Address = 1;
constexpr std::uint8_t kTsIpv4Range = 7;

}  // namespace peer::iana
