#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "config/algorithm_names.hpp"
#include "config/config.hpp"

using namespace ikev2d;
using namespace ikev2d::config;
using iana::DhGroup;
using iana::EncrId;
using iana::IntegId;

namespace {

IpAddress ip(const char* text) { return IpAddress::from_string(text); }
IpPrefix prefix(const char* text) { return *IpPrefix::parse(text); }

// A fresh directory under TMPDIR, removed at the end of the test.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string templ = (std::filesystem::temp_directory_path() / "ikev2d-config-XXXXXX").string();
        REQUIRE(::mkdtemp(templ.data()) != nullptr);
        path = templ;
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

const char* kMinimal = R"(
[pool.p]
range = "10.2.2.0/24"
[group.g]
pool = "p"
[user.u]
password = "secret"
)";

}  // namespace

TEST_CASE("the example configuration loads with every value", "[config][load]") {
    auto r = load_file(IKEV2D_EXAMPLES_DIR "/ikev2d.conf");
    INFO((r ? "" : r.error().to_string()));
    REQUIRE(r);
    const Config& c = *r;

    CHECK(c.source == IKEV2D_EXAMPLES_DIR "/ikev2d.conf");
    REQUIRE(c.global.listen.size() == 2);
    CHECK(c.global.listen[0] == ip("0.0.0.0"));
    CHECK(c.global.listen[1] == ip("::"));
    CHECK(c.global.ike_port == 500);
    CHECK(c.global.natt_port == 4500);
    CHECK(c.global.auth_timeout_s == 30);
    CHECK_FALSE(c.global.allow_legacy_groups);
    CHECK(c.global.state_dir == "/var/lib/ikev2d");
    CHECK(c.dpd.interval_s == 10);
    CHECK(c.dpd.retries == 2);
    CHECK(c.default_group == "ASA-IKEV2");
    CHECK(c.global.proposal_selection == ProposalSelection::Client);
    CHECK(c.global.workers == 0);  // one per online CPU

    REQUIRE(c.ike_policies.size() == 2);
    const IkePolicy& p10 = c.ike_policies[0];
    CHECK(p10.priority == 10);
    CHECK(p10.encryption == std::vector<EncrSpec>{{EncrId::AES_GCM_16, 256}, {EncrId::AES_GCM_16, 128}});
    CHECK(p10.integrity.empty());
    CHECK(p10.prf == std::vector<iana::PrfId>{iana::PrfId::HMAC_SHA2_256, iana::PrfId::HMAC_SHA2_384});
    CHECK(p10.groups == std::vector<DhGroup>{DhGroup::ECP_256, DhGroup::CURVE25519, DhGroup::ECP_384});
    CHECK(p10.lifetime_seconds == 86400);
    const IkePolicy& p20 = c.ike_policies[1];
    CHECK(p20.priority == 20);
    CHECK(p20.encryption.front() == EncrSpec{EncrId::AES_CBC, 256});
    CHECK(p20.integrity.back() == IntegId::HMAC_SHA1_96);
    // prf omitted: derived from integrity
    CHECK(p20.prf.size() == 4);
    CHECK(p20.prf.front() == iana::PrfId::HMAC_SHA2_256);

    REQUIRE(c.proposal("legacy"));
    CHECK(c.proposal("legacy")->encryption.back() == EncrSpec{EncrId::TRIPLE_DES, 192});
    CHECK(c.proposal("default")->lifetime_kbytes == 4608000);
    CHECK(c.proposal("nonexistent") == nullptr);

    REQUIRE(c.pool("webvpn1"));
    CHECK(c.pool("webvpn1")->first == ip("10.2.2.1"));
    CHECK(c.pool("webvpn1")->last == ip("10.2.2.10"));
    CHECK(c.pool("staff")->last == ip("10.3.0.254"));

    CHECK(c.trustpoint.certificate == "/etc/ikev2d/gateway-cert.pem");
    CHECK(c.trustpoint.identity == "vpn.example.com");
    CHECK_FALSE(c.trustpoint.self_signed);
    CHECK(c.trustpoint.crls == std::vector<std::string>{"/etc/ikev2d/client-ca.crl"});
    CHECK_FALSE(c.trustpoint.allow_cn_identity);

    const GroupConfig* g = c.group("ASA-IKEV2");
    REQUIRE(g);
    CHECK(g->pool == "webvpn1");
    CHECK(g->dns == std::vector<IpAddress>{ip("10.0.0.53")});
    CHECK(g->split_include.empty());
    CHECK(g->client_auth == ClientAuth::Eap);
    CHECK(g->eap_methods ==
          std::vector<iana::EapType>{iana::EapType::Expanded, iana::EapType::MSCHAPV2, iana::EapType::GTC});
    CHECK(g->local_networks == std::vector<IpPrefix>{prefix("0.0.0.0/0")});
    CHECK(g->idle_timeout_s == 1800);
    const GroupConfig* staff = c.group("staff");
    REQUIRE(staff);
    CHECK(staff->split_include ==
          std::vector<IpPrefix>{prefix("10.0.0.0/8"), prefix("192.168.10.0/24"), prefix("2001:db8:10::/48")});
    CHECK(staff->ipv6_pool == "staff6");
    CHECK(g->ipv6_pool.empty());
    CHECK(staff->dns_domains == std::vector<std::string>{"corp.example.com"});
    CHECK(staff->ipsec_proposal == "legacy");
    CHECK(c.group("site-psk")->client_auth == ClientAuth::Psk);
    CHECK(c.group("site-psk")->psk == "change me to a long random string");
    CHECK(c.group("site-psk")->ipsec_proposal == "default");
    CHECK(c.group("site-psk")->psk_identities ==
          std::vector<std::string>{"hq-router.example.com", "*@branch.example.com"});
    CHECK(c.proposal("default")->pfs == PfsPolicy::Accept);
    REQUIRE(c.user("kiosk@example.com"));
    CHECK_FALSE(c.user("kiosk@example.com")->password);
    REQUIRE(c.group("machines"));
    CHECK(c.group("machines")->client_auth == ClientAuth::Certificate);
    CHECK_FALSE(c.group("machines")->allow_sha1_signatures);

    const UserConfig* anu = c.user("Anu");
    REQUIRE(anu);
    CHECK(anu->password == "lAuoFgF7KmB3D0WI");
    REQUIRE(anu->nt_hash);  // filled from the password
    CHECK(to_hex(ByteView(anu->nt_hash->data(), 16)) == nt_hash_hex("lAuoFgF7KmB3D0WI"));
    const UserConfig* alice = c.user("alice");
    REQUIRE(alice);
    CHECK_FALSE(alice->password);
    CHECK(to_hex(ByteView(alice->nt_hash->data(), 16)) == "44ebba8d5312b8d611474411f56989ae");
    CHECK(c.user("bob")->password_hash->rfind("$6$", 0) == 0);
    CHECK(c.user("nobody") == nullptr);
}

TEST_CASE("a minimal file gets the defaults", "[config][load]") {
    auto r = load_string(kMinimal, "minimal.conf");
    INFO((r ? "" : r.error().to_string()));
    REQUIRE(r);
    const Config& c = *r;
    CHECK(c.global.listen.empty());
    CHECK(c.global.ike_port == 500);
    CHECK(c.global.retransmit_tries == 5);
    CHECK(c.default_group == "g");
    REQUIRE(c.ike_policies.size() == 1);
    for (auto group : c.ike_policies[0].groups) CHECK_FALSE(is_legacy_group(group));
    REQUIRE(c.ipsec_proposals.size() == 1);
    CHECK(c.ipsec_proposals[0].name == "default");
    CHECK(c.group("g")->ipsec_proposal == "default");
    CHECK(c.group("g")->eap_methods ==
          std::vector<iana::EapType>{iana::EapType::MSCHAPV2, iana::EapType::MD5, iana::EapType::GTC});
    CHECK(c.user("u")->group == "g");
    CHECK(c.trustpoint.self_signed);
    CHECK(c.trustpoint.certificate.find(c.global.state_dir) == 0);
}

TEST_CASE("legacy groups are accepted only when allowed", "[config][load]") {
    std::string text = std::string("[global]\nallow_legacy_groups = true\n") + kMinimal +
                       "[[ike_policy]]\npriority = 1\nencryption = [\"aes-192\"]\nintegrity = [\"sha\"]\nprf = [\"sha\"]\n"
                       "groups = [\"modp1024\", \"5\"]\n";
    auto r = load_string(text, "legacy.conf");
    INFO((r ? "" : r.error().to_string()));
    REQUIRE(r);
    // The seed's `crypto ikev2 policy 10`: aes-192, sha, group 2, prf sha.
    CHECK(r->ike_policies[0].encryption == std::vector<EncrSpec>{{EncrId::AES_CBC, 192}});
    CHECK(r->ike_policies[0].groups == std::vector<DhGroup>{DhGroup::MODP_1024, DhGroup::MODP_1536});
}

TEST_CASE("an EAP-TLS group needs no password for its users", "[config][load]") {
    const std::string text = "[pool.p]\nrange = \"10.2.2.0/24\"\n[group.g]\npool = \"p\"\neap_methods = [\"tls\", \"mschapv2\"]\n"
                             "[user.\"alice@example.com\"]\ngroup = \"g\"\n"
                             "[trustpoint]\nself_signed = true\nca_certificates = [\"/etc/ikev2d/client-ca.pem\"]\n";
    auto r = load_string(text, "tls.conf");
    INFO((r ? "" : r.error().to_string()));
    REQUIRE(r);
    CHECK(r->group("g")->eap_methods == std::vector<iana::EapType>{iana::EapType::TLS, iana::EapType::MSCHAPV2});
    CHECK_FALSE(r->user("alice@example.com")->password);
}

TEST_CASE("relative trustpoint paths are relative to the file", "[config][load]") {
    TempDir dir;
    const auto file = dir.path / "gw.conf";
    std::ofstream(file) << kMinimal << "[trustpoint]\ncertificate = \"cert.pem\"\nprivate_key = \"/abs/key.pem\"\n";
    auto r = load_file(file.string());
    INFO((r ? "" : r.error().to_string()));
    REQUIRE(r);
    CHECK(r->trustpoint.certificate == (dir.path / "cert.pem").string());
    CHECK(r->trustpoint.private_key == "/abs/key.pem");
}

// The packaged /etc/ikev2d/ikev2d.conf: a first start must let nobody in and leave the
// host's forwarding and routes alone (no pool), yet load, so that the service runs.
TEST_CASE("the packaged template loads and defines no group, user or pool", "[config][load]") {
    auto r = load_file(IKEV2D_TEMPLATE);
    INFO((r ? "" : r.error().to_string()));
    REQUIRE(r);
    CHECK(r->groups.empty());
    CHECK(r->users.empty());
    CHECK(r->pools.empty());
    CHECK(r->default_group.empty());
}

TEST_CASE("a missing file is an error naming it", "[config][load]") {
    auto r = load_file("/nonexistent/ikev2d.conf");
    REQUIRE_FALSE(r);
    CHECK(r.error().file == "/nonexistent/ikev2d.conf");
    CHECK_THAT(r.error().to_string(), Catch::StartsWith("/nonexistent/ikev2d.conf: cannot open"));
}

TEST_CASE("embedded default: usable, demo password made once and kept private", "[config][default]") {
    TempDir dir;
    const std::string state = (dir.path / "state").string();  // created on demand
    Config c = embedded_default(state);
    CHECK(c.source == "<embedded default>");
    CHECK(c.global.state_dir == state);
    CHECK(c.default_group == "default");
    const GroupConfig* g = c.group("default");
    REQUIRE(g);
    CHECK(g->client_auth == ClientAuth::Eap);
    CHECK(g->eap_methods ==
          std::vector<iana::EapType>{iana::EapType::MSCHAPV2, iana::EapType::MD5, iana::EapType::GTC});
    CHECK(g->split_include.empty());
    REQUIRE(c.pool(g->pool));
    CHECK(c.pool(g->pool)->first == ip("10.2.2.1"));
    REQUIRE(c.proposal(g->ipsec_proposal));
    REQUIRE_FALSE(c.ike_policies.empty());
    for (const auto& p : c.ike_policies) {
        for (auto group : p.groups) CHECK_FALSE(is_legacy_group(group));
        for (auto e : p.encryption) CHECK(e.id != EncrId::TRIPLE_DES);
    }
    CHECK(c.trustpoint.self_signed);
    CHECK(c.trustpoint.certificate.rfind(state, 0) == 0);

    const UserConfig* demo = c.user("demo");
    REQUIRE(demo);
    REQUIRE(demo->password);
    CHECK(demo->password->size() >= 16);
    CHECK(demo->nt_hash == nt_hash(*demo->password));

    struct stat st {};
    REQUIRE(::stat(demo_password_path(state).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    // The second start finds the same password.
    Config again = embedded_default(state);
    CHECK(again.user("demo")->password == demo->password);

    // A different state directory gets a different random password.
    Config other = embedded_default((dir.path / "other").string());
    CHECK(other.user("demo")->password != demo->password);
}

TEST_CASE("full tunnel by default covers each family the group hands out", "[config][load]") {
    const char* toml =
        "[global]\ndefault_group = \"dual\"\n[pool.p4]\nrange = \"10.2.2.0/24\"\n[pool.p6]\nrange = \"fd00:2::/120\"\n"
        "[group.dual]\npool = \"p4\"\nipv6_pool = \"p6\"\n"
        "[group.v6only]\npool = \"p6\"\n"
        "[group.v4only]\npool = \"p4\"\n"
        "[user.u]\ngroup = \"dual\"\npassword = \"secret\"\n";
    auto r = load_string(toml, "families.conf");
    INFO((r ? "" : r.error().to_string()));
    REQUIRE(r);
    CHECK(r->group("dual")->local_networks == std::vector<IpPrefix>{prefix("0.0.0.0/0"), prefix("::/0")});
    CHECK(r->group("v6only")->local_networks == std::vector<IpPrefix>{prefix("::/0")});
    CHECK(r->group("v4only")->local_networks == std::vector<IpPrefix>{prefix("0.0.0.0/0")});
}
