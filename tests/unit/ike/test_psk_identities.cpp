// PSK clients grouped by their IKE identity (issue 15): a group's psk_identities put a
// PSK client in the group without a [user] entry, and a [user] entry of a PSK group
// needs no password. Exact identities beat wildcards; a client no group's patterns
// match falls to the default group, here an EAP one, and is refused.
#include <catch2/catch.hpp>

#include "exchange_helpers.hpp"
#include "ike/session_policy.hpp"

using namespace test_ike;
using ikev2d::ike::find_payload;
using iana::ExchangeType;
using iana::NotifyType;
using iana::PayloadType;

namespace {

const std::string kBranchPsk = "the branch offices' own pre-shared key";
const std::string kVipPsk = "a key for the boss alone, also long";

// The test configuration plus a branch group (own pool and DNS) found by identity pattern,
// and a group for one exact identity that the branch wildcard matches too.
std::string branch_config() {
    std::string toml = kTestConfig;
    toml += R"(
[pool.b]
range = "10.3.3.0/29"

[pool.v]
range = "10.4.4.0/29"

[group.branch]
pool = "b"
client_auth = "psk"
psk = ")" + kBranchPsk + R"("
dns = ["203.0.113.53"]
psk_identities = ["*@branch.test", "hq-router.test"]

[group.vip]
pool = "v"
client_auth = "psk"
psk = ")" + kVipPsk + R"("
psk_identities = ["boss@branch.test"]
)";
    return toml;
}

struct CpReply {
    std::optional<IpAddress> address, dns;
};

CpReply cp_reply(const std::vector<wire::Payload>& resp) {
    CpReply out;
    const auto* cp = find_payload<wire::CpPayload>(resp, PayloadType::CP);
    if (!cp) return out;
    for (const auto& a : cp->attributes) {
        if (a.value.size() != 4) continue;
        if (a.type == static_cast<std::uint16_t>(iana::CfgAttr::INTERNAL_IP4_ADDRESS)) out.address = IpAddress::from_bytes(a.value);
        if (a.type == static_cast<std::uint16_t>(iana::CfgAttr::INTERNAL_IP4_DNS)) out.dns = IpAddress::from_bytes(a.value);
    }
    return out;
}

std::vector<wire::Payload> connect(GatewayHarness& h, const std::string& id, const std::string& psk, const char* from) {
    TestInitiator ini(Endpoint{IpAddress::from_string(from), 500}, h.local);
    sa_init_ok(h, ini);
    auto out = h.deliver(natt_of(ini.self()), ini.request(ExchangeType::IKE_AUTH, ini.auth_payloads(id, psk, true)));
    REQUIRE(out.size() == 1);
    return ini.open_response(out);
}

}  // namespace

TEST_CASE("psk_identities: a PSK client whose IDi matches gets that group's pool and DNS") {
    GatewayHarness h(branch_config());
    SECTION("a wildcard match") {
        auto resp = connect(h, "r1@branch.test", kBranchPsk, "192.0.2.21");
        REQUIRE(error_notify(resp) == 0);
        CpReply cp = cp_reply(resp);
        REQUIRE(cp.address == IpAddress::from_string("10.3.3.1"));
        REQUIRE(cp.dns == IpAddress::from_string("203.0.113.53"));
        REQUIRE(h.gateway->pools().at("b").used() == 1);
        REQUIRE(h.kernel.sas().size() == 2);
    }
    SECTION("an exact match (an FQDN identity)") {
        auto resp = connect(h, "hq-router.test", kBranchPsk, "192.0.2.22");
        REQUIRE(error_notify(resp) == 0);
        REQUIRE(cp_reply(resp).address == IpAddress::from_string("10.3.3.1"));
    }
    SECTION("an exact identity of another group beats the wildcard") {
        auto resp = connect(h, "boss@branch.test", kVipPsk, "192.0.2.23");
        REQUIRE(error_notify(resp) == 0);
        REQUIRE(cp_reply(resp).address == IpAddress::from_string("10.4.4.1"));
        // The branch key does not work for it.
        auto wrong = connect(h, "boss@branch.test", kBranchPsk, "192.0.2.24");
        REQUIRE(error_notify(wrong) == code(NotifyType::AUTHENTICATION_FAILED));
    }
    SECTION("a [user] entry without password still places its identity (the psk group)") {
        auto resp = connect(h, "site@psk.test", kTestPsk, "192.0.2.25");
        REQUIRE(error_notify(resp) == 0);
        REQUIRE(cp_reply(resp).address == IpAddress::from_string("10.2.2.1"));
    }
}

TEST_CASE("psk_identities: a PSK client no pattern matches is refused with AUTHENTICATION_FAILED") {
    GatewayHarness h(branch_config());
    const char* id = GENERATE("r1@other.test", "@branch.test", "r1@branch.test.evil", "R1@BRANCH.TEST");
    INFO(id);
    auto resp = connect(h, id, kBranchPsk, "192.0.2.31");
    REQUIRE(error_notify(resp) == code(NotifyType::AUTHENTICATION_FAILED));
    REQUIRE(h.kernel.sas().empty());
    REQUIRE(h.gateway->pools().at("b").used() == 0);
}

TEST_CASE("group_for_identity: user entry, exact psk identity, wildcard, default group") {
    auto loaded = config::load_string(branch_config(), "branch.conf");
    REQUIRE(loaded);
    const config::Config& cfg = loaded.value();
    CHECK(ike::group_for_identity(cfg, "site@psk.test")->name == "psk");
    CHECK(ike::group_for_identity(cfg, "boss@branch.test")->name == "vip");
    CHECK(ike::group_for_identity(cfg, "x@branch.test")->name == "branch");
    CHECK(ike::group_for_identity(cfg, "hq-router.test")->name == "branch");
    CHECK(ike::group_for_identity(cfg, "x.hq-router.test")->name == "eap");
    CHECK(ike::group_of_psk_identity(cfg, "x@sub.branch.test") == nullptr);
}
