// EAP-AnyConnect: TLV framing, the bounded XML reader, and the aggregate-auth
// conversation through EapServer (hello/init/auth-request/auth-reply/complete/ack).
#include <catch2/catch.hpp>

#include <map>

#include "eap/anyconnect.hpp"
#include "eap/server.hpp"
#include "eap/xml.hpp"

using namespace ikev2d;
using namespace ikev2d::eap;
using Kind = Outcome::Kind;

namespace {

// python3 -c "import crypt; print(crypt.crypt('hunter2', '\$6\$saltsalt\$'))"
const std::string kHunter2Sha512 =
    "$6$saltsalt$8iYtNHxjWRl.NF6oNZ5tF.iKFlQREaXBLlSmZKP6dy9l5z3vsooWNW0/GZ6Nej73/TFug6pIPSqbJoCT6dfnj.";

CredentialLookup users() {
    return [](std::string_view name) -> std::optional<UserCredentials> {
        UserCredentials u;
        u.username = std::string(name);
        if (name == "Anu") u.cleartext_password = "p&ss<word>";
        else if (name == "carol") u.crypt_hash = kHunter2Sha512;
        else return std::nullopt;
        return u;
    };
}

Bytes ac_response(std::uint8_t id, std::string_view xml_text) {
    Bytes td = from_hex("000009 44425250");  // Vendor-Id (3) + Vendor-Type (4)
    append(td, AnyConnectMethod::wrap_xml(xml_text));
    return EapPacket{iana::EapCode::Response, id, iana::EapType::Expanded, td}.encode();
}

std::string doc(std::string_view type, std::string_view body = "") {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config-auth client=\"vpn\" type=\"" + std::string(type) +
           "\" aggregate-auth-version=\"2\">" + std::string(body) + "</config-auth>";
}

std::string auth_reply(std::string_view user, std::string_view password_escaped) {
    return doc("auth-reply", "<version who=\"vpn\">4.10</version><opaque is-for=\"sg\"><tunnel-group>ikev2d"
                             "</tunnel-group></opaque><auth><username>" +
                                 std::string(user) + "</username><password>" + std::string(password_escaped) +
                                 "</password></auth>");
}

const std::string kInit = doc("init",
                              "<version who=\"vpn\">4.10.05095</version><device-id>linux-64</device-id>"
                              "<group-access>https://vpn.example.com</group-access>");

// The XML inside a Request, checked for the Cisco expanded header on the way.
std::unique_ptr<xml::Element> xml_of(const Bytes& request) {
    auto p = EapPacket::parse(request);
    REQUIRE(p.ok());
    REQUIRE(p->code == iana::EapCode::Request);
    REQUIRE(p->expanded_vendor_id() == kCiscoVendorId);
    REQUIRE(p->expanded_vendor_type() == kAnyConnectVendorType);
    auto text = AnyConnectMethod::extract_xml(p->expanded_data());
    REQUIRE(text.ok());
    auto root = xml::parse(*text);
    REQUIRE(root.ok());
    REQUIRE((*root)->name == "config-auth");
    return std::move(root.value());
}

EapServer anyconnect_server() {
    return EapServer({iana::EapType::MSCHAPV2, iana::EapType::Expanded}, users(),
                     std::string(kAnyConnectIdentity));
}

}  // namespace

TEST_CASE("AnyConnect TLVs: XML found among other TLVs, bad framing rejected", "[eap][anyconnect]") {
    Bytes tlvs = from_hex("0001 0002 aabb");  // a signature TLV first
    append(tlvs, AnyConnectMethod::wrap_xml("<a/>"));
    auto x = AnyConnectMethod::extract_xml(tlvs);
    REQUIRE(x.ok());
    CHECK(*x == "<a/>");
    CHECK(AnyConnectMethod::wrap_xml("<a/>") == from_hex("0000 0004 3c 61 2f 3e"));

    struct Case {
        const char* hex;
        const char* reason;
    };
    for (const Case& c : {Case{"", "no XML TLV"}, Case{"0000 00", "truncated AnyConnect TLV header"},
                          Case{"0000 0005 3c 61 2f 3e", "claims 5 bytes, only 4 left"},
                          Case{"0001 0000", "no XML TLV"},
                          Case{"0000 0001 41 0000 0001 42", "more than one XML TLV"}}) {
        INFO(c.hex);
        auto r = AnyConnectMethod::extract_xml(from_hex(c.hex));
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error(), Catch::Contains(c.reason));
    }
}

TEST_CASE("XML reader: entities, structure and refusals", "[eap][anyconnect][xml]") {
    auto ok = xml::parse("<r a=\"1&amp;2\"><u>x&lt;y</u><p/></r>");
    REQUIRE(ok.ok());
    CHECK((*ok)->attribute("a") == "1&2");
    REQUIRE((*ok)->child("u"));
    CHECK((*ok)->child("u")->text == "x<y");
    CHECK((*ok)->child("p"));
    CHECK_FALSE((*ok)->child("q"));

    const std::string laughs =
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><r>&b;</r>";
    auto doctype = xml::parse(laughs);
    REQUIRE_FALSE(doctype.ok());
    CHECK_THAT(doctype.error(), Catch::Contains("DOCTYPE"));

    std::string deep;
    for (int i = 0; i < 20; ++i) deep += "<a>";
    for (int i = 0; i < 20; ++i) deep += "</a>";
    CHECK_THAT(xml::parse(deep).error(), Catch::Contains("nested too deeply"));
    CHECK_THAT(xml::parse("<a><b></a>").error(), Catch::Contains("invalid XML"));
    CHECK_THAT(xml::parse("").error(), Catch::Contains("invalid XML"));
    CHECK_THAT(xml::parse(std::string(70000, ' ')).error(), Catch::Contains("too large"));
    CHECK(xml::escape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
}

TEST_CASE("AnyConnect: full conversation authenticates the XML user", "[eap][anyconnect][server]") {
    EapServer server = anyconnect_server();
    const Bytes hello = server.start();
    CHECK(server.method() == iana::EapType::Expanded);
    CHECK(xml_of(hello)->attribute("type") == "hello");

    const Outcome auth_request = server.process(ac_response(hello[1], kInit));
    REQUIRE(auth_request.kind == Kind::Continue);
    CHECK(auth_request.next_packet[1] == static_cast<std::uint8_t>(hello[1] + 1));
    auto form_doc = xml_of(auth_request.next_packet);
    CHECK(form_doc->attribute("type") == "auth-request");
    REQUIRE(form_doc->child("auth"));
    CHECK(form_doc->child("auth")->attribute("id") == "main");
    REQUIRE(form_doc->child("auth")->child("form"));
    CHECK(form_doc->child("auth")->child("form")->children.size() == 2);
    CHECK_FALSE(form_doc->child("auth")->child("error"));

    // The password travels XML-escaped; the method must compare the decoded text.
    const Outcome complete =
        server.process(ac_response(auth_request.next_packet[1], auth_reply("Anu", "p&amp;ss&lt;word&gt;")));
    REQUIRE(complete.kind == Kind::Continue);
    auto complete_doc = xml_of(complete.next_packet);
    CHECK(complete_doc->attribute("type") == "complete");
    REQUIRE(complete_doc->child("session-token"));
    CHECK(complete_doc->child("session-token")->text.size() == 32);
    REQUIRE(complete_doc->child("auth"));
    CHECK(complete_doc->child("auth")->attribute("id") == "success");

    const Outcome done = server.process(ac_response(complete.next_packet[1], doc("ack")));
    REQUIRE(done.kind == Kind::Success);
    CHECK(done.username == "Anu");
    CHECK(done.next_packet == make_success(complete.next_packet[1]));
    CHECK(server.authenticated_user() == "Anu");
    CHECK(server.identity() == kAnyConnectIdentity);
    CHECK_FALSE(server.msk());  // AnyConnect gives no MSK
}

TEST_CASE("AnyConnect: crypt(3) hash, retries with an error, then Failure", "[eap][anyconnect][server]") {
    SECTION("second try succeeds") {
        EapServer server = anyconnect_server();
        const Bytes hello = server.start();
        const Outcome form = server.process(ac_response(hello[1], kInit));
        const Outcome retry = server.process(ac_response(form.next_packet[1], auth_reply("carol", "hunter3")));
        REQUIRE(retry.kind == Kind::Continue);
        auto retry_doc = xml_of(retry.next_packet);
        CHECK(retry_doc->attribute("type") == "auth-request");
        REQUIRE(retry_doc->child("auth"));
        CHECK(retry_doc->child("auth")->child("error"));
        const Outcome complete = server.process(ac_response(retry.next_packet[1], auth_reply("carol", "hunter2")));
        REQUIRE(complete.kind == Kind::Continue);
        CHECK(xml_of(complete.next_packet)->attribute("type") == "complete");
        CHECK(server.process(ac_response(complete.next_packet[1], doc("ack"))).kind == Kind::Success);
        CHECK(server.authenticated_user() == "carol");
    }
    SECTION("three failures end the conversation") {
        EapServer server = anyconnect_server();
        const Bytes hello = server.start();
        Outcome out = server.process(ac_response(hello[1], kInit));
        for (const char* user : {"Anu", "mallory", "carol"}) {
            REQUIRE(out.kind == Kind::Continue);
            out = server.process(ac_response(out.next_packet[1], auth_reply(user, "wrong")));
        }
        CHECK(out.kind == Kind::Failure);
        CHECK_THAT(out.reason, Catch::Contains("3 attempts"));
        CHECK(server.authenticated_user().empty());
    }
}

TEST_CASE("AnyConnect: out-of-order, foreign or malformed responses fail", "[eap][anyconnect][server]") {
    struct Case {
        const char* name;
        std::function<Bytes(std::uint8_t)> make;
        const char* reason;
    };
    const std::vector<Case> cases = {
        {"auth-reply before init", [](std::uint8_t id) { return ac_response(id, auth_reply("Anu", "x")); },
         "expected type \"init\""},
        {"not XML", [](std::uint8_t id) { return ac_response(id, "<config-auth"); }, "invalid XML"},
        {"other root", [](std::uint8_t id) { return ac_response(id, "<hello/>"); }, "not <config-auth>"},
        {"other vendor",
         [](std::uint8_t id) {
             Bytes td = from_hex("000137 44425250");
             append(td, AnyConnectMethod::wrap_xml(kInit));
             return EapPacket{iana::EapCode::Response, id, iana::EapType::Expanded, td}.encode();
         },
         "not Cisco AnyConnect"},
        {"TLV length lies",
         [](std::uint8_t id) {
             return EapPacket{iana::EapCode::Response, id, iana::EapType::Expanded,
                              from_hex("000009 44425250 0000 00ff 3c")}
                 .encode();
         },
         "claims 255 bytes"},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        EapServer server = anyconnect_server();
        const Bytes hello = server.start();
        const Outcome out = server.process(c.make(hello[1]));
        CHECK(out.kind == Kind::Failure);
        CHECK(out.next_packet == make_failure(hello[1]));
        CHECK_THAT(out.reason, Catch::Contains(c.reason));
    }
}

TEST_CASE("AnyConnect is not chosen for ordinary identities; Nak 254 switches to it", "[eap][anyconnect][server]") {
    EapServer server({iana::EapType::MSCHAPV2, iana::EapType::Expanded}, users(), std::string("Anu"));
    const Bytes first = server.start();
    CHECK(first[4] == 26);
    const Outcome switched =
        server.process(EapPacket{iana::EapCode::Response, first[1], iana::EapType::Nak, {254}}.encode());
    REQUIRE(switched.kind == Kind::Continue);
    CHECK(xml_of(switched.next_packet)->attribute("type") == "hello");
}

TEST_CASE("EapServer ends a conversation that exceeds the round limit", "[eap][server]") {
    EapServer server = anyconnect_server();
    AnyConnectSettings patient;
    patient.max_attempts = 1000;
    server.set_anyconnect_settings(patient);
    const Bytes hello = server.start();
    Outcome out = server.process(ac_response(hello[1], kInit));
    int requests = 2;
    while (out.kind == Kind::Continue) {
        out = server.process(ac_response(out.next_packet[1], auth_reply("Anu", "wrong")));
        ++requests;
        REQUIRE(requests <= EapServer::kMaxRequests + 1);
    }
    CHECK(requests == EapServer::kMaxRequests + 1);
    CHECK(out.kind == Kind::Failure);
    CHECK_THAT(out.reason, Catch::Contains("more than 16 EAP rounds"));
    CHECK(out.next_packet.at(0) == 4);
}

TEST_CASE("Peer-chosen names are sanitised for logs and checked before lookup", "[eap][anyconnect]") {
    CHECK(loggable("a\nb\x7f") == "a?b?");
    CHECK(loggable(std::string(100, 'x')) == std::string(64, 'x') + "...");

    std::vector<std::string> looked_up;
    CredentialLookup spy = [&](std::string_view name) -> std::optional<UserCredentials> {
        looked_up.emplace_back(name);
        return std::nullopt;
    };
    EapServer server({iana::EapType::Expanded}, spy, std::string(kAnyConnectIdentity));
    const Bytes hello = server.start();
    const Outcome form = server.process(ac_response(hello[1], kInit));
    const Outcome retry = server.process(ac_response(form.next_packet[1], auth_reply("An&#10;u", "x")));
    REQUIRE(retry.kind == Kind::Continue);
    CHECK(xml_of(retry.next_packet)->child("auth")->child("error"));
    // Only the EAP identity was looked up, never the name with a newline.
    CHECK(looked_up == std::vector<std::string>{std::string(kAnyConnectIdentity)});
}

TEST_CASE("AnyConnect: with deferred password checks, crypt(3) is handed out and resumed (issue 11)",
          "[eap][anyconnect][server]") {
    EapServer server = anyconnect_server();
    server.set_defer_password_checks(true);
    const Bytes hello = server.start();
    const Outcome form = server.process(ac_response(hello[1], kInit));
    Outcome pending = server.process(ac_response(form.next_packet[1], auth_reply("carol", "hunter3")));
    REQUIRE(pending.kind == Kind::CheckPassword);
    REQUIRE(pending.password_check);
    CHECK(pending.next_packet.empty());
    CHECK(server.checking_password());
    pending.password_check->run();
    CHECK(pending.password_check->result == PasswordCheck::Mismatch);
    const Outcome retry = server.resume(pending.password_check->result);
    REQUIRE(retry.kind == Kind::Continue);
    CHECK(xml_of(retry.next_packet)->child("auth")->child("error"));
    CHECK_FALSE(server.checking_password());

    pending = server.process(ac_response(retry.next_packet[1], auth_reply("carol", "hunter2")));
    REQUIRE(pending.kind == Kind::CheckPassword);
    // No Response is taken while the check runs.
    const Outcome meanwhile = server.process(ac_response(retry.next_packet[1], doc("ack")));
    CHECK(meanwhile.kind == Kind::Failure);
}

TEST_CASE("AnyConnect: deferred check with the right password completes the login", "[eap][anyconnect][server]") {
    EapServer server = anyconnect_server();
    server.set_defer_password_checks(true);
    const Bytes hello = server.start();
    const Outcome form = server.process(ac_response(hello[1], kInit));
    Outcome pending = server.process(ac_response(form.next_packet[1], auth_reply("carol", "hunter2")));
    REQUIRE(pending.kind == Kind::CheckPassword);
    pending.password_check->run();
    const Outcome complete = server.resume(pending.password_check->result);
    REQUIRE(complete.kind == Kind::Continue);
    CHECK(xml_of(complete.next_packet)->attribute("type") == "complete");
    CHECK(server.process(ac_response(complete.next_packet[1], doc("ack"))).kind == Kind::Success);
    CHECK(server.authenticated_user() == "carol");
    // A cleartext password is cheap: checked at once even with deferral on.
    EapServer other = anyconnect_server();
    other.set_defer_password_checks(true);
    const Bytes hello2 = other.start();
    const Outcome form2 = other.process(ac_response(hello2[1], kInit));
    CHECK(other.process(ac_response(form2.next_packet[1], auth_reply("Anu", "p&amp;ss&lt;word&gt;"))).kind == Kind::Continue);
}

TEST_CASE("AnyConnect complete: csport and the profile manifest when client services are on", "[eap][anyconnect]") {
    auto complete_of = [](AnyConnectSettings settings) {
        EapServer server = anyconnect_server();
        server.set_anyconnect_settings(std::move(settings));
        const Bytes hello = server.start();
        const Outcome form = server.process(ac_response(hello[1], kInit));
        REQUIRE(form.kind == Kind::Continue);
        const Outcome complete = server.process(ac_response(form.next_packet[1], auth_reply("Anu", "p&amp;ss&lt;word&gt;")));
        REQUIRE(complete.kind == Kind::Continue);
        CHECK(server.anyconnect_session_token().size() == 32);
        auto doc = xml_of(complete.next_packet);
        CHECK(doc->child("session-token")->text == server.anyconnect_session_token());
        return doc;
    };
    AnyConnectSettings on;
    on.csport = 443;
    on.profile_name = "ac.xml";
    on.profile_sha1 = "a9993e364706816aba3e25717850c26c9cd0d89d";
    auto doc = complete_of(on);
    const xml::Element* config = doc->child("config");
    REQUIRE(config);
    CHECK(config->attribute("type") == "private");
    REQUIRE(config->child("csport"));
    CHECK(config->child("csport")->text == "443");
    const xml::Element* manifest = config->child("vpn-profile-manifest");
    REQUIRE(manifest);
    const xml::Element* file = manifest->child("vpn") ? manifest->child("vpn")->child("file") : nullptr;
    REQUIRE(file);
    CHECK(file->attribute("type") == "profile");
    CHECK(file->attribute("service-type") == "user");
    REQUIRE(file->child("uri"));
    CHECK(file->child("uri")->text == "/CACHE/stc/profiles/ac.xml");
    REQUIRE(file->child("hash"));
    CHECK(file->child("hash")->attribute("type") == "sha1");
    CHECK(file->child("hash")->text == on.profile_sha1);

    auto off = complete_of(AnyConnectSettings{});
    REQUIRE(off->child("config"));
    CHECK_FALSE(off->child("config")->child("csport"));
    CHECK_FALSE(off->child("config")->child("vpn-profile-manifest"));
}
