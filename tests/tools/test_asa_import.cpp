// ikectl import-asa: the parser (modes with and without indentation, comments, unknown
// lines), each ASA command it maps, the "# not converted:" lines, and the seed's
// configuration loaded back through the daemon's config loader.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "asa/asa_model.hpp"
#include "asa/asa_parser.hpp"
#include "config/config.hpp"

using namespace ikev2d;
using namespace ikev2d::asa;

namespace {

struct Converted {
    std::string toml;
    std::vector<Note> notes;
};

Converted convert(const std::string& asa) {
    auto model = read_asa_model(parse_asa_config(asa));
    Converted c;
    c.toml = write_ikev2d_conf(model, "test.cfg");
    c.notes = model.notes;
    return c;
}

bool has_line(const std::string& text, const std::string& line) {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) {
        // A trailing comment (the ASA command it comes from) is allowed.
        if (l == line || l.rfind(line + "  #", 0) == 0) return true;
    }
    return false;
}

config::Config load(const std::string& toml) {
    auto r = config::load_string(toml, "converted.conf");
    if (!r) FAIL(r.error().to_string() + "\n" + toml);
    return std::move(r.value());
}

// The smallest remote-access setup the tests add their commands to.
const std::string kBase = R"(interface GigabitEthernet0/0
 nameif outside
 ip address 192.0.2.1 255.255.255.0
ip local pool vpnpool 10.8.0.1-10.8.0.50
crypto ikev2 enable outside
tunnel-group RA type remote-access
tunnel-group RA general-attributes
 address-pool vpnpool
)";

std::string read_seed() {
    std::ifstream in(IKEV2D_TOOLS_TEST_DATA "/seed-asa.cfg");
    REQUIRE(in);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("parser: modes without indentation end at a line the mode does not know") {
    auto cmds = parse_asa_config("interface Ethernet0/1\nnameif outside\nip address 10.0.0.1 255.255.255.0\n"
                                 "ip local pool p 10.2.2.1-10.2.2.10\ncrypto ikev2 policy 10\nencryption aes-192\n");
    REQUIRE(cmds.size() == 3);
    CHECK(cmds[0].children.size() == 2);  // `ip local pool` is not the interface's
    CHECK(cmds[1].text == "ip local pool p 10.2.2.1-10.2.2.10");
    CHECK(cmds[2].children.size() == 1);
    CHECK(cmds[2].children[0].line == 6);
}

TEST_CASE("parser: indentation, comments, nested webvpn, certificate chains, exit") {
    auto cmds = parse_asa_config(": Saved\n!\ngroup-policy GP attributes\n dns-server value 10.0.0.53\n webvpn\n"
                                 "  anyconnect profiles value P type user\n vpn-idle-timeout 20\n"
                                 "crypto ca certificate chain TP\n certificate 01\n  3082 0101\n  quit\n"
                                 "totally unknown line\n  indented unknown\n");
    REQUIRE(cmds.size() == 3);  // the indented unknown line stays with its parent
    REQUIRE(cmds[0].children.size() == 3);
    CHECK(cmds[0].children[1].text == "webvpn");
    REQUIRE(cmds[0].children[1].children.size() == 1);
    CHECK(cmds[0].children[1].children[0].starts_with({"anyconnect", "profiles"}));
    CHECK(cmds[0].children[2].text == "vpn-idle-timeout 20");
    CHECK(cmds[1].children.size() == 2);  // certificate + hex, `quit` closes
    CHECK(cmds[2].text == "totally unknown line");
    REQUIRE(cmds[2].children.size() == 1);
    auto c = convert(kBase + "totally unknown line\n  indented unknown\n");
    CHECK(c.toml.find("# not converted: totally unknown line > indented unknown (no ikev2d equivalent)") != std::string::npos);
}

TEST_CASE("crypto ikev2 policy -> [[ike_policy]]") {
    auto c = convert(kBase + "crypto ikev2 policy 20\n encryption aes-gcm-256 aes-gcm\n integrity null\n group 19 20 24\n"
                             " prf sha256\n lifetime seconds 43200\ncrypto ikev2 policy 5\n encryption aes-256 des\n"
                             " integrity sha256 sha\n group 14\n prf sha256 sha\n");
    CHECK(has_line(c.toml, "encryption = [\"aes-gcm-256\", \"aes-gcm-128\"]"));
    CHECK(has_line(c.toml, "groups = [\"ecp256\", \"ecp384\"]"));
    CHECK(has_line(c.toml, "lifetime_seconds = 43200"));
    CHECK(has_line(c.toml, "integrity = [\"sha256\", \"sha1\"]"));
    CHECK(c.toml.find("priority = 5") < c.toml.find("priority = 20"));
    CHECK(c.toml.find("# not converted: crypto ikev2 policy 20 > group 19 20 24 (24 left out:") != std::string::npos);
    CHECK(c.toml.find("# not converted: crypto ikev2 policy 5 > encryption aes-256 des (des left out: DES") != std::string::npos);
    auto conf = load(c.toml);
    REQUIRE(conf.ike_policies.size() == 2);
    CHECK(conf.ike_policies[0].priority == 5);
    CHECK(conf.ike_policies[1].lifetime_seconds == 43200);
    CHECK(conf.ike_policies[1].integrity.empty());  // `integrity null` with GCM
    CHECK_FALSE(conf.global.allow_legacy_groups);
}

TEST_CASE("ipsec-proposal + dynamic map + crypto map -> the group's [ipsec_proposal]") {
    auto c = convert(kBase + "crypto ipsec ikev2 ipsec-proposal P1\n protocol esp encryption aes-256 aes\n"
                             " protocol esp integrity sha-256 sha-1\n"
                             "crypto ipsec ikev2 ipsec-proposal UNUSED\n protocol esp encryption aes-gcm-256\n"
                             " protocol esp integrity null\n"
                             "crypto ipsec security-association lifetime seconds 3600\n"
                             "crypto dynamic-map DYN 10 set ikev2 ipsec-proposal P1\n"
                             "crypto dynamic-map DYN 10 set pfs group14\n"
                             "crypto map CM 100 ipsec-isakmp dynamic DYN\ncrypto map CM interface outside\n");
    auto conf = load(c.toml);
    const auto* g = conf.group("RA");
    REQUIRE(g);
    const auto* p = conf.proposal(g->ipsec_proposal);
    REQUIRE(p);
    CHECK(p->name == "DYN");  // P1 with the dynamic map's PFS
    CHECK(p->encryption.size() == 2);
    CHECK(p->integrity == std::vector<iana::IntegId>{iana::IntegId::HMAC_SHA2_256_128, iana::IntegId::HMAC_SHA1_96});
    CHECK(p->pfs == config::PfsPolicy::Require);
    CHECK(p->pfs_groups == std::vector<iana::DhGroup>{iana::DhGroup::MODP_2048});
    CHECK(p->lifetime_seconds == 3600);
    REQUIRE(conf.proposal("UNUSED"));
    CHECK(conf.proposal("UNUSED")->integrity.empty());
}

TEST_CASE("group-policy attributes -> the group's table") {
    auto c = convert(kBase + "access-list SPLIT standard permit 10.0.0.0 255.0.0.0\n"
                             "access-list SPLIT standard permit host 192.168.1.10\n"
                             "group-policy GP internal\ngroup-policy GP attributes\n dns-server value 10.0.0.53 10.0.0.54\n"
                             " default-domain value corp.example.com\n split-tunnel-policy tunnelspecified\n"
                             " split-tunnel-network-list value SPLIT\n vpn-idle-timeout 45\n banner value Line one\n"
                             " banner value Line two\n vpn-tunnel-protocol ikev2 ssl-client\n wins-server none\n"
                             " vpn-simultaneous-logins 3\n vpn-session-timeout 600\n"
                             "tunnel-group RA general-attributes\n default-group-policy GP\n");
    auto conf = load(c.toml);
    const auto* g = conf.group("RA");
    REQUIRE(g);
    REQUIRE(g->dns.size() == 2);
    CHECK(g->dns[1].to_string() == "10.0.0.54");
    CHECK(g->dns_domains == std::vector<std::string>{"corp.example.com"});
    REQUIRE(g->split_include.size() == 2);
    CHECK(g->split_include[0].to_string() == "10.0.0.0/8");
    CHECK(g->split_include[1].to_string() == "192.168.1.10/32");
    CHECK(g->idle_timeout_s == 45 * 60);
    CHECK(g->banner == "Line one\nLine two");
    CHECK(g->simultaneous_logins == 3);
    CHECK(g->max_session_s == 600 * 60);
    CHECK(c.toml.find("vpn-simultaneous-logins 3 (") == std::string::npos);  // converted, no "not converted" line
    CHECK(c.toml.find("# not converted: group-policy GP attributes > vpn-tunnel-protocol ikev2 ssl-client (ssl-client left out") != std::string::npos);
    CHECK(c.toml.find("wins-server") == std::string::npos);  // `none` is the default: nothing lost
}

TEST_CASE("a group policy without ikev2 in vpn-tunnel-protocol keeps its group out") {
    auto c = convert(kBase + "group-policy GP attributes\n vpn-tunnel-protocol ssl-client\n"
                             "tunnel-group RA general-attributes\n default-group-policy GP\n");
    CHECK(c.toml.find("[group.RA]") == std::string::npos);
    CHECK(c.toml.find("# not converted: tunnel-group RA (its group policy's vpn-tunnel-protocol has no ikev2") != std::string::npos);
}

TEST_CASE("tunnel-group ipsec-attributes: authentication and DPD") {
    auto c = convert(kBase + "tunnel-group RA ipsec-attributes\n ikev2 remote-authentication pre-shared-key s3cret-key\n"
                             " isakmp keepalive threshold 30 retry 5\n peer-id-validate nocheck\n");
    auto conf = load(c.toml);
    REQUIRE(conf.group("RA"));
    CHECK(conf.group("RA")->client_auth == config::ClientAuth::Psk);
    CHECK(conf.group("RA")->psk == "s3cret-key");
    CHECK(conf.dpd.interval_s == 30);
    CHECK(conf.dpd.retries == 5);
    CHECK(c.toml.find("# not converted: tunnel-group RA ipsec-attributes > peer-id-validate nocheck (") != std::string::npos);

    auto eap = load(convert(kBase + "tunnel-group RA ipsec-attributes\n ikev2 remote-authentication eap query-identity\n").toml);
    CHECK(eap.group("RA")->eap_methods ==
          std::vector<iana::EapType>{iana::EapType::MSCHAPV2, iana::EapType::MD5, iana::EapType::GTC});
}

TEST_CASE("username: cleartext converts, hashes become a commented entry with a note") {
    auto c = convert(kBase + "username bob password Clear-Text-1\nusername eve password XyZhash encrypted\n"
                             "username ann password $sha512$5000$abc pbkdf2 privilege 0\n");
    auto conf = load(c.toml);
    REQUIRE(conf.user("bob"));
    CHECK(conf.user("bob")->password == "Clear-Text-1");
    CHECK(conf.user("bob")->group == "RA");
    CHECK_FALSE(conf.user("eve"));
    CHECK(has_line(c.toml, "# [user.eve]"));
    CHECK(c.toml.find("# set a password: the ASA keeps only a hash of eve's password") != std::string::npos);
    CHECK(c.toml.find("# set a password: the ASA keeps only a hash of ann's password (`password ... pbkdf2`)") !=
          std::string::npos);
    CHECK(c.toml.find("XyZhash") == std::string::npos);  // the hash itself is not copied around
}

TEST_CASE("username attributes: group-lock picks the group") {
    auto c = convert(kBase + "ip local pool other 10.9.0.1-10.9.0.9\ntunnel-group OTHER type remote-access\n"
                             "tunnel-group OTHER general-attributes\n address-pool other\n"
                             "username carl password pw-of-carl\nusername carl attributes\n group-lock value OTHER\n"
                             " service-type remote-access\n");
    auto conf = load(c.toml);
    REQUIRE(conf.user("carl"));
    CHECK(conf.user("carl")->group == "OTHER");
    CHECK(conf.default_group == "RA");
}

TEST_CASE("trustpoint: enrollment self and fqdn; no trustpoint: self-signed on the interface address") {
    auto c = convert(kBase + "crypto ca trustpoint TP\n enrollment self\n fqdn vpn.example.com\n crl configure\n"
                             "crypto ikev2 remote-access trustpoint TP\n");
    auto conf = load(c.toml);
    CHECK(conf.trustpoint.self_signed);
    CHECK(conf.trustpoint.identity == "vpn.example.com");
    CHECK(conf.trustpoint.key_type == "rsa-2048");
    CHECK(conf.trustpoint.certificate.ends_with("TP-cert.pem"));
    auto bare = load(convert(kBase).toml);
    CHECK(bare.trustpoint.self_signed);
    CHECK(bare.trustpoint.identity == "192.0.2.1");
    REQUIRE(bare.global.listen.size() == 1);
    CHECK(bare.global.listen[0].to_string() == "192.0.2.1");
}

TEST_CASE("unknown and unsupported commands each get a '# not converted:' line") {
    auto c = convert(kBase + "route outside 0.0.0.0 0.0.0.0 192.0.2.254 1\nssl trust-point TP outside\n"
                             "crypto map CM 10 match address ACL\nfoo bar baz\n");
    CHECK(has_line(c.toml, "# not converted: route outside 0.0.0.0 0.0.0.0 192.0.2.254 1 (no ikev2d equivalent)"));
    CHECK(has_line(c.toml, "# not converted: foo bar baz (no ikev2d equivalent)"));
    CHECK(c.toml.find("# not converted: ssl trust-point TP outside (") != std::string::npos);
    CHECK(c.toml.find("# not converted: crypto map CM 10 match address ACL (site-to-site") != std::string::npos);
    load(c.toml);  // and the rest still loads
}

TEST_CASE("ipv6 local pool + ipv6-address-pools -> an IPv6 [pool] and the group's ipv6_pool (dual stack)") {
    auto c = convert(kBase + "ipv6 local pool v6pool 2001:db8:1::1/64 256\n"
                             "group-policy GP internal\ngroup-policy GP attributes\n ipv6-address-pools value v6pool\n"
                             " vpn-tunnel-protocol ikev2\ntunnel-group RA general-attributes\n default-group-policy GP\n");
    auto conf = load(c.toml);
    const auto* pool = conf.pool("v6pool");
    REQUIRE(pool);
    // 256 addresses from the given one on (the ASA's count), not the whole /64.
    CHECK(pool->first.to_string() == "2001:db8:1::1");
    CHECK(pool->last.to_string() == "2001:db8:1::100");
    const auto* g = conf.group("RA");
    REQUIRE(g);
    CHECK(g->pool == "vpnpool");
    CHECK(g->ipv6_pool == "v6pool");
    CHECK(std::find_if(g->local_networks.begin(), g->local_networks.end(),
                       [](const IpPrefix& p) { return p.to_string() == "::/0"; }) != g->local_networks.end());
    for (const auto& n : c.notes) {
        CAPTURE(n.command, n.reason);
        CHECK(n.command.find("ipv6") == std::string::npos);
    }
}

TEST_CASE("tunnel-group ipv6-address-pool alone: an IPv6-only group; a pool named like an IPv4 one is renamed") {
    auto c = convert(kBase + "ip local pool both 10.1.0.1-10.1.0.9\nipv6 local pool both 2001:db8:5::1/64 10\n"
                             "ipv6 local pool only6 2001:db8:2::10/120 16\n"
                             "tunnel-group V6 type remote-access\ntunnel-group V6 general-attributes\n ipv6-address-pool only6\n"
                             "tunnel-group DUAL type remote-access\ntunnel-group DUAL general-attributes\n"
                             " address-pool both\n ipv6-address-pool both\n");
    auto conf = load(c.toml);
    const auto* v6 = conf.group("V6");
    REQUIRE(v6);
    CHECK(v6->pool == "only6");
    CHECK(v6->ipv6_pool.empty());
    REQUIRE(conf.pool("only6"));
    CHECK(conf.pool("only6")->first.to_string() == "2001:db8:2::10");
    CHECK(conf.pool("only6")->last.to_string() == "2001:db8:2::1f");
    CHECK(v6->local_networks.size() == 1);
    CHECK(v6->local_networks[0].to_string() == "::/0");
    const auto* dual = conf.group("DUAL");
    REQUIRE(dual);
    CHECK(dual->pool == "both");
    CHECK(dual->ipv6_pool == "both-v6");
    REQUIRE(conf.pool("both-v6"));
    CHECK(conf.pool("both-v6")->last.to_string() == "2001:db8:5::a");
    CHECK(conf.pool("both")->first.is_v4());
}

TEST_CASE("ipv6-split-tunnel-policy: the IPv6 entries of the split list, or ::/0 when IPv6 is tunnelled whole") {
    const std::string common = kBase + "ipv6 local pool v6 2001:db8:1::1/64 100\n"
                                       "access-list SPLIT extended permit ip 10.0.0.0 255.0.0.0 any4\n"
                                       "access-list SPLIT extended permit ip 2001:db8:10::/48 any6\n"
                                       "access-list SPLIT extended permit ip host 2001:db8:20::5 any6\n"
                                       "tunnel-group RA general-attributes\n default-group-policy GP\n"
                                       "group-policy GP attributes\n split-tunnel-network-list value SPLIT\n";
    auto split_of = [](const std::string& asa) {
        auto c = convert(asa);
        for (const auto& n : c.notes) {
            CAPTURE(n.command, n.reason);
            CHECK(n.command.find("split") == std::string::npos);
            CHECK(n.command.find("SPLIT") == std::string::npos);
        }
        auto conf = load(c.toml);
        std::vector<std::string> out;
        REQUIRE(conf.group("RA"));
        for (const auto& p : conf.group("RA")->split_include) out.push_back(p.to_string());
        return out;
    };
    using V = std::vector<std::string>;
    CHECK(split_of(common + " split-tunnel-policy tunnelspecified\n ipv6-split-tunnel-policy tunnelspecified\n"
                            " ipv6-address-pools value v6\n") ==
          V{"10.0.0.0/8", "2001:db8:10::/48", "2001:db8:20::5/128"});
    // IPv6 tunnelled whole (the ASA's default) beside an IPv4 split.
    CHECK(split_of(common + " split-tunnel-policy tunnelspecified\n ipv6-address-pools value v6\n") ==
          V{"10.0.0.0/8", "::/0"});
    CHECK(split_of(common + " ipv6-split-tunnel-policy tunnelspecified\n ipv6-address-pools value v6\n") ==
          V{"0.0.0.0/0", "2001:db8:10::/48", "2001:db8:20::5/128"});
    // Without IPv6 addresses, the IPv6 entries do not matter.
    CHECK(split_of(common + " split-tunnel-policy tunnelspecified\n ipv6-split-tunnel-policy tunnelspecified\n") ==
          V{"10.0.0.0/8"});
    CHECK(split_of(common + " ipv6-split-tunnel-policy tunnelall\n ipv6-address-pools value v6\n").empty());
    // A list without entries of a split family says so.
    auto c = convert(kBase + "access-list ONLY6 extended permit ip 2001:db8:10::/48 any6\n"
                             "group-policy GP attributes\n split-tunnel-policy tunnelspecified\n"
                             " split-tunnel-network-list value ONLY6\ntunnel-group RA general-attributes\n default-group-policy GP\n");
    CHECK(c.toml.find("(split-tunnel-network-list ONLY6 has no IPv4 entry: no IPv4 network is tunnelled)") != std::string::npos);
    CHECK(c.toml.find("(nothing to tunnel in split-tunnel-network-list ONLY6: full tunnel)") != std::string::npos);
    CHECK(load(c.toml).group("RA")->split_include.empty());
}

TEST_CASE("ipv6 local pool: bad forms, a count past the prefix, and a pool nobody defined each get a note") {
    auto c = convert(kBase + "ipv6 local pool nocount 2001:db8:7::1/64\nipv6 local pool v4addr 10.0.0.1/24 5\n"
                             "ipv6 local pool big 2001:db8:8::1/64 20000\n"
                             "ipv6 local pool edge 2001:db8:9::fff0/116 100\n"
                             "tunnel-group RA general-attributes\n ipv6-address-pool edge\n"
                             "tunnel-group X type remote-access\ntunnel-group X general-attributes\n ipv6-address-pool nosuch\n");
    CHECK(c.toml.find("# not converted: ipv6 local pool nocount 2001:db8:7::1/64 (") != std::string::npos);
    CHECK(c.toml.find("# not converted: ipv6 local pool v4addr 10.0.0.1/24 5 (") != std::string::npos);
    CHECK(c.toml.find("# not converted: ipv6 local pool big 2001:db8:8::1/64 20000 (") != std::string::npos);
    CHECK(c.toml.find("# not converted: ipv6 local pool edge 2001:db8:9::fff0/116 100 (") != std::string::npos);
    CHECK(c.toml.find("nosuch") != std::string::npos);  // the unknown pool is named in a note
    auto conf = load(c.toml);
    REQUIRE(conf.pool("edge"));
    CHECK(conf.pool("edge")->last.to_string() == "2001:db8:9::ffff");  // the prefix's end, not past it
    CHECK(conf.group("RA")->ipv6_pool == "edge");
    CHECK_FALSE(conf.pool("nocount"));
    CHECK_FALSE(conf.group("X"));
}

namespace {

// Uncomments the lines the importer wrote commented (each must be there once).
std::string uncommented(std::string toml, const std::vector<std::string>& lines) {
    for (const auto& line : lines) {
        const std::string commented = "# " + line + "\n";
        auto at = toml.find(commented);
        REQUIRE(at != std::string::npos);
        toml.replace(at, commented.size(), line + "\n");
    }
    return toml;
}

// A directory with the converted configuration and the files beside it, loaded as ikev2d loads it.
struct ConfDir {
    std::string path;
    ConfDir() {
        char tmpl[] = "/tmp/ikectl-import-test.XXXXXX";
        REQUIRE(::mkdtemp(tmpl));
        path = tmpl;
    }
    ~ConfDir() { std::filesystem::remove_all(path); }
    void put(const std::string& name, const std::string& content) const {
        std::ofstream(path + "/" + name) << content;
    }
    config::Config load(const std::string& toml) const {
        put("ikev2d.conf", toml);
        auto r = config::load_file(path + "/ikev2d.conf");
        if (!r) FAIL(r.error().to_string() + "\n" + toml);
        return std::move(r.value());
    }
};

}  // namespace

TEST_CASE("client-services -> [client_services] port; the group's AnyConnect profile, commented until its file is copied") {
    auto c = convert(kBase + "crypto ikev2 enable outside client-services port 8443\n"
                             "webvpn\n anyconnect profiles ACP disk0:/acp-ikev2.xml\n anyconnect profiles UNUSED disk0:/unused.xml\n"
                             "group-policy GP internal\ngroup-policy GP attributes\n vpn-tunnel-protocol ikev2\n webvpn\n"
                             "  anyconnect profiles value ACP type user\n"
                             "tunnel-group RA general-attributes\n default-group-policy GP\n");
    auto conf = load(c.toml);
    CHECK(conf.client_services.port == 8443);
    REQUIRE(conf.global.listen.size() == 1);  // `crypto ikev2 enable outside` twice: one address
    REQUIRE(conf.group("RA"));
    CHECK(conf.group("RA")->anyconnect_profile.empty());  // the file is on the ASA's disk
    CHECK(has_line(c.toml, "# anyconnect_profile = \"acp-ikev2.xml\""));
    CHECK(c.toml.find("# not converted: group-policy GP attributes > webvpn > anyconnect profiles value ACP type user "
                      "(copy disk0:/acp-ikev2.xml") != std::string::npos);
    CHECK(c.toml.find("# not converted: webvpn > anyconnect profiles UNUSED disk0:/unused.xml (") != std::string::npos);
    CHECK(c.toml.find("client-services port 8443 (") == std::string::npos);  // converted: no note
    for (const auto& n : c.notes) {
        CAPTURE(n.command, n.reason);
        CHECK(n.command.find("ACP disk0:/acp-ikev2.xml") == std::string::npos);  // its definition is used
    }
    // Once the file is beside the configuration and the line uncommented, ikev2d serves it.
    ConfDir dir;
    dir.put("acp-ikev2.xml", "<AnyConnectProfile/>\n");
    auto served = dir.load(uncommented(c.toml, {"anyconnect_profile = \"acp-ikev2.xml\""}));
    REQUIRE(served.group("RA"));
    CHECK(served.group("RA")->anyconnect_profile_name == "acp-ikev2.xml");
    REQUIRE(served.group("RA")->anyconnect_profile_xml);
    CHECK(*served.group("RA")->anyconnect_profile_xml == "<AnyConnectProfile/>\n");

    // client-services without a port: the ASA's 443. A profile of another type, or one the
    // file does not define, is noted.
    auto d = convert(kBase + "crypto ikev2 enable outside client-services\n"
                             "group-policy DfltGrpPolicy attributes\n webvpn\n  anyconnect profiles value MGMT type vpn-mgmt\n"
                             "group-policy GP attributes\n webvpn\n  anyconnect profiles value NODEF type user\n"
                             "tunnel-group RA general-attributes\n default-group-policy GP\n");
    auto dconf = load(d.toml);
    CHECK(dconf.client_services.port == 443);
    CHECK(d.toml.find("anyconnect profiles value MGMT type vpn-mgmt (") != std::string::npos);
    CHECK(d.toml.find("anyconnect profiles value NODEF type user (") != std::string::npos);
    CHECK(has_line(d.toml, "# anyconnect_profile = \"NODEF.xml\""));
    // Without client-services: no [client_services] table.
    CHECK(convert(kBase).toml.find("[client_services]") == std::string::npos);
}

TEST_CASE("the seed's configuration converts with everything it uses") {
    auto c = convert(read_seed());
    auto conf = load(c.toml);
    REQUIRE(conf.global.listen.size() == 1);
    CHECK(conf.global.listen[0].to_string() == "10.0.0.1");
    CHECK(conf.global.allow_legacy_groups);  // group 2
    REQUIRE(conf.ike_policies.size() == 1);
    const auto& ike = conf.ike_policies[0];
    CHECK(ike.priority == 10);
    CHECK(ike.encryption == std::vector<config::EncrSpec>{{iana::EncrId::AES_CBC, 192}});
    CHECK(ike.integrity == std::vector<iana::IntegId>{iana::IntegId::HMAC_SHA1_96});
    CHECK(ike.prf == std::vector<iana::PrfId>{iana::PrfId::HMAC_SHA1});
    CHECK(ike.groups == std::vector<iana::DhGroup>{iana::DhGroup::MODP_1024});
    CHECK(ike.lifetime_seconds == 86400);
    const auto* g = conf.group("ASA-IKEV2");
    REQUIRE(g);
    CHECK(conf.default_group == "ASA-IKEV2");
    CHECK(g->pool == "webvpn1");
    CHECK(g->ipsec_proposal == "3des");
    CHECK(g->idle_timeout_s == 1800);
    CHECK(g->client_auth == config::ClientAuth::Eap);
    CHECK(g->eap_methods.front() == iana::EapType::Expanded);  // EAP-AnyConnect, as the seed's client uses
    const auto* p = conf.proposal("3des");
    REQUIRE(p);
    CHECK(p->encryption == std::vector<config::EncrSpec>{{iana::EncrId::AES_CBC, 256},
                                                         {iana::EncrId::AES_CBC, 128},
                                                         {iana::EncrId::TRIPLE_DES, 192}});
    CHECK(p->integrity == std::vector<iana::IntegId>{iana::IntegId::HMAC_SHA1_96});
    REQUIRE(conf.pool("webvpn1"));
    CHECK(conf.trustpoint.self_signed);
    CHECK(conf.trustpoint.identity == "10.0.0.1");
    CHECK(conf.dpd.interval_s == 10);
    CHECK(conf.dpd.retries == 2);
    CHECK(conf.client_services.port == 443);  // crypto ikev2 enable outside client-services port 443
    // The group's AnyConnect profile (anyconnect profiles value Anyconnect-ikev2 type user),
    // whose XML is disk0:/anyconnect-ikev2.xml on the ASA: loads once copied beside the file.
    CHECK(g->anyconnect_profile.empty());
    {
        ConfDir dir;
        std::ifstream xml(IKEV2D_TOOLS_TEST_DATA "/seed-anyconnect-serverlist.xml");
        std::ostringstream body;
        body << xml.rdbuf();
        dir.put("anyconnect-ikev2.xml", body.str());
        auto served = dir.load(uncommented(c.toml, {"anyconnect_profile = \"anyconnect-ikev2.xml\""}));
        REQUIRE(served.group("ASA-IKEV2"));
        CHECK(served.group("ASA-IKEV2")->anyconnect_profile_name == "anyconnect-ikev2.xml");
    }
    // Anu's password is an ASA hash: a commented entry that loads once a password is set.
    CHECK_FALSE(conf.user("Anu"));
    std::string fixed = c.toml;
    for (auto [from, to] : {std::pair<std::string, std::string>{"# [user.Anu]\n", "[user.Anu]\n"},
                            {"# group = \"ASA-IKEV2\"\n", "group = \"ASA-IKEV2\"\n"},
                            {"# password = \"\"\n", "password = \"known\"\n"}}) {
        auto at = fixed.find(from);
        REQUIRE(at != std::string::npos);
        fixed.replace(at, from.size(), to);
    }
    auto with_user = load(fixed);
    REQUIRE(with_user.user("Anu"));
    CHECK(with_user.user("Anu")->group == "ASA-IKEV2");
    CHECK(c.toml.find("# not converted: group-policy ASA-IKEV2 attributes > webvpn > anyconnect modules value dart (") !=
          std::string::npos);
    CHECK(c.toml.find("# not converted: webvpn > anyconnect image disk0:/anyconnect-win-3.0.1047-k9.pkg 1 (") !=
          std::string::npos);
    // What could not be converted is said, and nothing the VPN uses is among it.
    CHECK(c.toml.find("# not converted: crypto ipsec ikev2 ipsec-proposal 3des > protocol esp encryption aes-256 aes 3des des (des left out") != std::string::npos);
    for (const auto& n : c.notes) {
        CAPTURE(n.command, n.reason);
        CHECK(n.command.find("crypto ikev2 policy") == std::string::npos);
        CHECK(n.command.find("ip local pool") == std::string::npos);
        CHECK_FALSE(n.command.starts_with("tunnel-group"));
        CHECK(n.command.find("dynamic-map") == std::string::npos);
    }
}
