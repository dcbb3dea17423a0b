// What a client certificate must satisfy beyond a trusted chain (issue 9): validity
// period, extendedKeyUsage, revocation by a CRL, exact identity matching. Certificates
// from tests/unit/data/pki/generate-client-policy.sh.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "crypto/cert_policy.hpp"
#include "crypto/cert_store.hpp"

using namespace ikev2d;
using namespace ikev2d::crypto;

namespace {
std::string pki(const std::string& name) {
    const char* dir = std::getenv("IKEV2D_TEST_DATA");
    REQUIRE(dir != nullptr);
    return std::string(dir) + "/pki/" + name;
}
Certificate cert(const std::string& name) { return Certificate::load_file(pki(name)).at(0); }
}  // namespace

TEST_CASE("client certificates: validity period at the current time", "[pki][policy]") {
    CertStore store;
    store.add_trusted_file(pki("ca.pem"));
    std::string why;
    CHECK_FALSE(store.verify_chain(cert("client-expired.pem"), {}, &why));
    CHECK_FALSE(store.verify_chain(cert("client-future.pem"), {}, &why));
    REQUIRE(client_certificate_problem(cert("client-expired.pem")));
    CHECK(client_certificate_problem(cert("client-expired.pem"))->find("expired") != std::string::npos);
    REQUIRE(client_certificate_problem(cert("client-future.pem")));
    CHECK(client_certificate_problem(cert("client-future.pem"))->find("not valid yet") != std::string::npos);
    // The same certificates inside their validity periods (2020-06-01, 2042-01-01): only the time was wrong.
    CHECK_FALSE(client_certificate_problem(cert("client-expired.pem"), 1590969600));
    CHECK_FALSE(client_certificate_problem(cert("client-future.pem"), 2272147200));
}

TEST_CASE("client certificates: extendedKeyUsage must allow clientAuth or ipsecIKE", "[pki][policy]") {
    CHECK_FALSE(client_certificate_problem(cert("client.pem")));            // clientAuth
    CHECK_FALSE(client_certificate_problem(cert("client-ipsecike.pem")));   // id-kp-ipsecIKE only
    CHECK_FALSE(client_certificate_problem(cert("p521.pem")));              // no extendedKeyUsage at all
    const auto server_only = client_certificate_problem(cert("client-server-eku.pem"));
    REQUIRE(server_only);
    CHECK(server_only->find("1.3.6.1.5.5.7.3.1") != std::string::npos);
    CHECK(client_certificate_problem(cert("gateway.pem")));  // serverAuth + ikeIntermediate: a gateway's
    CHECK(cert("client-ipsecike.pem").extended_key_usages() == std::vector<std::string>{kEkuIpsecIke});
}

TEST_CASE("client certificates: a CRL from a trusted CA revokes, one from elsewhere is refused", "[pki][policy]") {
    CertStore store;
    store.add_trusted_file(pki("ca.pem"));
    std::string why;
    REQUIRE(store.verify_chain(cert("client-revoked.pem"), {}, &why));
    store.add_crl_file(pki("ca.crl"));
    CHECK(store.crl_count() == 1);
    CHECK_FALSE(store.verify_chain(cert("client-revoked.pem"), {}, &why));
    CHECK(why.find("revoked") != std::string::npos);
    // Others of the same CA are unaffected.
    CHECK(store.verify_chain(cert("rsa-client.pem"), {}, &why));
    CHECK(store.verify_chain(cert("client.pem"), {cert("inter.pem")}, &why));

    CertStore other;
    other.add_trusted_file(pki("ca.pem"));
    CHECK_THROWS_WITH(other.add_crl_file(pki("rogue.crl")), Catch::Contains("not signed by a trusted CA"));
    CHECK_THROWS(other.add_crl_file(pki("ca.pem")));  // not a CRL
    CHECK(other.crl_count() == 0);
}

TEST_CASE("client identities match subjectAltNames exactly; CN and wildcards only when allowed", "[pki][policy]") {
    const auto alice = cert("client.pem");  // rfc822Name alice@example.com, CN alice
    CHECK(alice.matches_identity("alice@example.com"));
    CHECK(alice.matches_identity("alice@EXAMPLE.com"));  // domains ignore case
    CHECK_FALSE(alice.matches_identity("Alice@example.com"));
    CHECK_FALSE(alice.matches_identity("alice"));
    CHECK_FALSE(alice.matches_identity("bob@example.com"));

    const auto cn_only = cert("client-cn-only.pem");  // no subjectAltName, CN heidi.example.com
    CHECK_FALSE(cn_only.matches_identity("heidi.example.com"));
    CHECK(cn_only.matches_identity("heidi.example.com", true));
    CHECK(cn_only.matches_identity("HEIDI.example.com", true));
    CHECK_FALSE(cn_only.matches_identity("other.example.com", true));

    const auto wildcard = cert("client-wildcard.pem");  // dNSName *.example.org
    CHECK_FALSE(wildcard.matches_identity("host.example.org"));
    CHECK_FALSE(wildcard.matches_identity("host.example.org", true));

    const auto gw = cert("gateway.pem");
    CHECK(gw.matches_identity("vpn.example.com"));
    CHECK(gw.matches_identity("192.0.2.1"));
    CHECK(gw.matches_identity("2001:db8:0::1"));
    CHECK_FALSE(gw.matches_identity("192.0.2.2"));
    CHECK(gw.matches_identity(gw.subject_dn()));
}
