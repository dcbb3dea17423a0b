// EapServer conversations: MSCHAPv2 against the test peer, MD5, GTC, Nak, identifiers
// and malformed input. Every Failure must come with an EAP-Failure packet and a reason.
#include <catch2/catch.hpp>

#include <map>

#include "eap/md5.hpp"
#include "eap/server.hpp"
#include "mschapv2_peer.hpp"

using namespace ikev2d;
using namespace ikev2d::eap;
using Kind = Outcome::Kind;

namespace {

// RFC 2759 9.2: NtPasswordHash("clientPass").
const Bytes kClientPassHash = from_hex("44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE");
// python3 -c "import crypt; print(crypt.crypt('hunter2', '\$6\$saltsalt\$'))"
const std::string kHunter2Sha512 =
    "$6$saltsalt$8iYtNHxjWRl.NF6oNZ5tF.iKFlQREaXBLlSmZKP6dy9l5z3vsooWNW0/GZ6Nej73/TFug6pIPSqbJoCT6dfnj.";

CredentialLookup lookup_from(std::map<std::string, UserCredentials> users) {
    return [users = std::move(users)](std::string_view name) -> std::optional<UserCredentials> {
        auto it = users.find(std::string(name));
        if (it == users.end()) return std::nullopt;
        return it->second;
    };
}

UserCredentials cleartext(std::string user, std::string password) {
    UserCredentials c;
    c.username = std::move(user);
    c.cleartext_password = std::move(password);
    return c;
}

CredentialLookup standard_users() {
    UserCredentials user;  // RFC 2759's user, known only by NT hash
    user.username = "User";
    user.nt_hash.emplace();
    std::copy(kClientPassHash.begin(), kClientPassHash.end(), user.nt_hash->begin());
    UserCredentials carol;  // crypt hash only
    carol.username = "carol";
    carol.crypt_hash = kHunter2Sha512;
    return lookup_from({{"alice", cleartext("alice", "s3cret-Pässword")},
                        {"CORP\\dave", cleartext("CORP\\dave", "davepw")},
                        {"User", user},
                        {"carol", carol}});
}

Bytes response(std::uint8_t id, iana::EapType type, ByteView data) {
    return EapPacket{iana::EapCode::Response, id, type, Bytes(data.begin(), data.end())}.encode();
}

std::uint8_t id_of(const Bytes& packet) { return packet.at(1); }
std::uint8_t type_of(const Bytes& packet) { return packet.at(4); }

void check_failure(const Outcome& out, std::uint8_t id, const char* reason) {
    CHECK(out.kind == Kind::Failure);
    CHECK(out.next_packet == make_failure(id));
    CHECK_THAT(out.reason, Catch::Contains(reason));
    CHECK(out.username.empty());
}

// Runs the Identity round and returns the first method Request.
Bytes identify(EapServer& server, std::string_view identity) {
    const Bytes req = server.start();
    REQUIRE(type_of(req) == 1);
    const Outcome out = server.process(response(id_of(req), iana::EapType::Identity, as_bytes(identity)));
    REQUIRE(out.kind == Kind::Continue);
    CHECK(id_of(out.next_packet) == static_cast<std::uint8_t>(id_of(req) + 1));
    return out.next_packet;
}

}  // namespace

TEST_CASE("MSCHAPv2: full conversation with Identity round gives Success and the peer's MSK",
          "[eap][server][mschapv2]") {
    EapServer server({iana::EapType::MSCHAPV2}, standard_users(), std::nullopt);
    const Bytes challenge = identify(server, "alice");
    CHECK(server.identity() == "alice");
    CHECK(server.method() == iana::EapType::MSCHAPV2);
    REQUIRE(type_of(challenge) == 26);

    test_peer::MsChapV2Peer peer("alice", "s3cret-Pässword");
    auto resp = peer.answer_challenge(challenge);
    REQUIRE(resp);
    const Outcome success_req = server.process(*resp);
    REQUIRE(success_req.kind == Kind::Continue);
    CHECK(id_of(success_req.next_packet) == static_cast<std::uint8_t>(id_of(challenge) + 1));
    CHECK_FALSE(server.msk());  // not before the peer acknowledged

    auto ack = peer.answer_success(success_req.next_packet);
    REQUIRE(ack);  // the peer verified our "S=" authenticator response
    const Outcome done = server.process(*ack);
    REQUIRE(done.kind == Kind::Success);
    CHECK(done.username == "alice");
    CHECK(done.next_packet == make_success(id_of(success_req.next_packet)));
    CHECK(server.finished());
    auto msk = server.msk();
    REQUIRE(msk);
    CHECK(Bytes(msk->view().begin(), msk->view().end()) == peer.msk());
}

TEST_CASE("MSCHAPv2: a known identity skips the Identity round; NT hash alone suffices",
          "[eap][server][mschapv2]") {
    EapServer server({iana::EapType::MSCHAPV2}, standard_users(), std::string("User"));
    const Bytes challenge = server.start();
    REQUIRE(type_of(challenge) == 26);
    test_peer::MsChapV2Peer peer("User", "clientPass");
    const Outcome s = server.process(*peer.answer_challenge(challenge));
    REQUIRE(s.kind == Kind::Continue);
    REQUIRE(peer.answer_success(s.next_packet));
    CHECK(server.process(peer.last_response).kind == Kind::Success);
    CHECK(server.msk().has_value());
}

TEST_CASE("MSCHAPv2: DOMAIN\\user hashes only the user part", "[eap][server][mschapv2]") {
    EapServer server({iana::EapType::MSCHAPV2}, standard_users(), std::string("CORP\\dave"));
    test_peer::MsChapV2Peer peer("CORP\\dave", "davepw");
    const Outcome s = server.process(*peer.answer_challenge(server.start()));
    REQUIRE(s.kind == Kind::Continue);
    REQUIRE(peer.answer_success(s.next_packet));
    CHECK(server.process(peer.last_response).kind == Kind::Success);
}

TEST_CASE("MSCHAPv2: wrong password, unknown user and a foreign name fail", "[eap][server][mschapv2]") {
    struct Case {
        std::string identity, name, password;
        const char* reason;
    };
    const Case cases[] = {
        {"alice", "alice", "wrong", "wrong password"},
        {"mallory", "mallory", "anything", "no NT hash or cleartext password"},
        {"alice", "User", "clientPass", "differs from the EAP identity"},
        {"carol", "carol", "hunter2", "no NT hash or cleartext password"},  // crypt hash cannot serve MSCHAPv2
    };
    for (const auto& c : cases) {
        INFO(c.identity << " as " << c.name);
        EapServer server({iana::EapType::MSCHAPV2}, standard_users(), c.identity);
        const Bytes challenge = server.start();
        REQUIRE(type_of(challenge) == 26);  // unknown users get a Challenge too
        test_peer::MsChapV2Peer peer(c.name, c.password);
        const Outcome out = server.process(*peer.answer_challenge(challenge));
        check_failure(out, id_of(challenge), c.reason);
        CHECK_FALSE(server.msk());
        CHECK(server.finished());
    }
}

TEST_CASE("MSCHAPv2: peer rejecting our authenticator response ends in Failure", "[eap][server][mschapv2]") {
    EapServer server({iana::EapType::MSCHAPV2}, standard_users(), std::string("alice"));
    test_peer::MsChapV2Peer peer("alice", "s3cret-Pässword");
    const Outcome s = server.process(*peer.answer_challenge(server.start()));
    REQUIRE(s.kind == Kind::Continue);
    const Bytes failure_ack = response(id_of(s.next_packet), iana::EapType::MSCHAPV2, Bytes{4});
    check_failure(server.process(failure_ack), id_of(s.next_packet), "rejected our authenticator response");
    CHECK_FALSE(server.msk());
}

TEST_CASE("MSCHAPv2: malformed Responses fail without crashing", "[eap][server][mschapv2]") {
    // Each case edits a valid Response's type data (after the EAP Type byte).
    struct Case {
        const char* name;
        std::function<void(Bytes&)> edit;
        const char* reason;
    };
    const std::vector<Case> cases = {
        {"wrong op-code", [](Bytes& td) { td[0] = 3; }, "expected a Response"},
        {"wrong MS-CHAPv2-ID", [](Bytes& td) { td[1] ^= 0xff; }, "MS-CHAPv2-ID"},
        {"MS-Length lies", [](Bytes& td) { td[3] ^= 0x01; }, "MS-Length"},
        {"Value-Size not 49", [](Bytes& td) { td[4] = 48; }, "Value-Size"},
        {"flipped NT-Response bit", [](Bytes& td) { td[5 + 24] ^= 0x01; }, "wrong password"},
        {"empty", [](Bytes& td) { td.clear(); }, "without an op-code"},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        EapServer server({iana::EapType::MSCHAPV2}, standard_users(), std::string("alice"));
        test_peer::MsChapV2Peer peer("alice", "s3cret-Pässword");
        const Bytes challenge = server.start();
        const Bytes good = *peer.answer_challenge(challenge);
        Bytes td(good.begin() + 5, good.end());
        c.edit(td);
        check_failure(server.process(response(id_of(challenge), iana::EapType::MSCHAPV2, td)), id_of(challenge),
                      c.reason);
    }
}

TEST_CASE("MSCHAPv2: every truncation of the Response is rejected", "[eap][server][mschapv2]") {
    test_peer::MsChapV2Peer peer("alice", "s3cret-Pässword");
    for (std::size_t keep = 0; keep < 4 + 1 + 49 + 5; ++keep) {
        INFO("type data bytes kept: " << keep);
        EapServer server({iana::EapType::MSCHAPV2}, standard_users(), std::string("alice"));
        const Bytes challenge = server.start();
        const Bytes good = *peer.answer_challenge(challenge);
        Bytes td(good.begin() + 5, good.begin() + 5 + static_cast<std::ptrdiff_t>(keep));
        const Outcome out = server.process(response(id_of(challenge), iana::EapType::MSCHAPV2, td));
        CHECK(out.kind == Kind::Failure);
        CHECK(out.next_packet == make_failure(id_of(challenge)));
    }
}

TEST_CASE("MD5: CHAP value matches an independent computation", "[eap][md5][kat]") {
    // python3 -c "import hashlib; print(hashlib.md5(bytes([0x2a]) + b'secret' +
    //   bytes.fromhex('000102030405060708090a0b0c0d0e0f')).hexdigest())"
    const auto v = Md5Method::chap_md5(0x2a, "secret", from_hex("000102030405060708090a0b0c0d0e0f"));
    CHECK(to_hex(v) == "03dc98c5a832692b49df73cf48fcb4e9");
}

TEST_CASE("MD5: conversation succeeds with the right password and fails otherwise", "[eap][server][md5]") {
    for (const std::string password : {"s3cret-Pässword", "wrong"}) {
        INFO("password " << password);
        EapServer server({iana::EapType::MD5}, standard_users(), std::string("alice"));
        const Bytes req = server.start();
        REQUIRE(type_of(req) == 4);
        REQUIRE(req.size() >= 5 + 1 + 16);
        REQUIRE(req[5] == 16);
        const Bytes challenge(req.begin() + 6, req.begin() + 22);
        Bytes td{16};
        const auto value = Md5Method::chap_md5(id_of(req), password, challenge);
        td.insert(td.end(), value.begin(), value.end());
        append(td, as_bytes("alice"));
        const Outcome out = server.process(response(id_of(req), iana::EapType::MD5, td));
        if (password == "wrong") {
            check_failure(out, id_of(req), "wrong password");
        } else {
            CHECK(out.kind == Kind::Success);
            CHECK(out.next_packet == make_success(id_of(req)));
            CHECK_FALSE(server.msk());  // MD5 derives no key
        }
    }
}

TEST_CASE("MD5: malformed responses fail", "[eap][server][md5]") {
    for (const char* td_hex : {"", "10", "0f 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e",
                               "10 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e"}) {
        INFO("type data " << td_hex);
        EapServer server({iana::EapType::MD5}, standard_users(), std::string("alice"));
        const Bytes req = server.start();
        const Outcome out = server.process(response(id_of(req), iana::EapType::MD5, from_hex(td_hex)));
        CHECK(out.kind == Kind::Failure);
        CHECK_THAT(out.reason, Catch::Contains("MD5:"));
    }
}

TEST_CASE("GTC: cleartext and crypt(3) passwords", "[eap][server][gtc]") {
    struct Case {
        std::string user, password;
        bool ok;
    };
    const Case cases[] = {{"alice", "s3cret-Pässword", true}, {"alice", "s3cret-Pässwor", false},
                          {"carol", "hunter2", true},         {"carol", "hunter3", false},
                          {"mallory", "hunter2", false},      {"User", "clientPass", false}};
    for (const auto& c : cases) {
        INFO(c.user << " / " << c.password);
        EapServer server({iana::EapType::GTC}, standard_users(), c.user);
        const Bytes req = server.start();
        REQUIRE(type_of(req) == 6);
        CHECK(std::string(req.begin() + 5, req.end()) == "Password");
        const Outcome out = server.process(response(id_of(req), iana::EapType::GTC, as_bytes(c.password)));
        if (c.ok) {
            CHECK(out.kind == Kind::Success);
            CHECK(out.username == c.user);
        } else {
            CHECK(out.kind == Kind::Failure);
            CHECK(out.next_packet == make_failure(id_of(req)));
        }
    }
}

TEST_CASE("GTC: a user known only by NT hash cannot use GTC; empty response fails", "[eap][server][gtc]") {
    {
        EapServer server({iana::EapType::GTC}, standard_users(), std::string("User"));
        const Bytes req = server.start();
        check_failure(server.process(response(id_of(req), iana::EapType::GTC, as_bytes("clientPass"))), id_of(req),
                      "no cleartext password or usable crypt hash");
    }
    {
        EapServer server({iana::EapType::GTC}, standard_users(), std::string("alice"));
        const Bytes req = server.start();
        check_failure(server.process(response(id_of(req), iana::EapType::GTC, {})), id_of(req), "empty response");
    }
}

TEST_CASE("The first method is the first allowed one the user's credentials can serve", "[eap][server]") {
    EapServer carol({iana::EapType::MSCHAPV2, iana::EapType::GTC}, standard_users(), std::string("carol"));
    CHECK(type_of(carol.start()) == 6);  // crypt hash only -> GTC
    EapServer alice({iana::EapType::MSCHAPV2, iana::EapType::GTC}, standard_users(), std::string("alice"));
    CHECK(type_of(alice.start()) == 26);
    EapServer unknown({iana::EapType::GTC, iana::EapType::MSCHAPV2}, standard_users(), std::string("mallory"));
    CHECK(type_of(unknown.start()) == 6);  // unknown user: first allowed, fails later
}

TEST_CASE("Nak: the peer's proposal switches to another allowed method", "[eap][server][nak]") {
    EapServer server({iana::EapType::MSCHAPV2, iana::EapType::MD5, iana::EapType::GTC}, standard_users(),
                     std::string("alice"));
    const Bytes first = server.start();
    REQUIRE(type_of(first) == 26);
    // Peer wants TLS (not allowed), then GTC.
    const Outcome switched = server.process(response(id_of(first), iana::EapType::Nak, from_hex("0d 06")));
    REQUIRE(switched.kind == Kind::Continue);
    CHECK(type_of(switched.next_packet) == 6);
    CHECK(id_of(switched.next_packet) == static_cast<std::uint8_t>(id_of(first) + 1));
    CHECK(server.method() == iana::EapType::GTC);
    const Outcome out =
        server.process(response(id_of(switched.next_packet), iana::EapType::GTC, as_bytes("s3cret-Pässword")));
    CHECK(out.kind == Kind::Success);
}

TEST_CASE("Nak: no acceptable proposal, a tried method, or a Nak mid-method fail", "[eap][server][nak]") {
    SECTION("nothing we allow") {
        EapServer server({iana::EapType::MSCHAPV2, iana::EapType::GTC}, standard_users(), std::string("alice"));
        const Bytes first = server.start();
        check_failure(server.process(response(id_of(first), iana::EapType::Nak, from_hex("04 0d"))), id_of(first),
                      "proposed no other allowed method (4,13)");
    }
    SECTION("Nak with no proposal (0)") {
        EapServer server({iana::EapType::MSCHAPV2}, standard_users(), std::string("alice"));
        const Bytes first = server.start();
        check_failure(server.process(response(id_of(first), iana::EapType::Nak, from_hex("00"))), id_of(first),
                      "proposed no other allowed method");
    }
    SECTION("back to a method already refused") {
        EapServer server({iana::EapType::MSCHAPV2, iana::EapType::GTC}, standard_users(), std::string("alice"));
        const Bytes first = server.start();
        const Outcome gtc = server.process(response(id_of(first), iana::EapType::Nak, from_hex("06")));
        REQUIRE(gtc.kind == Kind::Continue);
        const Outcome out = server.process(response(id_of(gtc.next_packet), iana::EapType::Nak, from_hex("1a")));
        check_failure(out, id_of(gtc.next_packet), "proposed no other allowed method");
    }
    SECTION("Nak after the method started answering") {
        EapServer server({iana::EapType::MSCHAPV2, iana::EapType::GTC}, standard_users(), std::string("alice"));
        test_peer::MsChapV2Peer peer("alice", "s3cret-Pässword");
        const Outcome s = server.process(*peer.answer_challenge(server.start()));
        REQUIRE(s.kind == Kind::Continue);
        check_failure(server.process(response(id_of(s.next_packet), iana::EapType::Nak, from_hex("06"))),
                      id_of(s.next_packet), "Nak in the middle of MSCHAPV2");
    }
}

TEST_CASE("Identifiers: wrong Identifier, wrong code or type, and use after the end fail", "[eap][server]") {
    SECTION("stale Identifier") {
        EapServer server({iana::EapType::GTC}, standard_users(), std::string("alice"));
        const Bytes req = server.start();
        const auto stale = static_cast<std::uint8_t>(id_of(req) - 1);
        check_failure(server.process(response(stale, iana::EapType::GTC, as_bytes("s3cret-Pässword"))), id_of(req),
                      "does not answer Request");
    }
    SECTION("a Request instead of a Response") {
        EapServer server({iana::EapType::GTC}, standard_users(), std::string("alice"));
        const Bytes req = server.start();
        check_failure(server.process(make_request(id_of(req), iana::EapType::GTC, as_bytes("x"))), id_of(req),
                      "expected an EAP Response, got Request");
    }
    SECTION("a Response of another method") {
        EapServer server({iana::EapType::GTC, iana::EapType::MD5}, standard_users(), std::string("alice"));
        const Bytes req = server.start();
        check_failure(server.process(response(id_of(req), iana::EapType::MD5, Bytes(17, 0x10))), id_of(req),
                      "of type MD5 while running GTC");
    }
    SECTION("malformed packet") {
        EapServer server({iana::EapType::GTC}, standard_users(), std::string("alice"));
        const Bytes req = server.start();
        check_failure(server.process(from_hex("02 01 00 09 06")), id_of(req), "malformed EAP packet: EAP Length");
    }
    SECTION("after Success") {
        EapServer server({iana::EapType::GTC}, standard_users(), std::string("alice"));
        const Bytes req = server.start();
        const Bytes good = response(id_of(req), iana::EapType::GTC, as_bytes("s3cret-Pässword"));
        REQUIRE(server.process(good).kind == Kind::Success);
        const Outcome again = server.process(good);
        CHECK(again.kind == Kind::Failure);
        CHECK_THAT(again.reason, Catch::Contains("already finished"));
        CHECK(server.msk() == std::nullopt);  // GTC has no MSK even on success
    }
}

TEST_CASE("Identity round: validation of the identity", "[eap][server][identity]") {
    SECTION("NUL-terminated identity is accepted without the NUL") {
        EapServer server({iana::EapType::GTC}, standard_users(), std::nullopt);
        const Bytes req = server.start();
        const Outcome out = server.process(response(id_of(req), iana::EapType::Identity, from_hex("61 6c 69 63 65 00")));
        REQUIRE(out.kind == Kind::Continue);
        CHECK(server.identity() == "alice");
    }
    struct Case {
        const char* hex;
        const char* reason;
    };
    const Case bad[] = {{"", "empty EAP identity"},
                        {"00", "empty EAP identity"},
                        {"61 0a 62", "control characters"},
                        {"61 00 62", "control characters"}};
    for (const auto& c : bad) {
        INFO("identity " << c.hex);
        EapServer server({iana::EapType::GTC}, standard_users(), std::nullopt);
        const Bytes req = server.start();
        check_failure(server.process(response(id_of(req), iana::EapType::Identity, from_hex(c.hex))), id_of(req),
                      c.reason);
    }
    SECTION("too long") {
        EapServer server({iana::EapType::GTC}, standard_users(), std::nullopt);
        const Bytes req = server.start();
        check_failure(server.process(response(id_of(req), iana::EapType::Identity, Bytes(300, 'a'))), id_of(req),
                      "too long");
    }
    SECTION("a method Response instead of the Identity") {
        EapServer server({iana::EapType::GTC}, standard_users(), std::nullopt);
        const Bytes req = server.start();
        check_failure(server.process(response(id_of(req), iana::EapType::GTC, as_bytes("pw"))), id_of(req),
                      "expected an EAP Identity response");
    }
}

TEST_CASE("EapServer construction is validated", "[eap][server]") {
    CHECK_THROWS_AS(EapServer({}, standard_users(), std::nullopt), std::invalid_argument);
    CHECK_THROWS_AS(EapServer({static_cast<iana::EapType>(21)}, standard_users(), std::nullopt), std::invalid_argument);  // EAP-TTLS: not implemented
    CHECK_THROWS_AS(EapServer({iana::EapType::GTC}, CredentialLookup{}, std::nullopt), std::invalid_argument);
    EapServer empty_identity({iana::EapType::GTC}, standard_users(), std::string());
    CHECK(type_of(empty_identity.start()) == 1);  // an empty IDi does not count as an identity
}
