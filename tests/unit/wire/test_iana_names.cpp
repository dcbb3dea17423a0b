// util/iana.cpp names, spelled as in the seed's ASA debug output.
#include <catch2/catch.hpp>

#include "util/iana.hpp"

using namespace ikev2d::iana;

TEST_CASE("transform names match the ASA's spelling", "[iana]") {
    CHECK(name(EncrId::AES_CBC) == "AES-CBC");
    CHECK(name(EncrId::AES_GCM_16) == "AES-GCM-16");
    CHECK(name(EncrId::TRIPLE_DES) == "3DES");
    CHECK(name(PrfId::HMAC_SHA1) == "SHA1");
    CHECK(name(PrfId::HMAC_SHA2_512) == "SHA512");
    CHECK(name(IntegId::HMAC_SHA1_96) == "SHA96");
    CHECK(name(IntegId::HMAC_MD5_96) == "MD596");
    CHECK(name(DhGroup::MODP_1024) == "DH_GROUP_1024_MODP/Group 2");
    CHECK(name(DhGroup::MODP_768) == "DH_GROUP_768_MODP/Group 1");
    CHECK(transform_name(TransformType::DH, 5) == "DH_GROUP_1536_MODP/Group 5");
    CHECK(transform_name(TransformType::INTEG, 12) == "SHA256");
    CHECK(transform_name(TransformType::ESN, 1) == "ESN");
    CHECK(transform_name(TransformType::ENCR, 99) == "UNKNOWN(99)");
    CHECK(transform_name(static_cast<TransformType>(9), 1) == "UNKNOWN(1)");
}

TEST_CASE("other registries and unknown values", "[iana]") {
    CHECK(name(ExchangeType::IKE_SA_INIT) == "IKE_SA_INIT");
    CHECK(name(static_cast<ExchangeType>(99)) == "UNKNOWN(99)");
    CHECK(name(PayloadType::SK) == "ENCR");
    CHECK(name(PayloadType::Nonce) == "N");
    CHECK(name(PayloadType::Notify) == "NOTIFY");
    CHECK(name(static_cast<PayloadType>(200)) == "UNKNOWN(200)");
    CHECK(name(NotifyType::NAT_DETECTION_SOURCE_IP) == "NAT_DETECTION_SOURCE_IP");
    CHECK(name(NotifyType::UNSUPPORTED_CRITICAL_PAYLOAD) == "UNSUPPORTED_CRITICAL_PAYLOAD");
    CHECK(name(static_cast<NotifyType>(40000)) == "UNKNOWN(40000)");
    CHECK(name(AuthMethod::RSA_SIG) == "RSA");
    CHECK(name(AuthMethod::SHARED_KEY) == "PSK");
    CHECK(name(CfgType::CFG_REPLY) == "CFG_REPLY");
    CHECK(name(CfgAttr::INTERNAL_IP4_ADDRESS) == "INTERNAL_IP4_ADDRESS");
    CHECK(name(CfgAttr::CISCO_SPLIT_INCLUDE) == "CISCO_SPLIT_INCLUDE");
    CHECK(name(IdType::CISCO_GROUP) == "GROUP_NAME");
    CHECK(name(ProtocolId::ESP) == "ESP");
    CHECK(name(HashAlgorithm::SHA2_256) == "SHA2_256");
}
