// Every kind of mistake must be reported with the file, the line of the mistake and a
// reason that says what is wrong.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "config/config.hpp"

using namespace ikev2d::config;

namespace {

struct BadFile {
    const char* what;
    const char* text;
    int line;
    const char* reason;  // substring of ConfigError::reason
};

// A valid file is lines 1-6; the cases add to it or replace it.
#define POOL_P "[pool.p]\nrange = \"10.2.2.0/24\"\n"   /* lines 1-2 */
#define GROUP_G "[group.g]\npool = \"p\"\n"            /* lines 3-4 */
#define USER_U "[user.u]\npassword = \"secret\"\n"     /* lines 5-6 */
#define PSK_GROUP_G "[group.g]\npool = \"p\"\nclient_auth = \"psk\"\npsk = \"key\"\n"  /* after POOL_P: lines 3-6 */

const BadFile kBadFiles[] = {
    {"TOML syntax error", "[pool.p\nrange = 1\n", 1, "table"},
    {"duplicate TOML key", POOL_P "range = \"10.3.0.0/24\"\n", 3, "range"},
    {"typo in a key", POOL_P GROUP_G "baner = \"hi\"\n" USER_U, 5, "unknown key 'baner' in [group.g]"},
    {"typo suggests the key meant", POOL_P GROUP_G "baner = \"hi\"\n" USER_U, 5, "did you mean 'banner'?"},
    {"unknown key lists the valid keys", POOL_P GROUP_G "colour = \"red\"\n" USER_U, 5,
     "(valid keys: pool, ipv6_pool, dns, split_include"},
    {"unknown section", "[grup.g]\npool = \"p\"\n", 1, "unknown key 'grup'"},
    {"wrong type", "[global]\nike_port = \"500\"\n" POOL_P GROUP_G USER_U, 2, "expected an integer, got a string"},
    {"port 0", "[global]\nnatt_port = 0\n" POOL_P GROUP_G USER_U, 2, "out of range (1..65535)"},
    {"same port twice", "[global]\nike_port = 4500\n" POOL_P GROUP_G USER_U, 1, "must differ from ike_port"},
    {"unknown cipher lists the valid ones",
     POOL_P GROUP_G USER_U "[[ike_policy]]\npriority = 1\nencryption = [\"aes-256\", \"aes-512\"]\n", 9,
     "unknown cipher 'aes-512' in encryption (valid: aes-128, aes-192, aes-256, aes-gcm-128"},
    {"unknown integrity",
     POOL_P GROUP_G USER_U "[ipsec_proposal.default]\nencryption = [\"aes-128\"]\nintegrity = [\"sha2\"]\n", 9,
     "unknown integrity algorithm 'sha2'"},
    {"CBC without integrity",
     POOL_P GROUP_G USER_U "[ipsec_proposal.default]\nencryption = [\"aes-128\"]\n", 8,
     "needs an integrity algorithm"},
    {"integrity with AEAD only",
     POOL_P GROUP_G USER_U "[ipsec_proposal.default]\nencryption = [\"aes-gcm-128\"]\nintegrity = [\"sha256\"]\n", 9,
     "every cipher is AEAD"},
    {"legacy DH group without allow_legacy_groups",
     POOL_P GROUP_G USER_U "[[ike_policy]]\npriority = 1\nencryption = [\"aes-gcm-128\"]\ngroups = [\"ecp256\", \"2\"]\n", 10,
     "allow_legacy_groups"},
    {"unknown DH group", POOL_P GROUP_G USER_U "[[ike_policy]]\npriority = 1\nencryption = [\"aes-gcm-128\"]\ngroups = [\"ecp999\"]\n",
     10, "unknown DH group 'ecp999'"},
    {"duplicate policy priority",
     POOL_P GROUP_G USER_U "[[ike_policy]]\npriority = 5\nencryption = [\"aes-gcm-128\"]\ngroups = [\"ecp256\"]\n"
                           "[[ike_policy]]\npriority = 5\nencryption = [\"aes-gcm-256\"]\ngroups = [\"ecp256\"]\n",
     12, "5 is already used by the policy at line 8"},
    {"reference to an unknown pool", POOL_P "[group.g]\npool = \"webvpn1\"\n" USER_U, 4, "unknown pool 'webvpn1' (defined: p)"},
    {"ipv6_pool naming an IPv4 pool", POOL_P GROUP_G "ipv6_pool = \"p\"\n" USER_U, 5, "ipv6_pool: pool 'p' holds IPv4 addresses"},
    {"ipv6_pool with an IPv6 pool", "[pool.p]\nrange = \"fd00::/120\"\n[pool.q]\nrange = \"fd01::/120\"\n" GROUP_G "ipv6_pool = \"q\"\n" USER_U,
     7, "so pool must be an IPv4 pool ('p' is IPv6)"},
    {"ipv6_pool unknown", POOL_P GROUP_G "ipv6_pool = \"p6\"\n" USER_U, 5, "unknown pool 'p6' (defined: p)"},
    {"reference to an unknown group", POOL_P GROUP_G "[user.u]\ngroup = \"staff\"\npassword = \"x\"\n", 6,
     "unknown group 'staff' (defined: g)"},
    {"reference to an unknown proposal", POOL_P GROUP_G "ipsec_proposal = \"3des\"\n" USER_U, 5,
     "unknown ipsec_proposal '3des' (defined: default)"},
    {"unknown default group", "[global]\ndefault_group = \"ASA\"\n" POOL_P GROUP_G USER_U, 2, "unknown group 'ASA'"},
    {"overlapping pools", POOL_P "[pool.q]\nrange = \"10.2.2.200-10.2.3.5\"\n" GROUP_G USER_U, 4,
     "overlaps pool 'p' (line 2)"},
    {"invalid pool range", "[pool.p]\nrange = \"10.2.2.9-10.2.2.1\"\n" GROUP_G USER_U, 2, "is not a pool"},
    {"user without credential", POOL_P GROUP_G "[user.u]\ngroup = \"g\"\n", 5, "user has no credential"},
    {"PSK group without psk", POOL_P GROUP_G "client_auth = \"psk\"\n" USER_U, 3, "needs a psk"},
    {"psk on an EAP group", POOL_P GROUP_G "psk = \"abc\"\n" USER_U, 5, "client_auth is not \"psk\""},
    {"certificate auth without CA", POOL_P GROUP_G "client_auth = \"certificate\"\n" USER_U, 5, "ca_certificates"},
    {"unknown client_auth", POOL_P GROUP_G "client_auth = \"radius\"\n" USER_U, 5,
     "unknown client_auth 'radius' (valid: eap, psk, certificate)"},
    {"invalid address", POOL_P GROUP_G "dns = [\"10.0.0.300\"]\n" USER_U, 5, "'10.0.0.300' is not an IP address"},
    {"invalid prefix", POOL_P GROUP_G "split_include = [\"10.0.0.0/40\"]\n" USER_U, 5, "is not an address prefix"},
    {"invalid listen address", "[global]\nlisten = [\"0.0.0.0\", \"eth0\"]\n" POOL_P GROUP_G USER_U, 2,
     "'eth0' is not an IP address"},
    {"non-string in a string array", POOL_P GROUP_G "dns = [\"10.0.0.1\", 53]\n" USER_U, 5,
     "expected an array of strings, found an integer"},
    {"unknown EAP method", POOL_P GROUP_G "eap_methods = [\"mschapv2\", \"peap\"]\n" USER_U, 5,
     "unknown EAP method 'peap' in eap_methods (valid: mschapv2, md5, gtc, anyconnect, tls)"},
    {"EAP-TLS without trusted CAs", POOL_P GROUP_G "eap_methods = [\"tls\"]\n" USER_U, 5,
     "EAP-TLS (\"tls\") needs ca_certificates in [trustpoint]"},
    {"nt_hash of the wrong size", POOL_P GROUP_G "[user.u]\nnt_hash = \"44ebba8d\"\n", 6, "32 hex digits"},
    {"password and nt_hash both", POOL_P GROUP_G "[user.u]\npassword = \"a\"\nnt_hash = \"44ebba8d5312b8d611474411f56989ae\"\n",
     7, "not both"},
    {"crypt hash cannot serve MSCHAPv2",
     POOL_P GROUP_G "eap_methods = [\"mschapv2\"]\n[user.u]\npassword_hash = \"$6$salt$hash\"\n", 6,
     "user cannot log in: group 'g' offers mschapv2"},
    {"a user but no group at all", POOL_P USER_U, 3, "no [group.<name>] defined: a user needs a group"},
    {"two groups, no default", POOL_P GROUP_G "[group.h]\npool = \"p\"\n" USER_U, 0, "default_group"},
    {"pool key that is not a table", "[pool]\nwebvpn1 = \"10.2.2.1-10.2.2.10\"\n" GROUP_G USER_U, 2,
     "'pool.webvpn1' must be a table"},
    {"cookie threshold above the half-open limit",
     "[global]\nhalf_open_limit = 50\nhalf_open_cookie_threshold = 100\n" POOL_P GROUP_G USER_U, 3, "above half_open_limit"},
    // limits against hostile peers
    {"per-source half-open limit 0", "[global]\nhalf_open_per_source_limit = 0\n" POOL_P GROUP_G USER_U, 2, "out of range"},
    {"reassembly budget per SA too small", "[global]\nreassembly_max_bytes_per_sa = 100\n" POOL_P GROUP_G USER_U, 2,
     "out of range"},
    {"total reassembly budget below the per-SA one",
     "[global]\nreassembly_max_bytes_per_sa = 65536\nreassembly_max_bytes_total = 8192\n" POOL_P GROUP_G USER_U, 3,
     "below reassembly_max_bytes_per_sa"},
    {"work budget rate above the whole loop", "[global]\nsource_work_ms_per_s = 1001\n" POOL_P GROUP_G USER_U, 2, "out of range"},
    {"work budget burst below 100 ms", "[global]\nsource_work_burst_ms = 50\n" POOL_P GROUP_G USER_U, 2, "out of range"},
    {"reassembly timeout 0", "[global]\nreassembly_timeout_s = 0\n" POOL_P GROUP_G USER_U, 2, "out of range"},
    // worker pool (issue 11)
    {"workers negative", "[global]\nworkers = -1\n" POOL_P GROUP_G USER_U, 2, "out of range"},
    {"workers as text", "[global]\nworkers = \"all\"\n" POOL_P GROUP_G USER_U, 2, "expected an integer"},
    // MOBIKE (issue 13)
    {"mobike not a boolean", "[global]\nmobike = \"yes\"\n" POOL_P GROUP_G USER_U, 2, "expected true or false, got a string"},
    {"CREATE_CHILD_SA rate 0", "[global]\ncreate_child_per_minute = 0\n" POOL_P GROUP_G USER_U, 2, "out of range"},
    {"INFORMATIONAL rate as text", "[global]\ninformational_per_minute = \"many\"\n" POOL_P GROUP_G USER_U, 2,
     "expected an integer"},
    {"relative state_dir", "[global]\nstate_dir = \"var/lib\"\n" POOL_P GROUP_G USER_U, 2, "absolute path"},
    {"unknown key_type", POOL_P GROUP_G USER_U "[trustpoint]\nself_signed = true\nkey_type = \"dsa\"\n", 9,
     "unknown key_type 'dsa'"},
    // Client certificate policy (issue 9)
    {"crls without ca_certificates", POOL_P GROUP_G USER_U "[trustpoint]\nself_signed = true\ncrls = [\"ca.crl\"]\n", 9,
     "CRLs need the CAs that signed them in ca_certificates"},
    {"crls with a non-string",
     POOL_P GROUP_G USER_U "[trustpoint]\nself_signed = true\nca_certificates = [\"ca.pem\"]\ncrls = [\"a.crl\", 2]\n", 10,
     "expected an array of strings, found an integer"},
    {"empty CRL file name",
     POOL_P GROUP_G USER_U "[trustpoint]\nself_signed = true\nca_certificates = [\"ca.pem\"]\ncrls = [\"\"]\n", 10,
     "crls: empty file name"},
    {"allow_cn_identity not a boolean", POOL_P GROUP_G USER_U "[trustpoint]\nself_signed = true\nallow_cn_identity = \"yes\"\n",
     9, "expected true or false, got a string"},
    {"allow_sha1_signatures on an EAP group", POOL_P GROUP_G "allow_sha1_signatures = true\n" USER_U, 5,
     "needs client_auth = \"certificate\""},
    {"allow_sha1_signatures not a boolean", POOL_P GROUP_G "allow_sha1_signatures = 1\n" USER_U, 5,
     "expected true or false, got an integer"},
    {"trustpoint without certificate", POOL_P GROUP_G USER_U "[trustpoint]\nidentity = \"vpn.example.com\"\n", 7,
     "missing 'certificate'"},
    // PFS of Child SAs (issue 15)
    {"unknown pfs", POOL_P GROUP_G USER_U "[ipsec_proposal.default]\nencryption = [\"aes-gcm-128\"]\npfs = \"yes\"\n", 9,
     "unknown pfs 'yes' (valid: accept, require, refuse)"},
    {"pfs not a string", POOL_P GROUP_G USER_U "[ipsec_proposal.default]\nencryption = [\"aes-gcm-128\"]\npfs = true\n", 9,
     "expected a string"},
    {"pfs refuse with pfs_groups",
     POOL_P GROUP_G USER_U "[ipsec_proposal.default]\nencryption = [\"aes-gcm-128\"]\npfs = \"refuse\"\npfs_groups = [\"ecp256\"]\n",
     10, "lists PFS groups but pfs = \"refuse\""},
    // proposal order (issue 15)
    {"unknown proposal_selection", "[global]\nproposal_selection = \"server\"\n" POOL_P GROUP_G USER_U, 2,
     "unknown proposal_selection 'server' (valid: client, admin)"},
    // PSK clients grouped by identity (issue 15)
    {"psk_identities on an EAP group", POOL_P GROUP_G "psk_identities = [\"a@b.test\"]\n" USER_U, 5,
     "only PSK clients are grouped by identity: needs client_auth = \"psk\""},
    {"'*' inside a psk identity", POOL_P PSK_GROUP_G "psk_identities = [\"r1@b.test\", \"r*@b.test\"]\n", 7,
     "'*' may only start a pattern"},
    {"'*' alone as a psk identity", POOL_P PSK_GROUP_G "psk_identities = [\"*\"]\n", 7, "'*' alone would match every identity"},
    {"empty psk identity", POOL_P PSK_GROUP_G "psk_identities = [\"\"]\n", 7, "psk_identities: an empty identity"},
    {"psk identity listed twice", POOL_P PSK_GROUP_G "psk_identities = [\"*@b.test\", \"*@b.test\"]\n", 7,
     "'*@b.test' is listed twice"},
    {"the same psk identity in two groups",
     "[global]\ndefault_group = \"g\"\n" POOL_P PSK_GROUP_G "psk_identities = [\"r@x.test\"]\n"
     "[group.h]\npool = \"p\"\nclient_auth = \"psk\"\npsk = \"key2\"\npsk_identities = [\"r@x.test\"]\n",
     14, "'r@x.test' is also listed in group 'g' (line 9): an identity may lead to one group only"},
    {"overlapping psk identity wildcards in two groups",
     "[global]\ndefault_group = \"g\"\n" POOL_P PSK_GROUP_G "psk_identities = [\"*.x.test\"]\n"
     "[group.h]\npool = \"p\"\nclient_auth = \"psk\"\npsk = \"key2\"\npsk_identities = [\"*.sub.x.test\"]\n",
     14, "'*.sub.x.test' overlaps '*.x.test' in group 'g' (line 9)"},
    {"a user whose name another group lists in psk_identities",
     "[global]\ndefault_group = \"g\"\n" POOL_P GROUP_G
     "[group.h]\npool = \"p\"\nclient_auth = \"psk\"\npsk = \"key2\"\npsk_identities = [\"u\"]\n" USER_U,
     12, "user is in group 'g' but group 'h' lists the identity in psk_identities (line 11)"},
    {"psk_identities not strings", POOL_P PSK_GROUP_G "psk_identities = 7\n", 7, "expected an array of strings"},
    // [control]
    {"empty admin_group", POOL_P GROUP_G USER_U "[control]\nadmin_group = \"\"\n", 8, "admin_group must name a group"},
    {"admin_group that does not exist", POOL_P GROUP_G USER_U "[control]\nadmin_group = \"no-such-group-ikev2d\"\n", 8,
     "no such group 'no-such-group-ikev2d' on this system"},
    {"typo in [control]", POOL_P GROUP_G USER_U "[control]\nadmin_grp = \"root\"\n", 8, "unknown key 'admin_grp' in [control]"},
};

}  // namespace

TEST_CASE("the base of the bad-file table is itself valid", "[config][errors]") {
    auto r = load_string(POOL_P GROUP_G USER_U, "base.conf");
    INFO((r ? "" : r.error().to_string()));
    CHECK(r);
}

TEST_CASE("bad files are rejected with file, line and reason", "[config][errors]") {
    for (const auto& bad : kBadFiles) {
        INFO("case: " << bad.what);
        auto r = load_string(bad.text, "bad.conf");
        REQUIRE_FALSE(r);
        const ConfigError& e = r.error();
        INFO("error: " << e.to_string());
        CHECK(e.file == "bad.conf");
        CHECK(e.line == bad.line);
        CHECK_THAT(e.reason, Catch::Contains(bad.reason));
        if (bad.line > 0) {
            CHECK(e.column > 0);
            CHECK_THAT(e.to_string(), Catch::StartsWith("bad.conf:" + std::to_string(bad.line) + ":"));
        }
    }
}

TEST_CASE("error positions point at the offending value", "[config][errors]") {
    auto r = load_string(POOL_P GROUP_G "dns = [\"10.0.0.1\", \"10.0.0.x\"]\n" USER_U, "col.conf");
    REQUIRE_FALSE(r);
    CHECK(r.error().line == 5);
    CHECK(r.error().column == 20);  // the second element
    CHECK(r.error().to_string() ==
          "col.conf:5:20: [group.g]: dns: '10.0.0.x' is not an IP address");
}

TEST_CASE("[control] admin_group is resolved to its gid at load", "[config][control]") {
    auto none = load_string(POOL_P GROUP_G USER_U, "none.conf");
    REQUIRE(none.ok());
    CHECK_FALSE(none.value().control.admin_gid);
    auto root = load_string(POOL_P GROUP_G USER_U "[control]\nadmin_group = \"root\"\n", "root.conf");
    REQUIRE(root.ok());
    CHECK(root.value().control.admin_group == "root");
    CHECK(root.value().control.admin_gid == 0u);  // group root is gid 0 on every Linux system
}

TEST_CASE("a user of a PSK or certificate group needs no password; psk_identities load", "[config][psk]") {
    auto r = load_string("[global]\ndefault_group = \"eap\"\n" POOL_P
                         "[group.eap]\npool = \"p\"\n"
                         "[group.site]\npool = \"p\"\nclient_auth = \"psk\"\npsk = \"key\"\n"
                         "psk_identities = [\"hq@x.test\", \"*@branch.x.test\"]\n"
                         "[group.vip]\npool = \"p\"\nclient_auth = \"psk\"\npsk = \"key2\"\n"
                         "psk_identities = [\"boss@branch.x.test\"]\n"  // exact beats the wildcard: no error
                         "[user.\"router@x.test\"]\ngroup = \"site\"\n",
                         "psk.conf");
    INFO((r ? "" : r.error().to_string()));
    REQUIRE(r);
    CHECK(r.value().group("site")->psk_identities == std::vector<std::string>{"hq@x.test", "*@branch.x.test"});
    const UserConfig* router = r.value().user("router@x.test");
    REQUIRE(router);
    CHECK_FALSE(router->password);
    CHECK_FALSE(router->nt_hash);
    CHECK_FALSE(router->password_hash);
}

// --- [radius] (issue 12) ---
#define RADIUS_OK "[radius]\nservers = [\"a\"]\n[radius.server.a]\naddress = \"192.0.2.5\"\nsecret = \"s3cret\"\n"  /* 5 lines */

TEST_CASE("[radius] mistakes are refused with line and reason", "[config][errors][radius]") {
    const BadFile cases[] = {
        {"server listed but not defined", POOL_P GROUP_G USER_U "[radius]\nservers = [\"a\", \"b\"]\n"
                                          "[radius.server.a]\naddress = \"192.0.2.5\"\nsecret = \"x\"\n", 8, "no [radius.server.b]"},
        {"server defined but not listed", POOL_P GROUP_G USER_U RADIUS_OK "[radius.server.c]\naddress = \"192.0.2.6\"\nsecret = \"y\"\n",
         12, "[radius.server.c] is not in servers"},
        {"secret with a colon", POOL_P GROUP_G USER_U "[radius]\nservers = [\"a\"]\n[radius.server.a]\naddress = \"h\"\nsecret = \"a:b\"\n",
         11, "may not contain ':'"},
        {"no secret", POOL_P GROUP_G USER_U "[radius]\nservers = [\"a\"]\n[radius.server.a]\naddress = \"h\"\n", 9, "secret"},
        {"interim too short", POOL_P GROUP_G USER_U "[radius]\nservers = [\"a\"]\ninterim_interval_s = 30\n"
                              "[radius.server.a]\naddress = \"h\"\nsecret = \"x\"\n", 9, "at least 60"},
        {"radius authentication without [radius]", POOL_P "[group.g]\npool = \"p\"\nauthentication = \"radius\"\n" USER_U, 5,
         "needs a [radius] section"},
        {"unknown authentication", POOL_P "[group.g]\npool = \"p\"\nauthentication = \"ldap\"\n" USER_U, 5,
         "unknown authentication 'ldap' (valid: local, radius)"},
        {"radius authentication for a PSK group", POOL_P "[group.g]\npool = \"p\"\nclient_auth = \"psk\"\npsk = \"k\"\n"
                                                  "authentication = \"radius\"\n" USER_U RADIUS_OK, 7, "needs client_auth = \"eap\""},
        {"eap_methods with radius authentication", POOL_P "[group.g]\npool = \"p\"\nauthentication = \"radius\"\n"
                                                   "eap_methods = [\"md5\"]\n" USER_U RADIUS_OK, 6, "the RADIUS server chooses"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        auto r = load_string(c.text, "bad.conf");
        REQUIRE_FALSE(r.ok());
        INFO(r.error().to_string());
        CHECK(r.error().file == "bad.conf");
        CHECK(r.error().line == c.line);
        CHECK(r.error().reason.find(c.reason) != std::string::npos);
    }
    auto timeout = load_string(POOL_P GROUP_G USER_U "[radius]\nservers = [\"a\"]\ntimeout_s = 0\n"
                               "[radius.server.a]\naddress = \"h\"\nsecret = \"x\"\n", "t.conf");
    REQUIRE_FALSE(timeout.ok());
    CHECK(timeout.error().line == 9);
    CHECK(timeout.error().reason.find("out of range (1..60)") != std::string::npos);
}

// --- [client_services] and anyconnect_profile (issue 13) ---
TEST_CASE("[client_services] and anyconnect_profile mistakes are refused with line and reason", "[config][errors]") {
    const BadFile cases[] = {
        {"port out of range", POOL_P GROUP_G USER_U "[client_services]\nport = 70000\n", 8, "out of range (0..65535)"},
        {"no connections", POOL_P GROUP_G USER_U "[client_services]\nmax_connections = 0\n", 8, "out of range (1..1024)"},
        {"typo in [client_services]", POOL_P GROUP_G USER_U "[client_services]\nprot = 443\n", 8, "unknown key 'prot'"},
        {"missing profile file", POOL_P GROUP_G "anyconnect_profile = \"/nonexistent/ikev2d/p.xml\"\n" USER_U, 5,
         "cannot read '/nonexistent/ikev2d/p.xml'"},
        {"profile not named .xml", POOL_P GROUP_G "anyconnect_profile = \"/etc/hostname\"\n" USER_U, 5,
         "must name a .xml file"},
        {"profile name with odd characters", POOL_P GROUP_G "anyconnect_profile = \"/tmp/a b.xml\"\n" USER_U, 5,
         "must name a .xml file"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        auto r = load_string(c.text, "bad.conf");
        REQUIRE_FALSE(r.ok());
        INFO(r.error().to_string());
        CHECK(r.error().file == "bad.conf");
        CHECK(r.error().line == c.line);
        CHECK(r.error().reason.find(c.reason) != std::string::npos);
    }
    // An empty profile file is refused too; a good one loads with its name and SHA-1.
    char dir[] = "/tmp/ikev2d-profile-XXXXXX";
    REQUIRE(mkdtemp(dir));
    const std::string empty = std::string(dir) + "/empty.xml", good = std::string(dir) + "/good.xml";
    std::FILE* f = std::fopen(empty.c_str(), "w");
    REQUIRE(f);
    std::fclose(f);
    f = std::fopen(good.c_str(), "w");
    REQUIRE(f);
    std::fputs("abc", f);
    std::fclose(f);
    auto e = load_string(std::string(POOL_P GROUP_G "anyconnect_profile = \"") + empty + "\"\n" USER_U, "e.conf");
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().line == 5);
    CHECK(e.error().reason.find("is empty") != std::string::npos);
    auto g = load_string(std::string(POOL_P GROUP_G "anyconnect_profile = \"") + good + "\"\n" USER_U "[client_services]\nport = 443\n", "g.conf");
    REQUIRE(g.ok());
    CHECK(g->client_services.port == 443);
    CHECK(g->groups.at(0).anyconnect_profile_name == "good.xml");
    // SHA-1("abc"), FIPS 180-2 appendix A.1.
    CHECK(g->groups.at(0).anyconnect_profile_sha1 == "a9993e364706816aba3e25717850c26c9cd0d89d");
    std::remove(empty.c_str());
    std::remove(good.c_str());
    ::rmdir(dir);
}

TEST_CASE("[radius] loads in failover order; the file must be mode 0600", "[config][radius]") {
    const char* text = POOL_P "[group.g]\npool = \"p\"\nauthentication = \"radius\"\naccounting = \"radius\"\n" USER_U
        "[radius]\nservers = [\"second\", \"first\"]\ntimeout_s = 2\nretries = 3\nnas_identifier = \"gw1\"\n"
        "interim_interval_s = 300\ndae_port = 3799\n"
        "[radius.server.first]\naddress = \"192.0.2.5\"\nsecret = \"one\"\n"
        "[radius.server.second]\naddress = \"2001:db8::5\"\nsecret = \"two\"\nauth_port = 11812\nacct_port = 11813\n";
    auto r = load_string(text, "ok.conf");
    INFO((r ? "" : r.error().to_string()));
    REQUIRE(r.ok());
    const auto& radius = *r.value().radius;
    REQUIRE(radius.servers.size() == 2);
    CHECK(radius.servers[0].name == "second");
    CHECK(radius.servers[0].host == "2001:db8::5");
    CHECK(radius.servers[0].auth_port == 11812);
    CHECK(radius.servers[1].secret == "one");
    CHECK(radius.servers[1].acct_port == 1813);
    CHECK(radius.timeout_s == 2);
    CHECK(radius.retries == 3);
    CHECK(radius.nas_identifier == "gw1");
    CHECK(radius.interim_interval_s == 300);
    CHECK(radius.dae_port == 3799);
    CHECK(r.value().group("g")->radius_authentication);
    CHECK(r.value().group("g")->radius_accounting);

    char path[] = "/tmp/ikev2d-radius-conf-XXXXXX";
    const int fd = ::mkstemp(path);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, text, std::strlen(text)) == static_cast<ssize_t>(std::strlen(text)));
    ::close(fd);
    ::chmod(path, 0640);
    auto readable = load_file(path);
    REQUIRE_FALSE(readable.ok());
    CHECK(readable.error().reason.find("holds RADIUS secrets but is mode 0640") != std::string::npos);
    ::chmod(path, 0600);
    CHECK(load_file(path).ok());
    ::unlink(path);
}

TEST_CASE("session limits load; out-of-range values are refused with the line", "[config][errors][limits]") {
    auto ok = load_string(POOL_P "[group.g]\npool = \"p\"\nmax_session_s = 86400\nsimultaneous_logins = 2\n" USER_U, "ok.conf");
    INFO((ok ? "" : ok.error().to_string()));
    REQUIRE(ok.ok());
    CHECK(ok.value().group("g")->max_session_s == 86400);
    CHECK(ok.value().group("g")->simultaneous_logins == 2);
    auto bad = load_string(POOL_P "[group.g]\npool = \"p\"\nsimultaneous_logins = -1\n" USER_U, "bad.conf");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().line == 5);
    CHECK(bad.error().reason.find("simultaneous_logins") != std::string::npos);
    auto typo = load_string(POOL_P "[group.g]\npool = \"p\"\nmax_session = 60\n" USER_U, "typo.conf");
    REQUIRE_FALSE(typo.ok());
    CHECK(typo.error().reason.find("did you mean 'max_session_s'?") != std::string::npos);
}

// --- [redirect] (issue 12, RFC 5685) ---
TEST_CASE("[redirect] loads; mistakes are refused with line and reason", "[config][errors][redirect]") {
    auto ok = load_string(POOL_P GROUP_G USER_U "[redirect]\ngateways = [\"198.51.100.2\", \"2001:db8::2\", \"vpn2.example.com\"]\n"
                                                "max_sessions = 500\nwhen = \"auth\"\n", "ok.conf");
    INFO((ok ? "" : ok.error().to_string()));
    REQUIRE(ok.ok());
    REQUIRE(ok.value().redirect);
    CHECK(ok.value().redirect->gateways.size() == 3);
    CHECK(ok.value().redirect->max_sessions == 500);
    CHECK(ok.value().redirect->when == RedirectWhen::Auth);
    auto plain = load_string(POOL_P GROUP_G USER_U, "plain.conf");
    REQUIRE(plain.ok());
    CHECK_FALSE(plain.value().redirect);

    const BadFile cases[] = {
        {"no gateways", POOL_P GROUP_G USER_U "[redirect]\nmax_sessions = 5\n", 7, "name the gateways"},
        {"empty gateways", POOL_P GROUP_G USER_U "[redirect]\ngateways = []\n", 8, "name the gateways"},
        {"bad gateway", POOL_P GROUP_G USER_U "[redirect]\ngateways = [\"198.51.100.2\",\n \"198.51.100.300\"]\n", 9,
         "'198.51.100.300' is neither an IPv4 or IPv6 address nor a host name"},
        {"name with a blank", POOL_P GROUP_G USER_U "[redirect]\ngateways = [\"gw b\"]\n", 8, "nor a host name"},
        {"bad when", POOL_P GROUP_G USER_U "[redirect]\ngateways = [\"gw-b\"]\nwhen = \"later\"\n", 9,
         "when must be \"sa_init\" or \"auth\""},
        {"negative max_sessions", POOL_P GROUP_G USER_U "[redirect]\ngateways = [\"gw-b\"]\nmax_sessions = -1\n", 9,
         "max_sessions"},
        {"typo", POOL_P GROUP_G USER_U "[redirect]\ngateways = [\"gw-b\"]\nmax_session = 3\n", 9,
         "did you mean 'max_sessions'?"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        auto r = load_string(c.text, "bad.conf");
        REQUIRE_FALSE(r.ok());
        INFO(r.error().to_string());
        CHECK(r.error().file == "bad.conf");
        CHECK(r.error().line == c.line);
        CHECK(r.error().reason.find(c.reason) != std::string::npos);
    }
}
