// Isolation between sessions (issue 9): what one client's IKE SA does must never touch
// another's kernel state or session, and a session lives only as long as the
// configuration still admits its user. Whole exchanges in-process against the fake kernel.
#include <catch2/catch.hpp>

#include <algorithm>

#include "../eap/mschapv2_peer.hpp"
#include "eap_login.hpp"
#include "exchange_helpers.hpp"
#include "gateway_harness.hpp"
#include "ike/payload_helpers.hpp"
#include "ike/reqid_allocator.hpp"
#include "kernel/ownership.hpp"
#include "test_initiator.hpp"

using namespace test_ike;
using ikev2d::ike::find_payload;
using iana::ExchangeType;
using iana::NotifyType;
using iana::PayloadType;

namespace {

const std::string kPsk = "a long and secret pre-shared key";

// The harness configuration plus a second user of the EAP group.
std::string two_eap_users() { return std::string(kTestConfig) + "\n[user.bob]\ngroup = \"eap\"\npassword = \"Battery-Staple-9\"\n"; }

std::vector<wire::Payload> connect_psk(GatewayHarness& h, TestInitiator& ini, bool want_address, bool initial_contact,
                                       std::uint32_t esp_spi) {
    sa_init_ok(h, ini);
    auto payloads = ini.auth_payloads("site@psk.test", kPsk, want_address);
    set_esp_spi(payloads, esp_spi);
    if (initial_contact) add_initial_contact(payloads);
    auto out = h.deliver(natt_of(ini.self()), ini.request(ExchangeType::IKE_AUTH, payloads));
    REQUIRE(out.size() == 1);
    return ini.open_response(out);
}

IpAddress cp_address(const std::vector<wire::Payload>& payloads) {
    const auto* cp = find_payload<wire::CpPayload>(payloads, PayloadType::CP);
    REQUIRE(cp != nullptr);
    for (const auto& a : cp->attributes)
        if (a.type == static_cast<std::uint16_t>(iana::CfgAttr::INTERNAL_IP4_ADDRESS)) return IpAddress::from_bytes(a.value);
    FAIL("no address in CP");
    return {};
}

const ike::IkeSa* sa_of(const GatewayHarness& h, const TestInitiator& ini) {
    for (const auto& [spi, sa] : h.gateway->sas())
        if (sa->spi_i == ini.spi_i()) return sa.get();
    return nullptr;
}

bool alive(const GatewayHarness& h, const TestInitiator& ini) {
    const auto* sa = sa_of(h, ini);
    return sa && sa->state == ike::IkeSaState::Established;
}

}  // namespace

TEST_CASE("isolation: selectors of another IKE SA's Child SA are refused with TS_UNACCEPTABLE, its policies stay") {
    GatewayHarness h;
    // Two clients behind one NAT that ask for no address: both want 198.51.100.0/24 <-> 192.0.2.11/32.
    TestInitiator first(Endpoint{IpAddress::from_string("192.0.2.11"), 500}, h.local);
    REQUIRE(error_notify(connect_psk(h, first, false, false, 0x0a000001)) == 0);
    REQUIRE(h.kernel.policies().size() == 3);
    REQUIRE(h.kernel.sas().size() == 2);
    const auto policies_before = h.kernel.policies();
    const std::uint32_t first_reqid = sa_of(h, first)->children.at(0).reqid;

    TestInitiator second(Endpoint{IpAddress::from_string("192.0.2.11"), 500}, h.local);
    auto resp = connect_psk(h, second, false, false, 0x0b000002);
    REQUIRE(error_notify(resp) == static_cast<std::uint16_t>(NotifyType::TS_UNACCEPTABLE));

    // The first client's kernel state is exactly as it was.
    REQUIRE(h.kernel.policies().size() == 3);
    for (const auto& [key, policy] : policies_before) {
        const auto* still = h.kernel.find_policy(key.first, key.second);
        REQUIRE(still);
        REQUIRE(still->reqid == first_reqid);
    }
    REQUIRE(h.kernel.sas().size() == 2);
    REQUIRE(h.kernel.find_sa(IpAddress::from_string("192.0.2.11"), 0x0a000001));
    REQUIRE(h.kernel.larval_spis().empty());
    REQUIRE(alive(h, first));
    REQUIRE(sa_of(h, second)->children.empty());
}

TEST_CASE("isolation: a failed policy install rolls back only what that install added") {
    GatewayHarness h;
    TestInitiator first(Endpoint{IpAddress::from_string("192.0.2.11"), 500}, h.local);
    REQUIRE(error_notify(connect_psk(h, first, true, false, 0x0a000001)) == 0);
    const auto policies_before = h.kernel.policies();
    const auto sas_before = h.kernel.sas().size();

    // The kernel refuses the second client's first policy: nothing of it may stay, and
    // nothing of the first client may go.
    TestInitiator second(Endpoint{IpAddress::from_string("192.0.2.12"), 500}, h.local);
    h.kernel.fail_next(kernel::FakeKernel::Op::AddPolicy, ENOMEM);
    auto resp = connect_psk(h, second, true, false, 0x0b000002);
    REQUIRE(error_notify(resp) == static_cast<std::uint16_t>(NotifyType::TEMPORARY_FAILURE));
    REQUIRE(h.kernel.policies().size() == policies_before.size());
    for (const auto& [key, policy] : policies_before) REQUIRE(h.kernel.find_policy(key.first, key.second));
    REQUIRE(h.kernel.sas().size() == sas_before);
    REQUIRE(h.kernel.larval_spis().empty());
}

TEST_CASE("isolation: INITIAL_CONTACT from a PSK client does not close other clients sharing its IDi") {
    GatewayHarness h;
    TestInitiator first(Endpoint{IpAddress::from_string("192.0.2.11"), 500}, h.local);
    REQUIRE(error_notify(connect_psk(h, first, true, false, 0x0a000001)) == 0);

    // Another client with the same group identity and the group PSK, announcing INITIAL_CONTACT.
    TestInitiator second(Endpoint{IpAddress::from_string("192.0.2.12"), 500}, h.local);
    REQUIRE(error_notify(connect_psk(h, second, true, true, 0x0b000002)) == 0);

    REQUIRE(alive(h, first));
    REQUIRE(alive(h, second));
    REQUIRE(h.kernel.sas().size() == 4);
    REQUIRE(h.kernel.policies().size() == 6);
}

TEST_CASE("isolation: INITIAL_CONTACT after EAP replaces only the SAs of the same EAP user") {
    GatewayHarness h(two_eap_users());
    // alice and bob behind the same device name (IDi), told apart by their EAP identities.
    TestInitiator alice(Endpoint{IpAddress::from_string("192.0.2.11"), 500}, h.local);
    auto alice_up = connect_eap(h, alice, {"laptop", "alice", "alice", "Correct-Horse-7", false, 0x0a000001});
    REQUIRE(error_notify(alice_up) == 0);
    REQUIRE(cp_address(alice_up).to_string() == "10.2.2.1");
    TestInitiator bob(Endpoint{IpAddress::from_string("192.0.2.12"), 500}, h.local);
    REQUIRE(error_notify(connect_eap(h, bob, {"laptop", "bob", "bob", "Battery-Staple-9", true, 0x0b000002})) == 0);
    REQUIRE(alive(h, alice));
    REQUIRE(alive(h, bob));

    // alice again (her laptop restarted): her old SA goes, and frees her address for the
    // new one before it takes one; bob's stays.
    TestInitiator alice_again(Endpoint{IpAddress::from_string("192.0.2.13"), 500}, h.local);
    auto again_up = connect_eap(h, alice_again, {"alice", "", "alice", "Correct-Horse-7", true, 0x0c000003});
    REQUIRE(error_notify(again_up) == 0);
    REQUIRE(cp_address(again_up).to_string() == "10.2.2.1");
    REQUIRE_FALSE(alive(h, alice));
    REQUIRE(alive(h, bob));
    REQUIRE(alive(h, alice_again));
    REQUIRE(h.kernel.sas().size() == 4);
}

TEST_CASE("isolation: after EAP the user's own group must admit EAP with the method used") {
    GatewayHarness h(std::string(kTestConfig) +
                     "\n[group.gtconly]\npool = \"p\"\nclient_auth = \"eap\"\neap_methods = [\"gtc\"]\n"
                     "[group.staff]\npool = \"p\"\nclient_auth = \"eap\"\neap_methods = [\"mschapv2\"]\n"
                     "[user.carol]\ngroup = \"gtconly\"\npassword = \"Carol-Pass-1\"\n"
                     "[user.dan]\ngroup = \"staff\"\npassword = \"Dan-Pass-2\"\n");
    // An unknown IDi lands in the default group (EAP: mschapv2, md5); the EAP identity is a
    // user of the PSK group, who must not get in by EAP at all.
    TestInitiator psk_user(Endpoint{IpAddress::from_string("192.0.2.11"), 500}, h.local);
    auto resp = connect_eap(h, psk_user, {"someone", "site@psk.test", "site@psk.test", "unused", false, 0x0a000001});
    REQUIRE(error_notify(resp) == static_cast<std::uint16_t>(NotifyType::AUTHENTICATION_FAILED));
    REQUIRE(h.kernel.sas().empty());
    REQUIRE(h.kernel.policies().empty());
    REQUIRE(h.gateway->pools().at("p").used() == 0);
    REQUIRE_FALSE(alive(h, psk_user));

    // A user whose group allows only EAP-GTC, authenticated with MSCHAPv2 through the default group.
    TestInitiator carol(Endpoint{IpAddress::from_string("192.0.2.12"), 500}, h.local);
    resp = connect_eap(h, carol, {"someone", "carol", "carol", "Carol-Pass-1", false, 0x0b000002});
    REQUIRE(error_notify(resp) == static_cast<std::uint16_t>(NotifyType::AUTHENTICATION_FAILED));
    REQUIRE(h.kernel.sas().empty());

    // Users whose group admits EAP-MSCHAPv2 get in, each with their own group.
    TestInitiator alice(Endpoint{IpAddress::from_string("192.0.2.13"), 500}, h.local);
    REQUIRE(error_notify(connect_eap(h, alice, {"someone", "alice", "alice", "Correct-Horse-7", false, 0x0c000003})) == 0);
    REQUIRE(sa_of(h, alice)->group == "eap");
    TestInitiator dan(Endpoint{IpAddress::from_string("192.0.2.14"), 500}, h.local);
    REQUIRE(error_notify(connect_eap(h, dan, {"someone", "dan", "dan", "Dan-Pass-2", false, 0x0d000004})) == 0);
    REQUIRE(sa_of(h, dan)->group == "staff");
}

TEST_CASE("isolation: a reload that removes or moves a user closes that user's sessions with a Delete") {
    const std::string base = two_eap_users() + "\n[group.other]\npool = \"p\"\nclient_auth = \"eap\"\n";
    GatewayHarness h(base);
    std::vector<std::pair<std::string, std::string>> downs;
    h.gateway->on_session_down = [&](const ike::IkeSa& sa, const std::string& reason) { downs.emplace_back(sa.username, reason); };
    TestInitiator alice(Endpoint{IpAddress::from_string("192.0.2.11"), 500}, h.local);
    REQUIRE(error_notify(connect_eap(h, alice, {"alice", "", "alice", "Correct-Horse-7", false, 0x0a000001})) == 0);
    TestInitiator bob(Endpoint{IpAddress::from_string("192.0.2.12"), 500}, h.local);
    REQUIRE(error_notify(connect_eap(h, bob, {"bob", "", "bob", "Battery-Staple-9", false, 0x0b000002})) == 0);
    TestInitiator site(Endpoint{IpAddress::from_string("192.0.2.13"), 500}, h.local);
    REQUIRE(error_notify(connect_psk(h, site, true, false, 0x0c000003)) == 0);
    REQUIRE(h.kernel.sas().size() == 6);

    // alice deleted, bob moved to another group; the PSK group and its user unchanged.
    std::string reloaded = base;
    const std::string alice_block = "[user.alice]\ngroup = \"eap\"\npassword = \"Correct-Horse-7\"\n";
    REQUIRE(reloaded.find(alice_block) != std::string::npos);
    reloaded.erase(reloaded.find(alice_block), alice_block.size());
    const std::string bob_group = "[user.bob]\ngroup = \"eap\"";
    reloaded.replace(reloaded.find(bob_group), bob_group.size(), "[user.bob]\ngroup = \"other\"");
    auto loaded = config::load_string(reloaded, "reloaded.conf");
    REQUIRE(loaded);
    h.sent.clear();
    h.gateway->replace_config(std::make_shared<config::Config>(std::move(loaded.value())), nullptr);

    for (const auto* who : {&alice, &bob}) {
        const auto* sa = sa_of(h, *who);
        REQUIRE(sa);
        REQUIRE(sa->state == ike::IkeSaState::Deleting);  // a Delete went out and waits for its answer
        REQUIRE(sa->delete_reason == "user removed by reload");
    }
    REQUIRE(h.sent.size() == 2);
    REQUIRE(alive(h, site));
    REQUIRE(h.kernel.sas().size() == 2);
    REQUIRE(downs.size() == 2);
    for (const auto& [user, reason] : downs) REQUIRE(reason == "user removed by reload");
}

TEST_CASE("reqids of closed Child SAs are reused") {
    GatewayHarness h;
    TestInitiator first(Endpoint{IpAddress::from_string("192.0.2.11"), 500}, h.local);
    REQUIRE(error_notify(connect_psk(h, first, true, false, 0x0a000001)) == 0);
    const std::uint32_t reqid = sa_of(h, first)->children.at(0).reqid;
    wire::DeletePayload del;
    del.protocol = static_cast<std::uint8_t>(iana::ProtocolId::IKE);
    REQUIRE(first.open_response(h.deliver(natt_of(first.self()),
                                          first.request(ExchangeType::INFORMATIONAL, {{PayloadType::Delete, false, del}})))
                .empty());
    REQUIRE(h.kernel.sas().empty());

    TestInitiator second(Endpoint{IpAddress::from_string("192.0.2.12"), 500}, h.local);
    REQUIRE(error_notify(connect_psk(h, second, true, false, 0x0b000002)) == 0);
    REQUIRE(sa_of(h, second)->children.at(0).reqid == reqid);
}

TEST_CASE("ReqidAllocator: reuses released reqids, never leaves the protocol range, refuses when full") {
    ike::ReqidAllocator all;
    const std::uint32_t a = all.allocate(), b = all.allocate();
    REQUIRE(a != b);
    REQUIRE(a >= 1);
    all.release(a);
    REQUIRE(all.allocate() == a);
    all.release(12345);  // never handed out: ignored
    REQUIRE(all.in_use() == 2);

    ike::ReqidAllocator tight(kernel::kMaxProtocolReqid - 1);
    const std::uint32_t x = tight.allocate(), y = tight.allocate();
    REQUIRE(x == kernel::kMaxProtocolReqid - 1);
    REQUIRE(y == kernel::kMaxProtocolReqid);
    REQUIRE_THROWS(tight.allocate());  // past it lies the band that marks our kernel state
    tight.release(x);
    REQUIRE(tight.allocate() == x);
    REQUIRE_THROWS(ike::ReqidAllocator(0));
}

TEST_CASE("isolation: closing an IKE SA whose peer moved deletes its own SAs, not those at its new address") {
    GatewayHarness h;
    // Two clients that happened to choose the same ESP SPI, at different addresses.
    TestInitiator a(Endpoint{IpAddress::from_string("192.0.2.11"), 500}, h.local);
    REQUIRE(error_notify(connect_psk(h, a, true, false, 0x0d000004)) == 0);
    TestInitiator b(Endpoint{IpAddress::from_string("192.0.2.12"), 500}, h.local);
    REQUIRE(error_notify(connect_psk(h, b, true, false, 0x0d000004)) == 0);
    REQUIRE(h.kernel.find_sa(IpAddress::from_string("192.0.2.11"), 0x0d000004));
    REQUIRE(h.kernel.find_sa(IpAddress::from_string("192.0.2.12"), 0x0d000004));

    // a's NAT mapping changes to the address b is behind; then a deletes its IKE SA.
    wire::DeletePayload del;
    del.protocol = static_cast<std::uint8_t>(iana::ProtocolId::IKE);
    const Endpoint moved{IpAddress::from_string("192.0.2.12"), 4501};
    REQUIRE(a.open_response(h.deliver(moved, a.request(ExchangeType::INFORMATIONAL, {{PayloadType::Delete, false, del}}))).empty());

    REQUIRE_FALSE(h.kernel.find_sa(IpAddress::from_string("192.0.2.11"), 0x0d000004));  // a's outbound SA went
    REQUIRE(h.kernel.find_sa(IpAddress::from_string("192.0.2.12"), 0x0d000004));        // b's stayed
    REQUIRE(h.kernel.sas().size() == 2);
    REQUIRE(h.kernel.policies().size() == 3);
    REQUIRE(alive(h, b));
}

TEST_CASE("isolation: a client choosing the ESP SPI another client behind its NAT uses gets no SA; the other keeps its own") {
    GatewayHarness h;
    TestInitiator first(Endpoint{IpAddress::from_string("192.0.2.11"), 500}, h.local);
    REQUIRE(error_notify(connect_psk(h, first, true, false, 0x0e000005)) == 0);
    const auto* first_out = h.kernel.find_sa(IpAddress::from_string("192.0.2.11"), 0x0e000005);
    REQUIRE(first_out);
    const std::uint32_t first_reqid = first_out->reqid;

    // Same outer address, same SPI (the kernel keys outbound SAs by destination and SPI).
    TestInitiator second(Endpoint{IpAddress::from_string("192.0.2.11"), 500}, h.local);
    auto resp = connect_psk(h, second, true, false, 0x0e000005);
    REQUIRE(error_notify(resp) == static_cast<std::uint16_t>(NotifyType::TEMPORARY_FAILURE));
    REQUIRE(h.kernel.sas().size() == 2);
    REQUIRE(h.kernel.larval_spis().empty());
    REQUIRE(h.kernel.find_sa(IpAddress::from_string("192.0.2.11"), 0x0e000005)->reqid == first_reqid);
    REQUIRE(h.kernel.policies().size() == 3);
    REQUIRE(alive(h, first));
}
