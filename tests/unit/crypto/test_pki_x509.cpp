// Certificate parsing against the checked-in test PKI (tests/unit/data/pki/README.md).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <optional>

#include "crypto/x509.hpp"

using namespace ikev2d;
using namespace ikev2d::crypto;

namespace {
std::string pki(const std::string& name) {
    const char* dir = std::getenv("IKEV2D_TEST_DATA");
    REQUIRE(dir != nullptr);
    return std::string(dir) + "/pki/" + name;
}
std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

TEST_CASE("PEM and DER certificates load to the same certificate", "[pki][x509]") {
    auto pem = Certificate::load_file(pki("gateway.pem"));
    auto der = Certificate::load_file(pki("gateway.der"));
    REQUIRE(pem.size() == 1);
    REQUIRE(der.size() == 1);
    CHECK(pem[0] == der[0]);
    const std::string file_der = slurp(pki("gateway.der"));
    CHECK(pem[0].der() == Bytes(file_der.begin(), file_der.end()));
    CHECK(Certificate::from_pem(slurp(pki("gateway.pem"))) == der[0]);
    CHECK(Certificate::from_der(der[0].der()) == der[0]);
    CHECK(Certificate::from_pem(pem[0].to_pem()) == der[0]);
}

TEST_CASE("a PEM bundle loads every certificate in order", "[pki][x509]") {
    auto certs = Certificate::load_file(pki("bundle.pem"));
    REQUIRE(certs.size() == 2);
    CHECK(certs[0].subject_dn() == "CN=ikev2d Test Root CA,O=ikev2d tests");
    CHECK(certs[1].subject_dn() == "CN=ikev2d Test Intermediate CA,O=ikev2d tests");
}

TEST_CASE("loading errors name the file", "[pki][x509]") {
    try {
        Certificate::load_file(pki("no-such-file.pem"));
        FAIL("no exception");
    } catch (const CryptoError& e) {
        CHECK_THAT(e.what(), Catch::Contains("no-such-file.pem"));
    }
    try {
        Certificate::load_file(pki("gateway.key"));  // PEM, but no certificate in it
        FAIL("no exception");
    } catch (const CryptoError& e) {
        CHECK_THAT(e.what(), Catch::Contains("gateway.key"));
    }
    try {
        Certificate::load_file(pki("README.md"));  // neither PEM nor DER
        FAIL("no exception");
    } catch (const CryptoError& e) {
        CHECK_THAT(e.what(), Catch::Contains("README.md"));
    }
    const Bytes der = Certificate::load_file(pki("gateway.der"))[0].der();
    CHECK_THROWS_AS(Certificate::from_der(ByteView(der).first(der.size() - 10)), CryptoError);
    CHECK_THROWS_AS(Certificate::from_der({}), CryptoError);
    CHECK_THROWS_AS(Certificate::from_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
                    CryptoError);
}

TEST_CASE("subject, issuer and subjectAltNames", "[pki][x509]") {
    const auto gw = Certificate::load_file(pki("gateway.pem"))[0];
    CHECK(gw.subject_dn() == "CN=vpn.example.com,O=ikev2d tests");
    CHECK(gw.issuer_dn() == "CN=ikev2d Test Root CA,O=ikev2d tests");
    // The Name DER, cut out of gateway.der by a python DER walk (6th field of TBSCertificate).
    CHECK(to_hex(gw.subject_dn_der()) ==
          "303131153013060355040a130c696b65763264207465737473311830160603550403130f76706e2e6578616d706c652e63"
          "6f6d");
    CHECK(gw.dns_names() == std::vector<std::string>{"vpn.example.com", "gw.example.net"});
    CHECK(gw.ip_addresses() == std::vector<std::string>{"192.0.2.1", "2001:db8::1"});
    CHECK(gw.email_addresses().empty());
    CHECK(gw.serial() == Bytes{0x03});
    CHECK(gw.serial_hex() == "03");
    CHECK(gw.has_extended_key_usage(kEkuServerAuth));
    CHECK(gw.has_extended_key_usage(kEkuIkeIntermediate));
    CHECK_FALSE(gw.has_extended_key_usage(kEkuClientAuth));
    CHECK_FALSE(gw.is_ca());
    CHECK_FALSE(gw.is_self_signed());
    CHECK(gw.not_before() < gw.not_after());

    const auto client = Certificate::load_file(pki("client.pem"))[0];
    CHECK(client.email_addresses() == std::vector<std::string>{"alice@example.com"});
    CHECK(client.dns_names().empty());
    CHECK(client.issuer_dn() == "CN=ikev2d Test Intermediate CA,O=ikev2d tests");

    const auto ca = Certificate::load_file(pki("ca.pem"))[0];
    CHECK(ca.is_ca());
    CHECK(ca.is_self_signed());

    const auto expired = Certificate::load_file(pki("expired-ca.pem"))[0];
    CHECK(expired.not_before() == 1577836800);  // 2020-01-01 00:00:00 UTC
    CHECK(expired.not_after() == 1609459200);   // 2021-01-01 00:00:00 UTC
}

TEST_CASE("identity matching against SANs", "[pki][x509]") {
    const auto gw = Certificate::load_file(pki("gateway.pem"))[0];
    CHECK(gw.matches_identity("vpn.example.com"));
    CHECK(gw.matches_identity("VPN.Example.COM"));
    CHECK(gw.matches_identity("gw.example.net"));
    CHECK(gw.matches_identity("192.0.2.1"));
    CHECK(gw.matches_identity("2001:db8::1"));
    CHECK(gw.matches_identity("CN=vpn.example.com,O=ikev2d tests"));
    CHECK_FALSE(gw.matches_identity("192.0.2.2"));
    CHECK_FALSE(gw.matches_identity("2001:db8::2"));
    CHECK_FALSE(gw.matches_identity("evil.example.com"));
    CHECK_FALSE(gw.matches_identity("example.com"));
    CHECK_FALSE(gw.matches_identity(""));
    CHECK_FALSE(gw.matches_identity("CN=vpn.example.com"));

    const auto client = Certificate::load_file(pki("client.pem"))[0];
    CHECK(client.matches_identity("alice@example.com"));
    CHECK_FALSE(client.matches_identity("bob@example.com"));
    CHECK_FALSE(client.matches_identity("vpn.example.com"));
}

TEST_CASE("SPKI SHA-1 (the CERTREQ authority indicator) and key types", "[pki][x509]") {
    // Expected: `pki --keyid --type x509 --in X.pem --id spki --format hex` (strongSwan), and
    // the same from python hashlib over `certtool --pubkey-info --load-certificate X.pem --outder`.
    const auto ca = Certificate::load_file(pki("ca.pem"))[0];
    const auto gw = Certificate::load_file(pki("gateway.pem"))[0];
    const auto client = Certificate::load_file(pki("client.pem"))[0];
    CHECK(to_hex(ca.spki_sha1()) == "0e7568496c55fb0a3e0a8a5707b471c0af426a48");
    CHECK(to_hex(gw.spki_sha1()) == "cbeb31d3aa2fb34d7da00b437b5430eabe28d77e");
    CHECK(to_hex(client.spki_sha1()) == "9cfb4030b9f1987e98b27d9dbf96ca9a6e36c2e8");

    CHECK(ca.key_type() == KeyType::RSA);
    CHECK(gw.key_type() == KeyType::RSA);
    CHECK(gw.key_bits() == 2048);
    CHECK(client.key_type() == KeyType::ECDSA_P256);
    CHECK(Certificate::load_file(pki("inter.pem"))[0].key_type() == KeyType::ECDSA_P384);
    CHECK(Certificate::load_file(pki("p521.pem"))[0].key_type() == KeyType::ECDSA_P521);
    CHECK(Certificate::load_file(pki("ed25519.pem"))[0].key_type() == KeyType::ED25519);
}

TEST_CASE("copies share the handle and outlive the original", "[pki][x509]") {
    std::optional<Certificate> copy;
    {
        auto certs = Certificate::load_file(pki("gateway.pem"));
        copy = certs[0];
    }
    CHECK(copy->subject_dn() == "CN=vpn.example.com,O=ikev2d tests");
}
