// Trust anchors and chain verification against the checked-in test PKI:
// ca -> inter -> client, ca -> gateway, rogue-ca -> rogue-client, ca -> expired-ca -> expired-client.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "crypto/cert_store.hpp"
#include "crypto/private_key.hpp"
#include "crypto/self_signed.hpp"

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

TEST_CASE("chains to the trusted root verify; others do not", "[pki][store]") {
    CertStore store;
    store.add_trusted_file(pki("ca.pem"));
    const auto inter = cert("inter.pem");
    std::string why;

    CHECK(store.verify_chain(cert("gateway.pem"), {}, &why));
    CHECK(store.verify_chain(cert("client.pem"), {inter}, &why));
    INFO(why);
    // Intermediates in any order, with unrelated certificates among them
    CHECK(store.verify_chain(cert("client.pem"), {cert("gateway.pem"), cert("rogue-ca.pem"), inter}, &why));

    SECTION("missing intermediate") {
        CHECK_FALSE(store.verify_chain(cert("client.pem"), {}, &why));
        CHECK_FALSE(why.empty());
    }
    SECTION("issuer with the same name but another key (untrusted root)") {
        CHECK_FALSE(store.verify_chain(cert("rogue-client.pem"), {}, &why));
        CHECK_FALSE(store.verify_chain(cert("rogue-client.pem"), {cert("rogue-ca.pem")}, &why));
        CHECK_FALSE(why.empty());
    }
    SECTION("expired intermediate") {
        CHECK_FALSE(store.verify_chain(cert("expired-client.pem"), {cert("expired-ca.pem")}, &why));
        CHECK_THAT(why, Catch::Contains("expired"));
    }
    SECTION("a tampered certificate") {
        Bytes der = cert("gateway.pem").der();
        der[der.size() - 20] ^= 0x01;  // inside the signature value
        CHECK_FALSE(store.verify_chain(Certificate::from_der(der), {}, &why));
    }
}

TEST_CASE("an empty store trusts nothing; a pinned self-signed certificate is trusted", "[pki][store]") {
    CertStore empty;
    CHECK(empty.empty());
    CHECK_FALSE(empty.verify_chain(cert("gateway.pem"), {}));
    CHECK_FALSE(empty.verify_chain(cert("ca.pem"), {}));

    const auto key = PrivateKey::generate(KeyType::ECDSA_P256);
    SelfSignedOptions o;
    o.identities = {"vpn.example.org"};
    const auto self = make_self_signed(key, o);
    CertStore pinned;
    pinned.add_trusted(self);
    CHECK(pinned.verify_chain(self, {}));
    // Same name, another key: not trusted
    CHECK_FALSE(pinned.verify_chain(make_self_signed(PrivateKey::generate(KeyType::ECDSA_P256), o), {}));
}

TEST_CASE("CERTREQ authority indicators", "[pki][store]") {
    CertStore store;
    store.add_trusted_file(pki("bundle.pem"));  // root + intermediate
    store.add_trusted(cert("ca.pem"));          // duplicate: ignored
    CHECK(store.trusted().size() == 2);
    // Independent values: `pki --keyid --type x509 --in ca.pem --id spki --format hex`
    const auto ids = store.trusted_spki_sha1();
    REQUIRE(ids.size() == 2);
    CHECK(to_hex(ids[0]) == "0e7568496c55fb0a3e0a8a5707b471c0af426a48");
    CHECK(ids[1] == cert("inter.pem").spki_sha1());
    CHECK(store.has_trusted_spki(from_hex("0e7568496c55fb0a3e0a8a5707b471c0af426a48")));
    CHECK_FALSE(store.has_trusted_spki(cert("gateway.pem").spki_sha1()));
    CHECK_FALSE(store.has_trusted_spki(from_hex("0e7568496c55fb0a3e0a8a5707b471c0af426a")));  // truncated
    CHECK_FALSE(store.has_trusted_spki({}));
}

TEST_CASE("add_trusted_file errors name the file", "[pki][store]") {
    CertStore store;
    CHECK_THROWS_WITH(store.add_trusted_file(pki("nope.pem")), Catch::Contains("nope.pem"));
    CHECK_THROWS_WITH(store.add_trusted_file(pki("gateway.key")), Catch::Contains("gateway.key"));
    CHECK(store.empty());
}

TEST_CASE("a moved-from store is harmless", "[pki][store]") {
    CertStore a;
    a.add_trusted(cert("ca.pem"));
    CertStore b = std::move(a);
    CHECK(b.verify_chain(cert("gateway.pem"), {}));
    CHECK_FALSE(a.verify_chain(cert("gateway.pem"), {}));  // NOLINT(bugprone-use-after-move): documented
    CertStore c;
    c = std::move(b);
    CHECK(c.verify_chain(cert("gateway.pem"), {}));
}
