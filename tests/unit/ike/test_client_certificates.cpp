// Client certificate authentication in IKE_AUTH (issue 9): beyond a trusted chain the
// gateway checks the validity period, extendedKeyUsage, the CRLs of the trustpoint,
// exact identity matching, and refuses SHA-1 signatures unless the group allows them.
// Certificates from tests/unit/data/pki (generate-client-policy.sh).
#include <catch2/catch.hpp>

#include <cstdlib>

#include "crypto/auth_signature.hpp"
#include "crypto/x509.hpp"
#include "gateway_harness.hpp"
#include "ike/payload_helpers.hpp"
#include "test_initiator.hpp"

using namespace test_ike;
using ikev2d::ike::find_payload;
using iana::ExchangeType;
using iana::NotifyType;
using iana::PayloadType;

namespace {

const Endpoint kClient{IpAddress::from_string("192.0.2.11"), 500};
const Endpoint kClientNatt{IpAddress::from_string("192.0.2.11"), 4500};

std::string pki(const std::string& name) {
    const char* data = std::getenv("IKEV2D_TEST_DATA");
    REQUIRE(data != nullptr);
    return std::string(data) + "/pki/" + name;
}

// The harness configuration with a certificate group as the default; extra lines go into
// [trustpoint] and [group.cert].
std::string cert_config(const std::string& trustpoint_extra = "", const std::string& group_extra = "") {
    std::string toml = kTestConfig;
    toml.replace(toml.find("default_group = \"eap\""), 21, "default_group = \"cert\"");
    toml += "\n[trustpoint]\nself_signed = true\nca_certificates = [\"" + pki("ca.pem") + "\"]\n" + trustpoint_extra;
    toml += "\n[group.cert]\npool = \"p\"\nclient_auth = \"certificate\"\nlocal_networks = [\"198.51.100.0/24\"]\n" + group_extra;
    return toml;
}

struct Attempt {
    std::string cert_file, key_file, id;
    std::vector<iana::HashAlgorithm> sign_hashes = {};  // as if the gateway announced these (empty: classic method)
};

// IKE_AUTH with the certificate (plus the intermediate, as clients send it); returns the
// error notify (0 = accepted) and checks that a refusal leaves no kernel state.
std::uint16_t authenticate(const std::string& toml, const Attempt& a) {
    GatewayHarness h(toml);
    TestInitiator ini(kClient, h.local);
    auto out = h.deliver(ini.self(), ini.sa_init_request(InitiatorProposal{}));
    REQUIRE(out.size() == 1);
    ini.process_sa_init_response(out[0]);
    auto payloads = ini.auth_payloads(a.id, std::nullopt, true);
    auto key = crypto::PrivateKey::load_file(pki(a.key_file));
    auto scheme = crypto::choose_auth_scheme(key, a.sign_hashes);
    std::vector<wire::Payload> request{payloads.front()};
    request.push_back({PayloadType::CERT, false, wire::CertPayload{4, crypto::Certificate::load_file(pki(a.cert_file)).front().der()}});
    request.push_back({PayloadType::CERT, false, wire::CertPayload{4, crypto::Certificate::load_file(pki("inter.pem")).front().der()}});
    request.push_back({PayloadType::AUTH, false, wire::AuthPayload{scheme.method, crypto::sign_auth(key, scheme, ini.initiator_octets())}});
    request.insert(request.end(), payloads.begin() + 1, payloads.end());
    auto resp = ini.open_response(h.deliver(kClientNatt, ini.request(ExchangeType::IKE_AUTH, request)));
    for (const auto& p : resp)
        if (const auto* n = std::get_if<wire::NotifyPayload>(&p.body); n && n->type < iana::kFirstStatusNotify) {
            REQUIRE(h.kernel.sas().empty());
            return n->type;
        }
    REQUIRE(find_payload<wire::AuthPayload>(resp, PayloadType::AUTH));
    REQUIRE(h.kernel.sas().size() == 2);
    return 0;
}

constexpr auto kAuthFailed = static_cast<std::uint16_t>(NotifyType::AUTHENTICATION_FAILED);

}  // namespace

TEST_CASE("client certificate: expired and not yet valid certificates are refused") {
    const std::string toml = cert_config();
    REQUIRE(authenticate(toml, {"client.pem", "client.key", "alice@example.com"}) == 0);
    CHECK(authenticate(toml, {"client-expired.pem", "client.key", "carol@example.com"}) == kAuthFailed);
    CHECK(authenticate(toml, {"client-future.pem", "client.key", "dave@example.com"}) == kAuthFailed);
}

TEST_CASE("client certificate: extendedKeyUsage must allow clientAuth or ipsecIKE") {
    const std::string toml = cert_config();
    CHECK(authenticate(toml, {"client-server-eku.pem", "client.key", "erin.example.com"}) == kAuthFailed);
    CHECK(authenticate(toml, {"client-ipsecike.pem", "client.key", "frank@example.com"}) == 0);
}

TEST_CASE("client certificate: a certificate the trustpoint's CRL lists is refused") {
    CHECK(authenticate(cert_config(), {"client-revoked.pem", "client.key", "grace@example.com"}) == 0);
    const std::string with_crl = cert_config("crls = [\"" + pki("ca.crl") + "\"]\n");
    CHECK(authenticate(with_crl, {"client-revoked.pem", "client.key", "grace@example.com"}) == kAuthFailed);
    CHECK(authenticate(with_crl, {"client.pem", "client.key", "alice@example.com"}) == 0);
}

TEST_CASE("client certificate: no CN fallback and no wildcards unless allow_cn_identity") {
    CHECK(authenticate(cert_config(), {"client-cn-only.pem", "client.key", "heidi.example.com"}) == kAuthFailed);
    CHECK(authenticate(cert_config("allow_cn_identity = true\n"), {"client-cn-only.pem", "client.key", "heidi.example.com"}) == 0);
    CHECK(authenticate(cert_config(), {"client-wildcard.pem", "client.key", "host.example.org"}) == kAuthFailed);
    CHECK(authenticate(cert_config("allow_cn_identity = true\n"), {"client-wildcard.pem", "client.key", "host.example.org"}) ==
          kAuthFailed);
}

TEST_CASE("client certificate: SHA-1 signatures only where the group allows them") {
    const Attempt method1{"rsa-client.pem", "rsa-client.key", "win@example.com"};  // RSA_SIG: PKCS#1 v1.5 with SHA-1
    CHECK(authenticate(cert_config(), method1) == kAuthFailed);
    CHECK(authenticate(cert_config("", "allow_sha1_signatures = true\n"), method1) == 0);
    Attempt rfc7427_sha1 = method1;
    rfc7427_sha1.sign_hashes = {iana::HashAlgorithm::SHA1};  // choose_auth_scheme falls back to method 1 here
    CHECK(authenticate(cert_config(), rfc7427_sha1) == kAuthFailed);
    Attempt rfc7427_sha256 = method1;
    rfc7427_sha256.sign_hashes = {iana::HashAlgorithm::SHA2_256};
    CHECK(authenticate(cert_config(), rfc7427_sha256) == 0);
}
