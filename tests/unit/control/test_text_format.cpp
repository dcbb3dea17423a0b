// ikectl's text views against the seed's reference outputs (expected_text.hpp).
#include <catch2/catch.hpp>

#include "expected_text.hpp"
#include "ikectl/text_format.hpp"
#include "seed_table.hpp"

using namespace ikev2d::ikectl;
using namespace ikev2d::control;

TEST_CASE("show sa mirrors `show crypto ikev2 sa`", "[control][text]") {
    CHECK(format_ike_sas({seed::ike_sa()}, false, seed::kNow) == seed::kShowSa);
}

TEST_CASE("show sa detail mirrors `show crypto ikev2 sa detail`", "[control][text]") {
    CHECK(format_ike_sas({seed::ike_sa()}, true, seed::kNow) == seed::kShowSaDetail);
}

TEST_CASE("show ipsec sa mirrors `show crypto ipsec sa`", "[control][text]") {
    CHECK(format_ipsec_sas({seed::ike_sa()}, seed::kNow) == seed::kShowIpsecSa);
}

TEST_CASE("show sessions mirrors `show vpn-sessiondb anyconnect`", "[control][text]") {
    CHECK(format_sessions({seed::session()}, {seed::ike_sa()}, false, seed::kNow) == seed::kShowSessions);
}

TEST_CASE("show sessions detail mirrors `show vpn-sessiondb detail anyconnect`", "[control][text]") {
    CHECK(format_sessions({seed::session()}, {seed::ike_sa()}, true, seed::kNow) == seed::kShowSessionsDetail);
}

TEST_CASE("show stats lists every counter", "[control][text]") {
    CHECK(format_stats(seed::stats(), seed::kNow) == seed::kShowStats);
}

TEST_CASE("empty tables say so", "[control][text]") {
    CHECK(format_ike_sas({}, false, seed::kNow) == "IKEv2 SAs:\n\nThere are no IKEv2 SAs\n");
    CHECK(format_ipsec_sas({}, seed::kNow) == "There are no ipsec sas\n");
    CHECK(format_sessions({}, {}, true, seed::kNow) ==
          "Session Type: IKEv2 Remote Access Detailed\n\nThere are no IKEv2 sessions\n");
}

TEST_CASE("IKE SAs are grouped by session and counted", "[control][text]") {
    auto a = seed::ike_sa();
    auto b = seed::ike_sa();
    b.tunnel_id = 7;
    b.status = "IN-NEG";
    b.children.clear();
    auto other = seed::ike_sa();
    other.session_id = 5;
    other.tunnel_id = 9;
    const std::string out = format_ike_sas({a, other, b}, false, seed::kNow);
    CHECK(out.find("Session-id:2, Status:DOWN-NEGOTIATING, IKE count:2, CHILD count:1\n") != std::string::npos);
    CHECK(out.find("Session-id:5, Status:UP-ACTIVE, IKE count:1, CHILD count:1\n") != std::string::npos);
    // Session 2's second SA is printed inside session 2's block, before session 5.
    CHECK(out.find("\n7 ") < out.find("Session-id:5"));
    CHECK(out.find("Session-id:2") < out.find("\n7 "));
}

TEST_CASE("a not yet established SA shows zero active time", "[control][text]") {
    auto sa = seed::ike_sa();
    sa.established_at = 0;
    CHECK(format_ike_sas({sa}, false, seed::kNow).find("Life/Active Time: 86400/0 sec\n") != std::string::npos);
}

TEST_CASE("NAT and DPD lines of the detail view", "[control][text]") {
    auto sa = seed::ike_sa();
    sa.nat_detected_remote = false;
    sa.dpd_interval_s = 0;
    auto out = format_ike_sas({sa}, true, seed::kNow);
    CHECK(out.find("      NAT-T is not detected\n") != std::string::npos);
    CHECK(out.find("      DPD disabled\n") != std::string::npos);
    sa.nat_detected_local = true;
    sa.nat_detected_remote = true;
    out = format_ike_sas({sa}, true, seed::kNow);
    CHECK(out.find("      NAT-T is detected inside and outside\n") != std::string::npos);
}

TEST_CASE("a dual-stack client's IPv6 address is shown beside its IPv4 one", "[control][text]") {
    auto sa = seed::ike_sa();
    CHECK(format_ike_sas({sa}, true, seed::kNow).find("IPv6") == std::string::npos);
    sa.assigned_address6 = "2001:db8:8::1";
    CHECK(format_ike_sas({sa}, true, seed::kNow).find("      Assigned IPv6 host addr: 2001:db8:8::1\n") != std::string::npos);
    CHECK(format_ipsec_sas({sa}, seed::kNow).find("      dynamic allocated peer ipv6: 2001:db8:8::1\n") != std::string::npos);
    auto session = seed::session();
    session.assigned_ip6 = "2001:db8:8::1";
    CHECK(format_sessions({session}, {sa}, false, seed::kNow).find("Assigned IPv6") != std::string::npos);
}

TEST_CASE("selector ranges and idents", "[control][text]") {
    CHECK(format_selector_range("0.0.0.0/0", 0, 65535) == "0.0.0.0/0 - 255.255.255.255/65535");
    CHECK(format_selector_range("10.2.2.0/24", 53, 53) == "10.2.2.0/53 - 10.2.2.255/53");
    CHECK(format_selector_range("2001:db8::/32", 0, 65535) == "2001:db8::/0 - 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff/65535");
    CHECK(format_selector_range("garbage", 1, 2) == "garbage/1 - garbage/2");
    CHECK(format_ident("10.2.2.1/32", 0, 0, 65535) == "10.2.2.1/255.255.255.255/0/0");
    CHECK(format_ident("10.2.0.0/16", 17, 53, 53) == "10.2.0.0/255.255.0.0/17/53");
    CHECK(format_ident("10.2.0.0/16", 6, 1024, 2047) == "10.2.0.0/255.255.0.0/6/1024-2047");
    CHECK(format_ident("2001:db8::/64", 0, 0, 65535) == "2001:db8::/64/0/0");
}

TEST_CASE("ESP transform names follow the ASA's", "[control][text]") {
    CHECK(esp_transform_name("AES-CBC", 256, "SHA96") == "esp-aes-256 esp-sha-hmac");
    CHECK(esp_transform_name("AES-CBC", 128, "SHA256-128") == "esp-aes-128 esp-sha-256-hmac");
    CHECK(esp_transform_name("AES-CBC", 192, "SHA512") == "esp-aes-192 esp-sha-512-hmac");
    CHECK(esp_transform_name("AES-GCM-16", 256, "") == "esp-aes-gcm-256 esp-null-hmac");
    CHECK(esp_transform_name("AES-GCM-16", 128, "NONE") == "esp-aes-gcm-128 esp-null-hmac");  // iana::name(NONE)
    CHECK(esp_transform_name("AES-CBC", 256, "SHA384") == "esp-aes-256 esp-sha-384-hmac");     // iana::name()
    CHECK(esp_transform_name("3DES", 0, "MD596") == "esp-3des esp-md5-hmac");
    CHECK(esp_transform_name("CHACHA20-POLY1305", 256, "") == "esp-chacha20-poly1305-256 esp-null-hmac");
}

TEST_CASE("durations and UTC times", "[control][text]") {
    CHECK(format_duration(0) == "0h:00m:00s");
    CHECK(format_duration(146) == "0h:02m:26s");
    CHECK(format_duration(90061) == "25h:01m:01s");
    CHECK(format_utc_time(seed::kLoginTime) == "22:06:24 UTC Mon Apr 22 2013");
    CHECK(format_utc_time(0) == "00:00:00 UTC Thu Jan 1 1970");
}

TEST_CASE("an AEAD child SA and plain (non NAT-T) encapsulation", "[control][text]") {
    auto sa = seed::ike_sa();
    auto& c = sa.children[0];
    c.encryption = "AES-GCM-16";
    c.integrity = "";
    c.udp_encap = false;
    c.esn = true;
    c.replay_window = 0;
    const auto ipsec = format_ipsec_sas({sa}, seed::kNow);
    CHECK(ipsec.find("         transform: esp-aes-gcm-256 esp-null-hmac no compression\n") != std::string::npos);
    CHECK(ipsec.find("         in use settings ={RA, Tunnel, ESN, }\n") != std::string::npos);
    CHECK(ipsec.find("         replay detection support: N\n") != std::string::npos);
    CHECK(ipsec.find("replay window size") == std::string::npos);
    const auto sess = format_sessions({seed::session()}, {sa}, true, seed::kNow);
    CHECK(sess.find("\nIPsec:\n") != std::string::npos);
    CHECK(sess.find("IPsec Tunnels: 1\n") != std::string::npos);
    CHECK(sess.find("IPsecOverNatT") == sess.find("IPsecOverNatT\n"));  // only the Protocol line
    CHECK(sess.find("  Encryption   : AES-GCM-16-256         Hashing      : none\n") != std::string::npos);
}

TEST_CASE("a session whose IKE SA is gone still prints", "[control][text]") {
    const auto out = format_sessions({seed::session()}, {}, true, seed::kNow);
    CHECK(out.find("IKEv2 Tunnels: 0\n") != std::string::npos);
    CHECK(out.find("\nIKEv2:\n") == std::string::npos);
}
