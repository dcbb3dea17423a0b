// Private keys in every supported encoding, key generation, and the self-signed gateway
// certificate (tests/unit/data/pki/README.md describes the files).
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "crypto/private_key.hpp"
#include "crypto/self_signed.hpp"
#include "util/log.hpp"

using namespace ikev2d;
using namespace ikev2d::crypto;

namespace {
std::string pki(const std::string& name) {
    const char* dir = std::getenv("IKEV2D_TEST_DATA");
    REQUIRE(dir != nullptr);
    return std::string(dir) + "/pki/" + name;
}
Certificate cert(const std::string& name) { return Certificate::load_file(pki(name)).at(0); }

// A fresh directory under TMPDIR, removed with everything in it at the end of the test.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "ikev2d-pki-XXXXXX").string();
        REQUIRE(mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string operator/(const std::string& name) const { return (path / name).string(); }
};
mode_t file_mode(const std::string& path) {
    struct stat st {};
    REQUIRE(stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}
}  // namespace

TEST_CASE("private keys load from PKCS#1, SEC1, PKCS#8, PEM and DER", "[pki][keys]") {
    const auto gateway = cert("gateway.pem");
    const auto client = cert("client.pem");

    const auto rsa_pem = PrivateKey::load_file(pki("gateway.key"));      // PKCS#1 PEM
    const auto rsa_der = PrivateKey::load_file(pki("gateway.key.der"));  // PKCS#1 DER
    CHECK(rsa_pem.type() == KeyType::RSA);
    CHECK(rsa_pem.bits() == 2048);
    CHECK(rsa_pem.matches(gateway));
    CHECK(rsa_der.matches(gateway));

    const auto ec_sec1 = PrivateKey::load_file(pki("client.key"));       // SEC1 PEM
    const auto ec_p8 = PrivateKey::load_file(pki("client.p8.pem"));      // PKCS#8 PEM
    const auto ec_p8_der = PrivateKey::load_file(pki("client.p8.der"));  // PKCS#8 DER
    for (const auto* k : {&ec_sec1, &ec_p8, &ec_p8_der}) {
        CHECK(k->type() == KeyType::ECDSA_P256);
        CHECK(k->matches(client));
        CHECK_FALSE(k->matches(gateway));
    }
    CHECK(PrivateKey::load_file(pki("inter.key")).type() == KeyType::ECDSA_P384);
    CHECK(PrivateKey::load_file(pki("p521.key")).type() == KeyType::ECDSA_P521);
    const auto ed = PrivateKey::load_file(pki("ed25519.key"));
    CHECK(ed.type() == KeyType::ED25519);
    CHECK(ed.matches(cert("ed25519.pem")));
}

TEST_CASE("private key errors name the file", "[pki][keys]") {
    for (const char* name : {"no-such.key", "gateway.pem", "README.md"}) {
        try {
            PrivateKey::load_file(pki(name));
            FAIL("no exception for " << name);
        } catch (const CryptoError& e) {
            CHECK_THAT(e.what(), Catch::Contains(name));
        }
    }
    TempDir dir;
    std::ofstream(dir / "enc.key")
        << "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n";
    CHECK_THROWS_WITH(PrivateKey::load_file(dir / "enc.key"), Catch::Contains("encrypted"));
    std::ofstream(dir / "empty.key").flush();
    CHECK_THROWS_AS(PrivateKey::load_file(dir / "empty.key"), CryptoError);
}

namespace {
std::vector<std::string> g_log_lines;
void capture(log::Category, int, std::string_view line) { g_log_lines.emplace_back(line); }
}  // namespace

TEST_CASE("a key file readable by others loads with a warning", "[pki][keys]") {
    TempDir dir;
    std::filesystem::copy_file(pki("client.key"), dir / "open.key");
    std::filesystem::copy_file(pki("client.key"), dir / "closed.key");
    REQUIRE(chmod((dir / "open.key").c_str(), 0644) == 0);
    REQUIRE(chmod((dir / "closed.key").c_str(), 0600) == 0);
    g_log_lines.clear();
    log::set_sink(capture);
    CHECK(PrivateKey::load_file(dir / "closed.key").type() == KeyType::ECDSA_P256);
    CHECK(g_log_lines.empty());
    CHECK(PrivateKey::load_file(dir / "open.key").type() == KeyType::ECDSA_P256);
    log::set_sink(nullptr);
    REQUIRE(g_log_lines.size() == 1);
    CHECK_THAT(g_log_lines[0], Catch::Contains("open.key") && Catch::Contains("644"));
}

TEST_CASE("generated keys have the asked type and survive a PEM round trip", "[pki][keys]") {
    for (auto t : {KeyType::ECDSA_P256, KeyType::ECDSA_P384, KeyType::ECDSA_P521, KeyType::ED25519}) {
        const auto key = PrivateKey::generate(t);
        CHECK(key.type() == t);
        std::string pem = key.to_pem();
        CHECK_THAT(pem, Catch::StartsWith("-----BEGIN PRIVATE KEY-----"));  // unencrypted PKCS#8
        const auto again = PrivateKey::from_pem_or_der(as_bytes(pem));
        CHECK(again.type() == t);
        CHECK(again.public_key_der() == key.public_key_der());
        CHECK(PrivateKey::generate(t).public_key_der() != key.public_key_der());
    }
    const auto rsa = PrivateKey::generate(KeyType::RSA, 2048);
    CHECK(rsa.type() == KeyType::RSA);
    CHECK(rsa.bits() == 2048);
    CHECK_THROWS_AS(PrivateKey::generate(KeyType::RSA, 1024), CryptoError);
}

TEST_CASE("make_self_signed: subject, SANs, EKUs, validity", "[pki][selfsigned]") {
    const auto key = PrivateKey::generate(KeyType::ECDSA_P256);
    SelfSignedOptions options;
    options.identities = {"vpn.example.org", "198.51.100.7", "2001:db8::7"};
    const auto c = make_self_signed(key, options);
    CHECK(c.subject_dn() == "CN=vpn.example.org");
    CHECK(c.issuer_dn() == c.subject_dn());
    CHECK(c.is_self_signed());
    CHECK_FALSE(c.is_ca());
    CHECK(c.dns_names() == std::vector<std::string>{"vpn.example.org"});
    CHECK(c.ip_addresses() == std::vector<std::string>{"198.51.100.7", "2001:db8::7"});
    CHECK(c.matches_identity("198.51.100.7"));
    CHECK(c.has_extended_key_usage(kEkuServerAuth));
    CHECK(c.has_extended_key_usage(kEkuIkeIntermediate));
    CHECK(key.matches(c));
    CHECK(c.key_type() == KeyType::ECDSA_P256);
    const time_t now = time(nullptr);
    CHECK(c.not_before() <= now);
    CHECK(c.not_after() > now + 3649L * 24 * 3600);
    CHECK(c.not_after() < now + 3651L * 24 * 3600);
    CHECK(c.serial().size() == 16);
    CHECK_THROWS_AS(make_self_signed(key, SelfSignedOptions{}), CryptoError);
}

TEST_CASE("load_or_create_self_signed creates once, then reloads the same", "[pki][selfsigned]") {
    TempDir dir;
    const std::string cert_path = dir / "state/gateway.pem", key_path = dir / "state/gateway.key";
    const auto first = load_or_create_self_signed(cert_path, key_path, "vpn.example.org", KeyType::ECDSA_P256);
    CHECK(file_mode(key_path) == 0600);
    CHECK(file_mode(cert_path) == 0644);
    CHECK(file_mode(dir / "state") == 0700);
    CHECK(first.cert.matches_identity("vpn.example.org"));
    CHECK(first.cert.has_extended_key_usage(kEkuServerAuth));
    CHECK(first.key.type() == KeyType::ECDSA_P256);
    CHECK(first.key.matches(first.cert));
    // What is on disk is what was returned
    CHECK(Certificate::load_file(cert_path).at(0) == first.cert);
    CHECK(PrivateKey::load_file(key_path).matches(first.cert));
    // No temporary files are left behind
    CHECK(std::distance(std::filesystem::directory_iterator(dir / "state"), std::filesystem::directory_iterator()) ==
          2);

    const auto second = load_or_create_self_signed(cert_path, key_path, "vpn.example.org", KeyType::ECDSA_P256);
    CHECK(second.cert == first.cert);
    CHECK(second.key.public_key_der() == first.key.public_key_der());

    SECTION("a new identity remakes the certificate but keeps the key") {
        const auto third = load_or_create_self_signed(cert_path, key_path, "192.0.2.99", KeyType::ECDSA_P256);
        CHECK_FALSE(third.cert == first.cert);
        CHECK(third.cert.ip_addresses() == std::vector<std::string>{"192.0.2.99"});
        CHECK(third.key.public_key_der() == first.key.public_key_der());
    }
    SECTION("a certificate without its key is an error, not a silent new key") {
        std::filesystem::remove(key_path);
        CHECK_THROWS_WITH(load_or_create_self_signed(cert_path, key_path, "vpn.example.org", KeyType::ECDSA_P256),
                          Catch::Contains(cert_path));
    }
    SECTION("a certificate for another key is an error") {
        std::filesystem::copy_file(pki("client.key"), key_path, std::filesystem::copy_options::overwrite_existing);
        CHECK_THROWS_WITH(load_or_create_self_signed(cert_path, key_path, "vpn.example.org", KeyType::ECDSA_P256),
                          Catch::Contains("does not belong"));
    }
}

TEST_CASE("load_or_create_self_signed makes RSA-3072 when asked", "[pki][selfsigned]") {
    TempDir dir;
    const auto creds = load_or_create_self_signed(dir / "gw.pem", dir / "gw.key", "gw.example.org", KeyType::RSA);
    CHECK(creds.key.type() == KeyType::RSA);
    CHECK(creds.key.bits() == 3072);
    CHECK(creds.cert.key_type() == KeyType::RSA);
    CHECK(creds.cert.dns_names() == std::vector<std::string>{"gw.example.org"});
}
