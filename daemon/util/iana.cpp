// Readable names for the IANA numbers, spelled like the ASA's debug output in the seed
// ("AES-CBC", "SHA96", "DH_GROUP_1024_MODP/Group 2") so that dumps can be compared
// side by side with Cisco traces. Every switch lists all enumerators (no default) so
// that -Wswitch flags a value added to iana.hpp without a name.
#include "util/iana.hpp"

namespace ikev2d::iana {
namespace {

std::string unknown(unsigned value) { return "UNKNOWN(" + std::to_string(value) + ")"; }

}  // namespace

std::string name(ExchangeType v) {
    switch (v) {
    case ExchangeType::IKE_SA_INIT: return "IKE_SA_INIT";
    case ExchangeType::IKE_AUTH: return "IKE_AUTH";
    case ExchangeType::CREATE_CHILD_SA: return "CREATE_CHILD_SA";
    case ExchangeType::INFORMATIONAL: return "INFORMATIONAL";
    }
    return unknown(static_cast<unsigned>(v));
}

std::string name(PayloadType v) {
    // Short names as the ASA prints them ("N" is the nonce, "NOTIFY" the notify).
    switch (v) {
    case PayloadType::None: return "NONE";
    case PayloadType::SA: return "SA";
    case PayloadType::KE: return "KE";
    case PayloadType::IDi: return "IDi";
    case PayloadType::IDr: return "IDr";
    case PayloadType::CERT: return "CERT";
    case PayloadType::CERTREQ: return "CERTREQ";
    case PayloadType::AUTH: return "AUTH";
    case PayloadType::Nonce: return "N";
    case PayloadType::Notify: return "NOTIFY";
    case PayloadType::Delete: return "DELETE";
    case PayloadType::VendorID: return "VID";
    case PayloadType::TSi: return "TSi";
    case PayloadType::TSr: return "TSr";
    case PayloadType::SK: return "ENCR";
    case PayloadType::CP: return "CFG";
    case PayloadType::EAP: return "EAP";
    case PayloadType::SKF: return "SKF";
    case PayloadType::CiscoFragment: return "CISCO-FRAG";
    }
    return unknown(static_cast<unsigned>(v));
}

std::string name(ProtocolId v) {
    switch (v) {
    case ProtocolId::IKE: return "IKE";
    case ProtocolId::AH: return "AH";
    case ProtocolId::ESP: return "ESP";
    }
    return unknown(static_cast<unsigned>(v));
}

std::string name(TransformType v) {
    switch (v) {
    case TransformType::ENCR: return "ENCR";
    case TransformType::PRF: return "PRF";
    case TransformType::INTEG: return "INTEG";
    case TransformType::DH: return "DH";
    case TransformType::ESN: return "ESN";
    }
    return unknown(static_cast<unsigned>(v));
}

std::string name(EncrId v) {
    switch (v) {
    case EncrId::DES: return "DES";
    case EncrId::TRIPLE_DES: return "3DES";
    case EncrId::NULL_ENCR: return "NULL";
    case EncrId::AES_CBC: return "AES-CBC";
    case EncrId::AES_CTR: return "AES-CTR";
    case EncrId::AES_CCM_8: return "AES-CCM-8";
    case EncrId::AES_CCM_12: return "AES-CCM-12";
    case EncrId::AES_CCM_16: return "AES-CCM-16";
    case EncrId::AES_GCM_8: return "AES-GCM-8";
    case EncrId::AES_GCM_12: return "AES-GCM-12";
    case EncrId::AES_GCM_16: return "AES-GCM-16";
    case EncrId::CHACHA20_POLY1305: return "CHACHA20-POLY1305";
    }
    return unknown(static_cast<unsigned>(v));
}

std::string name(PrfId v) {
    switch (v) {
    case PrfId::HMAC_MD5: return "MD5";
    case PrfId::HMAC_SHA1: return "SHA1";
    case PrfId::AES128_XCBC: return "AES-XCBC";
    case PrfId::HMAC_SHA2_256: return "SHA256";
    case PrfId::HMAC_SHA2_384: return "SHA384";
    case PrfId::HMAC_SHA2_512: return "SHA512";
    }
    return unknown(static_cast<unsigned>(v));
}

std::string name(IntegId v) {
    switch (v) {
    case IntegId::NONE: return "NONE";
    case IntegId::HMAC_MD5_96: return "MD596";
    case IntegId::HMAC_SHA1_96: return "SHA96";
    case IntegId::AES_XCBC_96: return "AES-XCBC-96";
    case IntegId::HMAC_SHA2_256_128: return "SHA256";
    case IntegId::HMAC_SHA2_384_192: return "SHA384";
    case IntegId::HMAC_SHA2_512_256: return "SHA512";
    }
    return unknown(static_cast<unsigned>(v));
}

std::string name(DhGroup v) {
    switch (v) {
    case DhGroup::NONE: return "NONE";
    case DhGroup::MODP_768: return "DH_GROUP_768_MODP/Group 1";
    case DhGroup::MODP_1024: return "DH_GROUP_1024_MODP/Group 2";
    case DhGroup::MODP_1536: return "DH_GROUP_1536_MODP/Group 5";
    case DhGroup::MODP_2048: return "DH_GROUP_2048_MODP/Group 14";
    case DhGroup::MODP_3072: return "DH_GROUP_3072_MODP/Group 15";
    case DhGroup::MODP_4096: return "DH_GROUP_4096_MODP/Group 16";
    case DhGroup::MODP_6144: return "DH_GROUP_6144_MODP/Group 17";
    case DhGroup::MODP_8192: return "DH_GROUP_8192_MODP/Group 18";
    case DhGroup::ECP_256: return "DH_GROUP_256_ECP/Group 19";
    case DhGroup::ECP_384: return "DH_GROUP_384_ECP/Group 20";
    case DhGroup::ECP_521: return "DH_GROUP_521_ECP/Group 21";
    case DhGroup::CURVE25519: return "DH_GROUP_CURVE25519/Group 31";
    case DhGroup::CURVE448: return "DH_GROUP_CURVE448/Group 32";
    }
    return unknown(static_cast<unsigned>(v));
}

std::string name(IdType v) {
    switch (v) {
    case IdType::IPV4_ADDR: return "IPV4_ADDR";
    case IdType::FQDN: return "FQDN";
    case IdType::RFC822_ADDR: return "RFC822_ADDR";
    case IdType::IPV6_ADDR: return "IPV6_ADDR";
    case IdType::DER_ASN1_DN: return "DER_ASN1_DN";
    case IdType::DER_ASN1_GN: return "DER_ASN1_GN";
    case IdType::KEY_ID: return "KEY_ID";
    case IdType::FC_NAME: return "FC_NAME";
    case IdType::NULL_ID: return "NULL";
    case IdType::CISCO_GROUP: return "GROUP_NAME";
    }
    return unknown(static_cast<unsigned>(v));
}

std::string name(AuthMethod v) {
    switch (v) {
    case AuthMethod::RSA_SIG: return "RSA";
    case AuthMethod::SHARED_KEY: return "PSK";
    case AuthMethod::DSS_SIG: return "DSS";
    case AuthMethod::ECDSA_SHA256_P256: return "ECDSA-SHA256-P256";
    case AuthMethod::ECDSA_SHA384_P384: return "ECDSA-SHA384-P384";
    case AuthMethod::ECDSA_SHA512_P521: return "ECDSA-SHA512-P521";
    case AuthMethod::GENERIC_SECURE_PASSWORD: return "GSPM";
    case AuthMethod::NULL_AUTH: return "NULL";
    case AuthMethod::DIGITAL_SIGNATURE: return "DIGITAL_SIGNATURE";
    }
    return unknown(static_cast<unsigned>(v));
}

std::string name(NotifyType v) {
    switch (v) {
    case NotifyType::UNSUPPORTED_CRITICAL_PAYLOAD: return "UNSUPPORTED_CRITICAL_PAYLOAD";
    case NotifyType::INVALID_IKE_SPI: return "INVALID_IKE_SPI";
    case NotifyType::INVALID_MAJOR_VERSION: return "INVALID_MAJOR_VERSION";
    case NotifyType::INVALID_SYNTAX: return "INVALID_SYNTAX";
    case NotifyType::INVALID_MESSAGE_ID: return "INVALID_MESSAGE_ID";
    case NotifyType::INVALID_SPI: return "INVALID_SPI";
    case NotifyType::NO_PROPOSAL_CHOSEN: return "NO_PROPOSAL_CHOSEN";
    case NotifyType::INVALID_KE_PAYLOAD: return "INVALID_KE_PAYLOAD";
    case NotifyType::AUTHENTICATION_FAILED: return "AUTHENTICATION_FAILED";
    case NotifyType::SINGLE_PAIR_REQUIRED: return "SINGLE_PAIR_REQUIRED";
    case NotifyType::NO_ADDITIONAL_SAS: return "NO_ADDITIONAL_SAS";
    case NotifyType::INTERNAL_ADDRESS_FAILURE: return "INTERNAL_ADDRESS_FAILURE";
    case NotifyType::FAILED_CP_REQUIRED: return "FAILED_CP_REQUIRED";
    case NotifyType::TS_UNACCEPTABLE: return "TS_UNACCEPTABLE";
    case NotifyType::INVALID_SELECTORS: return "INVALID_SELECTORS";
    case NotifyType::TEMPORARY_FAILURE: return "TEMPORARY_FAILURE";
    case NotifyType::CHILD_SA_NOT_FOUND: return "CHILD_SA_NOT_FOUND";
    case NotifyType::INITIAL_CONTACT: return "INITIAL_CONTACT";
    case NotifyType::SET_WINDOW_SIZE: return "SET_WINDOW_SIZE";
    case NotifyType::ADDITIONAL_TS_POSSIBLE: return "ADDITIONAL_TS_POSSIBLE";
    case NotifyType::IPCOMP_SUPPORTED: return "IPCOMP_SUPPORTED";
    case NotifyType::NAT_DETECTION_SOURCE_IP: return "NAT_DETECTION_SOURCE_IP";
    case NotifyType::NAT_DETECTION_DESTINATION_IP: return "NAT_DETECTION_DESTINATION_IP";
    case NotifyType::COOKIE: return "COOKIE";
    case NotifyType::USE_TRANSPORT_MODE: return "USE_TRANSPORT_MODE";
    case NotifyType::HTTP_CERT_LOOKUP_SUPPORTED: return "HTTP_CERT_LOOKUP_SUPPORTED";
    case NotifyType::REKEY_SA: return "REKEY_SA";
    case NotifyType::ESP_TFC_PADDING_NOT_SUPPORTED: return "ESP_TFC_PADDING_NOT_SUPPORTED";
    case NotifyType::NON_FIRST_FRAGMENTS_ALSO: return "NON_FIRST_FRAGMENTS_ALSO";
    case NotifyType::MOBIKE_SUPPORTED: return "MOBIKE_SUPPORTED";
    case NotifyType::ADDITIONAL_IP4_ADDRESS: return "ADDITIONAL_IP4_ADDRESS";
    case NotifyType::ADDITIONAL_IP6_ADDRESS: return "ADDITIONAL_IP6_ADDRESS";
    case NotifyType::NO_ADDITIONAL_ADDRESSES: return "NO_ADDITIONAL_ADDRESSES";
    case NotifyType::UPDATE_SA_ADDRESSES: return "UPDATE_SA_ADDRESSES";
    case NotifyType::COOKIE2: return "COOKIE2";
    case NotifyType::NO_NATS_ALLOWED: return "NO_NATS_ALLOWED";
    case NotifyType::AUTH_LIFETIME: return "AUTH_LIFETIME";
    case NotifyType::MULTIPLE_AUTH_SUPPORTED: return "MULTIPLE_AUTH_SUPPORTED";
    case NotifyType::ANOTHER_AUTH_FOLLOWS: return "ANOTHER_AUTH_FOLLOWS";
    case NotifyType::REDIRECT_SUPPORTED: return "REDIRECT_SUPPORTED";
    case NotifyType::REDIRECT: return "REDIRECT";
    case NotifyType::REDIRECTED_FROM: return "REDIRECTED_FROM";
    case NotifyType::TICKET_LT_OPAQUE: return "TICKET_LT_OPAQUE";
    case NotifyType::TICKET_REQUEST: return "TICKET_REQUEST";
    case NotifyType::TICKET_ACK: return "TICKET_ACK";
    case NotifyType::TICKET_NACK: return "TICKET_NACK";
    case NotifyType::TICKET_OPAQUE: return "TICKET_OPAQUE";
    case NotifyType::LINK_ID: return "LINK_ID";
    case NotifyType::USE_WESP_MODE: return "USE_WESP_MODE";
    case NotifyType::ROHC_SUPPORTED: return "ROHC_SUPPORTED";
    case NotifyType::EAP_ONLY_AUTHENTICATION: return "EAP_ONLY_AUTHENTICATION";
    case NotifyType::CHILDLESS_IKEV2_SUPPORTED: return "CHILDLESS_IKEV2_SUPPORTED";
    case NotifyType::QUICK_CRASH_DETECTION: return "QUICK_CRASH_DETECTION";
    case NotifyType::IKEV2_MESSAGE_ID_SYNC_SUPPORTED: return "IKEV2_MESSAGE_ID_SYNC_SUPPORTED";
    case NotifyType::IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED: return "IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED";
    case NotifyType::IKEV2_MESSAGE_ID_SYNC: return "IKEV2_MESSAGE_ID_SYNC";
    case NotifyType::IPSEC_REPLAY_COUNTER_SYNC: return "IPSEC_REPLAY_COUNTER_SYNC";
    case NotifyType::SECURE_PASSWORD_METHODS: return "SECURE_PASSWORD_METHODS";
    case NotifyType::PSK_PERSIST: return "PSK_PERSIST";
    case NotifyType::PSK_CONFIRM: return "PSK_CONFIRM";
    case NotifyType::ERX_SUPPORTED: return "ERX_SUPPORTED";
    case NotifyType::IFOM_CAPABILITY: return "IFOM_CAPABILITY";
    case NotifyType::SENDER_REQUEST_ID: return "SENDER_REQUEST_ID";
    case NotifyType::IKEV2_FRAGMENTATION_SUPPORTED: return "IKEV2_FRAGMENTATION_SUPPORTED";
    case NotifyType::SIGNATURE_HASH_ALGORITHMS: return "SIGNATURE_HASH_ALGORITHMS";
    }
    return unknown(static_cast<unsigned>(v));
}

std::string name(CfgType v) {
    switch (v) {
    case CfgType::CFG_REQUEST: return "CFG_REQUEST";
    case CfgType::CFG_REPLY: return "CFG_REPLY";
    case CfgType::CFG_SET: return "CFG_SET";
    case CfgType::CFG_ACK: return "CFG_ACK";
    }
    return unknown(static_cast<unsigned>(v));
}

std::string name(CfgAttr v) {
    switch (v) {
    case CfgAttr::INTERNAL_IP4_ADDRESS: return "INTERNAL_IP4_ADDRESS";
    case CfgAttr::INTERNAL_IP4_NETMASK: return "INTERNAL_IP4_NETMASK";
    case CfgAttr::INTERNAL_IP4_DNS: return "INTERNAL_IP4_DNS";
    case CfgAttr::INTERNAL_IP4_NBNS: return "INTERNAL_IP4_NBNS";
    case CfgAttr::INTERNAL_ADDRESS_EXPIRY: return "INTERNAL_ADDRESS_EXPIRY";
    case CfgAttr::INTERNAL_IP4_DHCP: return "INTERNAL_IP4_DHCP";
    case CfgAttr::APPLICATION_VERSION: return "APPLICATION_VERSION";
    case CfgAttr::INTERNAL_IP6_ADDRESS: return "INTERNAL_IP6_ADDRESS";
    case CfgAttr::INTERNAL_IP6_DNS: return "INTERNAL_IP6_DNS";
    case CfgAttr::INTERNAL_IP6_DHCP: return "INTERNAL_IP6_DHCP";
    case CfgAttr::INTERNAL_IP4_SUBNET: return "INTERNAL_IP4_SUBNET";
    case CfgAttr::SUPPORTED_ATTRIBUTES: return "SUPPORTED_ATTRIBUTES";
    case CfgAttr::INTERNAL_IP6_SUBNET: return "INTERNAL_IP6_SUBNET";
    case CfgAttr::INTERNAL_DNS_DOMAIN: return "INTERNAL_DNS_DOMAIN";
    case CfgAttr::CISCO_BANNER: return "CISCO_BANNER";
    case CfgAttr::CISCO_SAVE_PASSWORD: return "CISCO_SAVE_PASSWORD";
    case CfgAttr::CISCO_DEFAULT_DOMAIN: return "CISCO_DEFAULT_DOMAIN";
    case CfgAttr::CISCO_SPLIT_DNS: return "CISCO_SPLIT_DNS";
    case CfgAttr::CISCO_SPLIT_INCLUDE: return "CISCO_SPLIT_INCLUDE";
    case CfgAttr::CISCO_NATT_PORT: return "CISCO_NATT_PORT";
    case CfgAttr::CISCO_SPLIT_EXCLUDE: return "CISCO_SPLIT_EXCLUDE";
    case CfgAttr::CISCO_PFS: return "CISCO_PFS";
    case CfgAttr::CISCO_BACKUP_SERVERS: return "CISCO_BACKUP_SERVERS";
    case CfgAttr::CISCO_DDNS_HOSTNAME: return "CISCO_DDNS_HOSTNAME";
    }
    return unknown(static_cast<unsigned>(v));
}

std::string name(HashAlgorithm v) {
    switch (v) {
    case HashAlgorithm::SHA1: return "SHA1";
    case HashAlgorithm::SHA2_256: return "SHA2_256";
    case HashAlgorithm::SHA2_384: return "SHA2_384";
    case HashAlgorithm::SHA2_512: return "SHA2_512";
    case HashAlgorithm::IDENTITY: return "IDENTITY";
    }
    return unknown(static_cast<unsigned>(v));
}

std::string transform_name(TransformType type, std::uint16_t id) {
    switch (type) {
    case TransformType::ENCR: return name(static_cast<EncrId>(id));
    case TransformType::PRF: return name(static_cast<PrfId>(id));
    case TransformType::INTEG: return name(static_cast<IntegId>(id));
    case TransformType::DH: return name(static_cast<DhGroup>(id));
    case TransformType::ESN:
        switch (static_cast<EsnId>(id)) {
        case EsnId::NO_ESN: return "NO_ESN";
        case EsnId::ESN: return "ESN";
        }
        return unknown(id);
    }
    return unknown(id);
}

}  // namespace ikev2d::iana
