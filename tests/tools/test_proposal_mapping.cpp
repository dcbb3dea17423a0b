// The mapping of the gateway's proposals to each platform's names (tools/profile/
// proposal_mapping.cpp). Expected names are the platforms' documented keywords:
// strongSwan's proposal keywords (IKEv2 cipher suites wiki), Apple's
// IKESecurityAssociationParameters values, Windows' Set-VpnConnectionIPsecConfiguration enums.
#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "profile/proposal_mapping.hpp"

using namespace ikev2d;
using namespace ikev2d::profile;

namespace {

config::Config load(const std::string& toml) {
    auto r = config::load_string(toml, "test.conf");
    if (!r) FAIL(r.error().to_string());
    return std::move(r.value());
}

const std::string kTail = R"(
[pool.p]
range = "10.9.0.0/24"
[trustpoint]
self_signed = true
identity = "vpn.example.com"
[group.g]
pool = "p"
)";

// A modern gateway: AES-GCM first, then AES-CBC/SHA-2.
const std::string kModern = R"(
[[ike_policy]]
priority = 10
encryption = ["aes-gcm-256", "aes-gcm-128"]
prf = ["sha384", "sha256"]
groups = ["curve25519", "ecp384", "ecp256"]
[[ike_policy]]
priority = 20
encryption = ["aes-256", "aes-128"]
integrity = ["sha256", "sha1"]
groups = ["modp2048"]
[ipsec_proposal.default]
encryption = ["aes-gcm-256", "aes-128"]
integrity = ["sha256"]
)" + kTail;

// An old one: 3DES/SHA-1/MODP-1024 only, PFS required.
const std::string kLegacy = R"(
[global]
allow_legacy_groups = true
[[ike_policy]]
priority = 5
encryption = ["3des"]
integrity = ["sha1"]
groups = ["modp1024"]
[ipsec_proposal.default]
encryption = ["3des"]
integrity = ["sha1"]
pfs = "require"
pfs_groups = ["modp1024"]
)" + kTail;

}  // namespace

TEST_CASE("strongSwan proposals: one per policy and cipher kind, every algorithm of the policy") {
    auto c = load(kModern);
    CHECK(strongswan_ike_proposals(c) ==
          std::vector<std::string>{"aes256gcm16-aes128gcm16-prfsha384-prfsha256-curve25519-ecp384-ecp256",
                                   "aes256-aes128-sha256-sha1-prfsha256-prfsha1-modp2048"});
    CHECK(strongswan_esp_proposals(c, *c.proposal("default")) ==
          std::vector<std::string>{"aes256gcm16", "aes128-sha256"});
}

TEST_CASE("strongSwan ESP proposals carry the PFS groups only when PFS is required") {
    auto c = load(kLegacy);
    CHECK(strongswan_ike_proposals(c) == std::vector<std::string>{"3des-sha1-prfsha1-modp1024"});
    CHECK(strongswan_esp_proposals(c, *c.proposal("default")) == std::vector<std::string>{"3des-sha1-modp1024"});
}

TEST_CASE("Apple: the first combination in the gateway's order") {
    auto c = load(kModern);
    const auto ike = apple_ike_parameters(c);
    CHECK(ike.encryption == "AES-256-GCM");
    CHECK(ike.integrity == "SHA2-384");  // the PRF, with GCM
    CHECK(ike.dh_group == 31);
    CHECK(ike.lifetime_minutes == 1440);
    bool pfs = false;
    const auto child = apple_child_parameters(c, *c.proposal("default"), pfs);
    CHECK(child.encryption == "AES-256-GCM");
    CHECK(child.lifetime_minutes == 480);
    CHECK(pfs);
    CHECK(child.dh_group == 31);
}

TEST_CASE("Apple: a non-AEAD cipher needs the PRF of its integrity algorithm in the policy") {
    // Policy 10's integrity sha384 would make Apple use PRF-SHA384, which the policy lacks.
    auto c = load(R"(
[[ike_policy]]
priority = 10
encryption = ["aes-256"]
integrity = ["sha384"]
prf = ["sha256"]
groups = ["ecp256"]
[[ike_policy]]
priority = 20
encryption = ["aes-128"]
integrity = ["sha256"]
groups = ["modp2048"]
[ipsec_proposal.default]
encryption = ["aes-gcm-128"]
)" + kTail);
    const auto ike = apple_ike_parameters(c);
    CHECK(ike.encryption == "AES-128");
    CHECK(ike.integrity == "SHA2-256");
    CHECK(ike.dh_group == 14);
}

TEST_CASE("Windows: the IKE and ESP values follow the configuration") {
    auto modern = load(kModern);
    auto w = windows_ipsec_configuration(modern, *modern.proposal("default"));
    CHECK(w.encryption_method == "GCMAES256");
    CHECK(w.integrity_check_method == "SHA384");
    CHECK(w.dh_group == "ECP384");  // curve25519 is first, but Windows lacks it
    CHECK(w.cipher_transform == "GCMAES256");
    CHECK(w.authentication_transform == "GCMAES256");
    CHECK(w.pfs_group == "ECP384");

    auto legacy = load(kLegacy);
    w = windows_ipsec_configuration(legacy, *legacy.proposal("default"));
    CHECK(w.encryption_method == "DES3");
    CHECK(w.integrity_check_method == "SHA1");
    CHECK(w.dh_group == "Group2");
    CHECK(w.cipher_transform == "DES3");
    CHECK(w.authentication_transform == "SHA196");
    CHECK(w.pfs_group == "PFS2");
}

TEST_CASE("Windows: a configuration Windows cannot meet is an error, not a guess") {
    SECTION("IKE: only groups Windows lacks") {
        auto c = load(R"(
[[ike_policy]]
priority = 10
encryption = ["aes-gcm-256"]
prf = ["sha256"]
groups = ["curve25519", "modp4096"]
[ipsec_proposal.default]
encryption = ["aes-gcm-256"]
)" + kTail);
        CHECK_THROWS_AS(windows_ipsec_configuration(c, *c.proposal("default")), ProfileError);
    }
    SECTION("ESP: only ChaCha20-Poly1305") {
        auto c = load(R"(
[[ike_policy]]
priority = 10
encryption = ["aes-256"]
integrity = ["sha256"]
groups = ["ecp256"]
[ipsec_proposal.default]
encryption = ["chacha20-poly1305"]
)" + kTail);
        CHECK_THROWS_AS(windows_ipsec_configuration(c, *c.proposal("default")), ProfileError);
    }
    SECTION("PFS required with groups Windows lacks") {
        auto c = load(R"(
[[ike_policy]]
priority = 10
encryption = ["aes-256"]
integrity = ["sha256"]
groups = ["ecp256"]
[ipsec_proposal.default]
encryption = ["aes-256"]
integrity = ["sha256"]
pfs = "require"
pfs_groups = ["curve25519"]
)" + kTail);
        CHECK_THROWS_AS(windows_ipsec_configuration(c, *c.proposal("default")), ProfileError);
    }
}

TEST_CASE("PFS refused: Windows gets None, Apple EnablePFS off") {
    auto c = load(R"(
[[ike_policy]]
priority = 10
encryption = ["aes-256"]
integrity = ["sha256"]
groups = ["ecp256"]
[ipsec_proposal.default]
encryption = ["aes-256"]
integrity = ["sha256"]
pfs = "refuse"
)" + kTail);
    CHECK(windows_ipsec_configuration(c, *c.proposal("default")).pfs_group == "None");
    bool pfs = true;
    apple_child_parameters(c, *c.proposal("default"), pfs);
    CHECK_FALSE(pfs);
    CHECK(strongswan_esp_proposals(c, *c.proposal("default")) == std::vector<std::string>{"aes256-sha256"});
}
