// IANA IKEv2 registries (RFC 7296 section 3 and later RFCs), shared by the codec,
// the crypto and the protocol code so that each number is spelled out once.
#pragma once

#include <cstdint>
#include <string>

namespace ikev2d::iana {

enum class ExchangeType : std::uint8_t {
    IKE_SA_INIT = 34, IKE_AUTH = 35, CREATE_CHILD_SA = 36, INFORMATIONAL = 37,
};

enum class PayloadType : std::uint8_t {
    None = 0, SA = 33, KE = 34, IDi = 35, IDr = 36, CERT = 37, CERTREQ = 38, AUTH = 39,
    Nonce = 40, Notify = 41, Delete = 42, VendorID = 43, TSi = 44, TSr = 45, SK = 46,
    CP = 47, EAP = 48, SKF = 53,  // RFC 7383
    CiscoFragment = 132,          // Cisco-proprietary fragmentation (shared/protocol)
};

// Header flags (RFC 7296 3.1)
inline constexpr std::uint8_t kFlagInitiator = 0x08;
inline constexpr std::uint8_t kFlagVersion = 0x10;
inline constexpr std::uint8_t kFlagResponse = 0x20;

enum class ProtocolId : std::uint8_t { IKE = 1, AH = 2, ESP = 3 };

enum class TransformType : std::uint8_t { ENCR = 1, PRF = 2, INTEG = 3, DH = 4, ESN = 5 };

enum class EncrId : std::uint16_t {
    DES = 2, TRIPLE_DES = 3, NULL_ENCR = 11, AES_CBC = 12, AES_CTR = 13,
    AES_CCM_8 = 14, AES_CCM_12 = 15, AES_CCM_16 = 16,
    AES_GCM_8 = 18, AES_GCM_12 = 19, AES_GCM_16 = 20, CHACHA20_POLY1305 = 28,
};
enum class PrfId : std::uint16_t {
    HMAC_MD5 = 1, HMAC_SHA1 = 2, AES128_XCBC = 4, HMAC_SHA2_256 = 5, HMAC_SHA2_384 = 6, HMAC_SHA2_512 = 7,
};
enum class IntegId : std::uint16_t {
    NONE = 0, HMAC_MD5_96 = 1, HMAC_SHA1_96 = 2, AES_XCBC_96 = 5,
    HMAC_SHA2_256_128 = 12, HMAC_SHA2_384_192 = 13, HMAC_SHA2_512_256 = 14,
};
enum class DhGroup : std::uint16_t {
    NONE = 0, MODP_768 = 1, MODP_1024 = 2, MODP_1536 = 5, MODP_2048 = 14, MODP_3072 = 15,
    MODP_4096 = 16, MODP_6144 = 17, MODP_8192 = 18, ECP_256 = 19, ECP_384 = 20, ECP_521 = 21,
    CURVE25519 = 31, CURVE448 = 32,
};
enum class EsnId : std::uint16_t { NO_ESN = 0, ESN = 1 };
// Transform attribute type for the key length (RFC 7296 3.3.5), always TV format.
inline constexpr std::uint16_t kAttrKeyLength = 14;

enum class IdType : std::uint8_t {
    IPV4_ADDR = 1, FQDN = 2, RFC822_ADDR = 3, IPV6_ADDR = 5, DER_ASN1_DN = 9, DER_ASN1_GN = 10,
    KEY_ID = 11, FC_NAME = 12, NULL_ID = 13,
    CISCO_GROUP = 201,  // AnyConnect's "*$AnyConnectClient$*" (shared/protocol)
};

enum class AuthMethod : std::uint8_t {
    RSA_SIG = 1, SHARED_KEY = 2, DSS_SIG = 3, ECDSA_SHA256_P256 = 9, ECDSA_SHA384_P384 = 10,
    ECDSA_SHA512_P521 = 11, GENERIC_SECURE_PASSWORD = 12, NULL_AUTH = 13, DIGITAL_SIGNATURE = 14,
};

// RFC 7427 hash algorithms for SIGNATURE_HASH_ALGORITHMS
enum class HashAlgorithm : std::uint16_t {
    SHA1 = 1, SHA2_256 = 2, SHA2_384 = 3, SHA2_512 = 4, IDENTITY = 5,
};

enum class CertEncoding : std::uint8_t { X509_SIGNATURE = 4, HASH_AND_URL_X509 = 12 };

enum class NotifyType : std::uint16_t {
    // errors
    UNSUPPORTED_CRITICAL_PAYLOAD = 1, INVALID_IKE_SPI = 4, INVALID_MAJOR_VERSION = 5,
    INVALID_SYNTAX = 7, INVALID_MESSAGE_ID = 9, INVALID_SPI = 11, NO_PROPOSAL_CHOSEN = 14,
    INVALID_KE_PAYLOAD = 17, AUTHENTICATION_FAILED = 24, SINGLE_PAIR_REQUIRED = 34,
    NO_ADDITIONAL_SAS = 35, INTERNAL_ADDRESS_FAILURE = 36, FAILED_CP_REQUIRED = 37,
    TS_UNACCEPTABLE = 38, INVALID_SELECTORS = 39, TEMPORARY_FAILURE = 43, CHILD_SA_NOT_FOUND = 44,
    // status
    INITIAL_CONTACT = 16384, SET_WINDOW_SIZE = 16385, ADDITIONAL_TS_POSSIBLE = 16386,
    IPCOMP_SUPPORTED = 16387, NAT_DETECTION_SOURCE_IP = 16388, NAT_DETECTION_DESTINATION_IP = 16389,
    COOKIE = 16390, USE_TRANSPORT_MODE = 16391, HTTP_CERT_LOOKUP_SUPPORTED = 16392, REKEY_SA = 16393,
    ESP_TFC_PADDING_NOT_SUPPORTED = 16394, NON_FIRST_FRAGMENTS_ALSO = 16395, MOBIKE_SUPPORTED = 16396,
    ADDITIONAL_IP4_ADDRESS = 16397, ADDITIONAL_IP6_ADDRESS = 16398, NO_ADDITIONAL_ADDRESSES = 16399,
    UPDATE_SA_ADDRESSES = 16400, COOKIE2 = 16401, NO_NATS_ALLOWED = 16402, AUTH_LIFETIME = 16403,
    MULTIPLE_AUTH_SUPPORTED = 16404, ANOTHER_AUTH_FOLLOWS = 16405, REDIRECT_SUPPORTED = 16406,
    REDIRECT = 16407, REDIRECTED_FROM = 16408, TICKET_LT_OPAQUE = 16409, TICKET_REQUEST = 16410,
    TICKET_ACK = 16411, TICKET_NACK = 16412, TICKET_OPAQUE = 16413, LINK_ID = 16414,
    USE_WESP_MODE = 16415, ROHC_SUPPORTED = 16416, EAP_ONLY_AUTHENTICATION = 16417,
    CHILDLESS_IKEV2_SUPPORTED = 16418, QUICK_CRASH_DETECTION = 16419,
    IKEV2_MESSAGE_ID_SYNC_SUPPORTED = 16420, IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED = 16421,
    IKEV2_MESSAGE_ID_SYNC = 16422, IPSEC_REPLAY_COUNTER_SYNC = 16423, SECURE_PASSWORD_METHODS = 16424,
    PSK_PERSIST = 16425, PSK_CONFIRM = 16426, ERX_SUPPORTED = 16427, IFOM_CAPABILITY = 16428,
    SENDER_REQUEST_ID = 16429, IKEV2_FRAGMENTATION_SUPPORTED = 16430, SIGNATURE_HASH_ALGORITHMS = 16431,
};
// Notify types below this are errors (RFC 7296 3.10.1).
inline constexpr std::uint16_t kFirstStatusNotify = 16384;

enum class CfgType : std::uint8_t { CFG_REQUEST = 1, CFG_REPLY = 2, CFG_SET = 3, CFG_ACK = 4 };

enum class CfgAttr : std::uint16_t {
    INTERNAL_IP4_ADDRESS = 1, INTERNAL_IP4_NETMASK = 2, INTERNAL_IP4_DNS = 3, INTERNAL_IP4_NBNS = 4,
    INTERNAL_ADDRESS_EXPIRY = 5, INTERNAL_IP4_DHCP = 6, APPLICATION_VERSION = 7,
    INTERNAL_IP6_ADDRESS = 8, INTERNAL_IP6_DNS = 10, INTERNAL_IP6_DHCP = 12,
    INTERNAL_IP4_SUBNET = 13, SUPPORTED_ATTRIBUTES = 14, INTERNAL_IP6_SUBNET = 15,
    INTERNAL_DNS_DOMAIN = 25,  // RFC 8598
    // Cisco Unity / AnyConnect private attributes (shared/protocol)
    CISCO_BANNER = 28672, CISCO_SAVE_PASSWORD = 28673, CISCO_DEFAULT_DOMAIN = 28674,
    CISCO_SPLIT_DNS = 28675, CISCO_SPLIT_INCLUDE = 28676, CISCO_NATT_PORT = 28677,
    CISCO_SPLIT_EXCLUDE = 28678, CISCO_PFS = 28679, CISCO_BACKUP_SERVERS = 28681,
    CISCO_DDNS_HOSTNAME = 28682,
};

enum class TsType : std::uint8_t { IPV4_ADDR_RANGE = 7, IPV6_ADDR_RANGE = 8 };

// EAP (RFC 3748) codes and method types used here.
enum class EapCode : std::uint8_t { Request = 1, Response = 2, Success = 3, Failure = 4 };
enum class EapType : std::uint8_t {
    Identity = 1, Notification = 2, Nak = 3, MD5 = 4, GTC = 6, TLS = 13, MSCHAPV2 = 26, Expanded = 254,
};

// Readable names for dumps and status output ("AES-CBC", "NAT_DETECTION_SOURCE_IP", ...).
// Unknown values print as "UNKNOWN(n)".
std::string name(ExchangeType v);
std::string name(PayloadType v);
std::string name(ProtocolId v);
std::string name(TransformType v);
std::string name(EncrId v);
std::string name(PrfId v);
std::string name(IntegId v);
std::string name(DhGroup v);
std::string name(IdType v);
std::string name(AuthMethod v);
std::string name(NotifyType v);
std::string name(CfgType v);
std::string name(CfgAttr v);
std::string name(HashAlgorithm v);
// Transform ID name for any transform type.
std::string transform_name(TransformType type, std::uint16_t id);

}  // namespace ikev2d::iana
