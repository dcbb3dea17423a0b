// Interoperability with strongSwan's `pki` tool (package strongswan-pki): it must accept a
// self-signed gateway certificate made by our code and read our key file. pki is a
// build dependency (scripts/install-deps.sh installs strongswan-pki): without it the test
// fails rather than pass having checked nothing.
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "crypto/self_signed.hpp"

using namespace ikev2d;
using namespace ikev2d::crypto;

namespace {
struct Run {
    int status;
    std::string output;
};
Run run(const std::string& command) {
    Run r{-1, {}};
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 512> buf{};
    while (fgets(buf.data(), buf.size(), pipe)) r.output += buf.data();
    r.status = pclose(pipe);
    return r;
}
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "ikev2d-interop-XXXXXX").string();
        REQUIRE(mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string operator/(const std::string& name) const { return (path / name).string(); }
};
}  // namespace

TEST_CASE("strongSwan pki accepts our self-signed certificate and key", "[pki][interop]") {
    INFO("/usr/bin/pki is missing: install strongswan-pki (scripts/install-deps.sh)");
    REQUIRE(access("/usr/bin/pki", X_OK) == 0);
    TempDir dir;
    for (auto type : {KeyType::ECDSA_P256, KeyType::RSA}) {
        INFO(key_type_name(type));
        const std::string cert_path = dir / ("gw-" + key_type_name(type) + ".pem");
        const std::string key_path = dir / ("gw-" + key_type_name(type) + ".key");
        const auto creds = load_or_create_self_signed(cert_path, key_path, "vpn.example.org", type);

        const Run verify = run("/usr/bin/pki --verify --in " + cert_path + " --cacert " + cert_path);
        INFO(verify.output);
        CHECK(verify.status == 0);
        CHECK_THAT(verify.output, Catch::Contains("certificate trusted, lifetimes valid"));
        // pki prints this when the signature does not check out against the anchor
        CHECK_THAT(verify.output, !Catch::Contains("no issuer certificate found"));

        const Run print = run("/usr/bin/pki --print --in " + cert_path);
        INFO(print.output);
        CHECK_THAT(print.output, Catch::Contains("serverAuth"));
        CHECK_THAT(print.output, Catch::Contains("ikeIntermediate"));
        CHECK_THAT(print.output, Catch::Contains("altNames:  vpn.example.org"));

        // strongSwan reads our PKCS#8 key file and finds the certificate's key in it
        const Run keyid = run("/usr/bin/pki --keyid --type priv --in " + key_path + " --id spki --format hex");
        INFO(keyid.output);
        CHECK_THAT(keyid.output, Catch::Contains(to_hex(creds.cert.spki_sha1())));
    }

    // Negative control: a certificate whose signature was damaged is reported by pki
    const auto creds = load_or_create_self_signed(dir / "t.pem", dir / "t.key", "vpn.example.org", KeyType::ECDSA_P256);
    Bytes der = creds.cert.der();
    der[der.size() - 5] ^= 0x01;
    FILE* f = fopen((dir / "t.der").c_str(), "wb");
    REQUIRE(f != nullptr);
    fwrite(der.data(), 1, der.size(), f);
    fclose(f);
    const Run tampered = run("/usr/bin/pki --verify --in " + (dir / "t.der") + " --cacert " + (dir / "t.der"));
    CHECK_THAT(tampered.output, Catch::Contains("no issuer certificate found"));
}
