#include "config/algorithm_names.hpp"

#include <array>
#include <charconv>

namespace ikev2d::config {
namespace {

using iana::DhGroup;
using iana::EapType;
using iana::EncrId;
using iana::IntegId;
using iana::PrfId;

template <class T>
struct Named {
    std::string_view name;
    T value;
};

// AES-GCM and AES-CCM use the 16-octet ICV variants: the only ones clients offer in practice.
constexpr std::array<Named<EncrSpec>, 10> kEncryption{{
    {"aes-128", {EncrId::AES_CBC, 128}},
    {"aes-192", {EncrId::AES_CBC, 192}},
    {"aes-256", {EncrId::AES_CBC, 256}},
    {"aes-gcm-128", {EncrId::AES_GCM_16, 128}},
    {"aes-gcm-192", {EncrId::AES_GCM_16, 192}},
    {"aes-gcm-256", {EncrId::AES_GCM_16, 256}},
    {"aes-ccm-128", {EncrId::AES_CCM_16, 128}},
    {"aes-ccm-256", {EncrId::AES_CCM_16, 256}},
    {"chacha20-poly1305", {EncrId::CHACHA20_POLY1305, 256}},
    {"3des", {EncrId::TRIPLE_DES, 192}},
}};

// "sha" is the ASA's spelling of SHA-1.
constexpr std::array<Named<IntegId>, 6> kIntegrity{{
    {"sha1", IntegId::HMAC_SHA1_96},
    {"sha", IntegId::HMAC_SHA1_96},
    {"sha256", IntegId::HMAC_SHA2_256_128},
    {"sha384", IntegId::HMAC_SHA2_384_192},
    {"sha512", IntegId::HMAC_SHA2_512_256},
    {"md5", IntegId::HMAC_MD5_96},
}};

constexpr std::array<Named<PrfId>, 6> kPrf{{
    {"sha1", PrfId::HMAC_SHA1},
    {"sha", PrfId::HMAC_SHA1},
    {"sha256", PrfId::HMAC_SHA2_256},
    {"sha384", PrfId::HMAC_SHA2_384},
    {"sha512", PrfId::HMAC_SHA2_512},
    {"md5", PrfId::HMAC_MD5},
}};

constexpr std::array<Named<DhGroup>, 14> kGroups{{
    {"modp768", DhGroup::MODP_768},
    {"modp1024", DhGroup::MODP_1024},
    {"modp1536", DhGroup::MODP_1536},
    {"modp2048", DhGroup::MODP_2048},
    {"modp3072", DhGroup::MODP_3072},
    {"modp4096", DhGroup::MODP_4096},
    {"modp6144", DhGroup::MODP_6144},
    {"modp8192", DhGroup::MODP_8192},
    {"ecp256", DhGroup::ECP_256},
    {"ecp384", DhGroup::ECP_384},
    {"ecp521", DhGroup::ECP_521},
    {"curve25519", DhGroup::CURVE25519},
    {"x25519", DhGroup::CURVE25519},
    {"curve448", DhGroup::CURVE448},
}};

// "anyconnect" is Cisco's expanded EAP type carrying the aggregate-auth XML (shared/protocol).
// "tls": EAP-TLS (RFC 5216), client certificates checked against [trustpoint] ca_certificates.
constexpr std::array<Named<EapType>, 5> kEapMethods{{
    {"mschapv2", EapType::MSCHAPV2},
    {"md5", EapType::MD5},
    {"gtc", EapType::GTC},
    {"anyconnect", EapType::Expanded},
    {"tls", EapType::TLS},
}};

constexpr std::array<Named<ClientAuth>, 3> kClientAuth{{
    {"eap", ClientAuth::Eap},
    {"psk", ClientAuth::Psk},
    {"certificate", ClientAuth::Certificate},
}};

template <class T, std::size_t N>
std::optional<T> find(const std::array<Named<T>, N>& table, std::string_view name) {
    for (const auto& entry : table)
        if (entry.name == name) return entry.value;
    return std::nullopt;
}

template <class T, std::size_t N>
std::string join(const std::array<Named<T>, N>& table) {
    std::string out;
    for (const auto& entry : table) {
        if (!out.empty()) out += ", ";
        out += entry.name;
    }
    return out;
}

}  // namespace

bool EncrSpec::is_aead() const noexcept {
    switch (id) {
        case EncrId::AES_GCM_8: case EncrId::AES_GCM_12: case EncrId::AES_GCM_16:
        case EncrId::AES_CCM_8: case EncrId::AES_CCM_12: case EncrId::AES_CCM_16:
        case EncrId::CHACHA20_POLY1305:
            return true;
        default:
            return false;
    }
}

std::optional<EncrSpec> parse_encryption(std::string_view name) { return find(kEncryption, name); }
std::optional<iana::IntegId> parse_integrity(std::string_view name) { return find(kIntegrity, name); }
std::optional<iana::PrfId> parse_prf(std::string_view name) { return find(kPrf, name); }
std::optional<iana::EapType> parse_eap_method(std::string_view name) { return find(kEapMethods, name); }
std::optional<ClientAuth> parse_client_auth(std::string_view name) { return find(kClientAuth, name); }

std::optional<iana::DhGroup> parse_dh_group(std::string_view name) {
    if (auto g = find(kGroups, name)) return g;
    unsigned number = 0;
    auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), number);
    if (ec != std::errc() || end != name.data() + name.size() || name.empty()) return std::nullopt;
    for (const auto& entry : kGroups)
        if (static_cast<unsigned>(entry.value) == number) return entry.value;
    return std::nullopt;
}

std::string encryption_names() { return join(kEncryption); }
std::string integrity_names() { return join(kIntegrity); }
std::string prf_names() { return join(kPrf); }
std::string dh_group_names() { return join(kGroups) + " (or the group number)"; }
std::string eap_method_names() { return join(kEapMethods); }
std::string client_auth_names() { return join(kClientAuth); }

std::string encryption_name(const EncrSpec& spec) {
    for (const auto& entry : kEncryption)
        if (entry.value == spec) return std::string(entry.name);
    return iana::name(spec.id) + "-" + std::to_string(spec.key_bits);
}

std::string eap_method_name(iana::EapType type) {
    for (const auto& entry : kEapMethods)
        if (entry.value == type) return std::string(entry.name);
    return "eap-" + std::to_string(static_cast<unsigned>(type));
}

bool is_legacy_group(iana::DhGroup group) noexcept {
    return group == DhGroup::MODP_768 || group == DhGroup::MODP_1024 || group == DhGroup::MODP_1536;
}

}  // namespace ikev2d::config
