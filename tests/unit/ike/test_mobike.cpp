// MOBIKE (RFC 4555, issue 13): announced in IKE_AUTH when the client offers it; an
// authenticated UPDATE_SA_ADDRESSES from the client's new address moves the IKE SA, its
// Child SAs (same SPIs, in the fake kernel), their policies and the client's route, with
// NAT detection answered for the new path and COOKIE2 echoed; nothing else moves an SA.
#include <catch2/catch.hpp>

#include "exchange_helpers.hpp"

using namespace test_ike;
using iana::ExchangeType;
using iana::NotifyType;
using iana::PayloadType;
using kernel::FakeKernel;
using kernel::PolicyConfig;

namespace {

IpAddress ip(const char* text) { return IpAddress::from_string(text); }

const Endpoint kClient{ip("192.0.2.11"), 500};
const Endpoint kMoved{ip("198.51.100.77"), 4500};     // the client's new address
const Endpoint kStranger{ip("203.0.113.66"), 4500};   // someone else
const IpAddress kVirtual = ip("10.2.2.1");            // the client's address from the pool
const Bytes kCookie2{0x43, 0x6f, 0x6f, 0x6b, 0x69, 0x65, 0x32, 0x21, 0x01, 0x02};

const ike::IkeSa& only_sa(const GatewayHarness& h) {
    REQUIRE(h.gateway->sas().size() == 1);
    return *h.gateway->sas().begin()->second;
}

std::vector<wire::Payload> connect(GatewayHarness& h, TestInitiator& ini, bool offer_mobike) {
    sa_init_ok(h, ini);
    auto payloads = ini.auth_payloads("site@psk.test", kTestPsk, true);
    if (offer_mobike) payloads.push_back(ike::notify_payload(NotifyType::MOBIKE_SUPPORTED));
    auto out = h.deliver(natt_of(ini.self()), ini.request(ExchangeType::IKE_AUTH, payloads));
    REQUIRE(out.size() == 1);
    auto answer = ini.open_response(out);
    REQUIRE(error_notify(answer) == 0);
    return answer;
}

// UPDATE_SA_ADDRESSES as a client sends it from `from` (RFC 4555 3.5), with the NAT
// detection for `seen_from` (the client's own idea of its address: behind a NAT, not
// what the gateway sees).
std::vector<Bytes> update_request(TestInitiator& ini, const Endpoint& seen_from, const Endpoint& to, const Bytes& cookie2 = {}) {
    std::vector<wire::Payload> payloads{ike::notify_payload(NotifyType::UPDATE_SA_ADDRESSES)};
    for (auto& n : ini.nat_detection(seen_from, to)) payloads.push_back(std::move(n));
    if (!cookie2.empty()) payloads.push_back(ike::notify_payload(NotifyType::COOKIE2, cookie2));
    return ini.request(ExchangeType::INFORMATIONAL, payloads);
}

std::size_t count_notifies(const std::vector<wire::Payload>& payloads, NotifyType type) {
    std::size_t n = 0;
    for (const auto* p : ike::find_all_payloads<wire::NotifyPayload>(payloads, PayloadType::Notify)) n += p->type == code(type);
    return n;
}

struct ChildSpis {
    std::uint32_t in = 0, out = 0;
};
ChildSpis child_spis(const GatewayHarness& h) {
    const auto& sa = only_sa(h);
    REQUIRE(sa.children.size() == 1);
    return {sa.children[0].spi_in, sa.children[0].spi_out};
}

// Both ESP SAs are between the gateway and `peer`, encapsulated as given, and every
// policy's template points there.
void check_kernel_toward(const GatewayHarness& h, const ChildSpis& spis, const IpAddress& peer,
                         std::optional<std::pair<std::uint16_t, std::uint16_t>> in_ports = std::nullopt) {
    REQUIRE(h.kernel.sas().size() == 2);
    const auto* in = h.kernel.find_sa(h.local.addr, spis.in);
    const auto* out = h.kernel.find_sa(peer, spis.out);
    REQUIRE(in != nullptr);
    REQUIRE(out != nullptr);
    CHECK(in->src == peer);
    CHECK(out->src == h.local.addr);
    CHECK(in->natt_ports == in_ports);
    if (in_ports) CHECK(out->natt_ports == std::make_pair(in_ports->second, in_ports->first));
    else CHECK(!out->natt_ports);
    REQUIRE(h.kernel.policies().size() == 3);
    for (const auto& [key, policy] : h.kernel.policies()) {
        const bool outbound = policy.dir == PolicyConfig::Dir::Out;
        CHECK(policy.tmpl_src == (outbound ? h.local.addr : peer));
        CHECK(policy.tmpl_dst == (outbound ? peer : h.local.addr));
    }
}

}  // namespace

TEST_CASE("MOBIKE is announced only to a client that offers it, and only when allowed", "[mobike]") {
    SECTION("offered") {
        GatewayHarness h;
        TestInitiator ini(kClient, h.local);
        CHECK(count_notifies(connect(h, ini, true), NotifyType::MOBIKE_SUPPORTED) == 1);
        CHECK(only_sa(h).mobike);
    }
    SECTION("not offered") {
        GatewayHarness h;
        TestInitiator ini(kClient, h.local);
        CHECK(count_notifies(connect(h, ini, false), NotifyType::MOBIKE_SUPPORTED) == 0);
        CHECK_FALSE(only_sa(h).mobike);
    }
    SECTION("offered, but mobike = false") {
        GatewayHarness h(config_with_global(kTestConfig, "mobike = false\n"));
        TestInitiator ini(kClient, h.local);
        CHECK(count_notifies(connect(h, ini, true), NotifyType::MOBIKE_SUPPORTED) == 0);
        CHECK_FALSE(only_sa(h).mobike);
    }
}

TEST_CASE("MOBIKE: UPDATE_SA_ADDRESSES moves the IKE SA, its Child SAs, policies and route without renegotiation",
          "[mobike]") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    connect(h, ini, true);
    const ChildSpis spis = child_spis(h);
    check_kernel_toward(h, spis, kClient.addr);
    const auto created = h.gateway->counters().ike_sa_created;
    const auto installs = h.kernel.call_count(FakeKernel::Op::Install);
    const auto spi_r = only_sa(h).spi_r;

    auto out = h.deliver(kMoved, update_request(ini, kMoved, h.local_natt, kCookie2));
    REQUIRE(out.size() == 1);
    CHECK(h.last_sent.back().remote == kMoved);  // answered on the new path
    auto answer = ini.open_response(out);
    CHECK(error_notify(answer) == 0);
    // NAT detection for the new pair (no NAT between them), COOKIE2 as sent.
    const auto* src = ike::find_notify(answer, NotifyType::NAT_DETECTION_SOURCE_IP);
    const auto* dst = ike::find_notify(answer, NotifyType::NAT_DETECTION_DESTINATION_IP);
    REQUIRE(src != nullptr);
    REQUIRE(dst != nullptr);
    const auto expected = ini.nat_detection(h.local_natt, kMoved);
    CHECK(src->data == std::get<wire::NotifyPayload>(expected[0].body).data);
    CHECK(dst->data == std::get<wire::NotifyPayload>(expected[1].body).data);
    const auto* cookie2 = ike::find_notify(answer, NotifyType::COOKIE2);
    REQUIRE(cookie2 != nullptr);
    CHECK(cookie2->data == kCookie2);

    // The same SAs (same SPIs), now toward the new address; no new IKE SA, nothing installed anew.
    check_kernel_toward(h, spis, kMoved.addr);
    CHECK(h.kernel.call_count(FakeKernel::Op::MoveSas) == 1);
    CHECK(h.kernel.call_count(FakeKernel::Op::Install) == installs);
    CHECK(h.gateway->counters().ike_sa_created == created);
    const auto& sa = only_sa(h);
    CHECK(sa.spi_r == spi_r);
    CHECK(sa.remote == kMoved);
    CHECK(sa.children[0].kernel_sas == std::vector<std::pair<IpAddress, std::uint32_t>>{{h.local.addr, spis.in}, {kMoved.addr, spis.out}});
    REQUIRE(h.kernel.client_routes().count(kVirtual) == 1);
    CHECK(h.kernel.client_routes().at(kVirtual) == kMoved.addr);

    // The gateway's own requests (DPD) go to the new address.
    h.advance(11'000);
    REQUIRE(h.gateway->counters().dpd_sent == 1);
    REQUIRE(!h.last_sent.empty());
    CHECK(h.last_sent.back().remote == kMoved);
    auto [dpd, dpd_answer] = ini.answer_request(h.last_sent.back().data, {});
    CHECK(dpd.empty());

    // Leaving removes exactly what was moved.
    wire::DeletePayload del;
    del.protocol = static_cast<std::uint8_t>(iana::ProtocolId::IKE);
    h.deliver(kMoved, dpd_answer);
    ini.open_response(h.deliver(kMoved, ini.request(ExchangeType::INFORMATIONAL, {{PayloadType::Delete, false, del}})));
    CHECK(h.kernel.sas().empty());
    CHECK(h.kernel.policies().empty());
    CHECK(h.kernel.client_routes().empty());
}

TEST_CASE("MOBIKE: a retransmitted DPD of the gateway follows the client's move", "[mobike]") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    connect(h, ini, true);
    h.advance(11'000);
    REQUIRE(h.gateway->counters().dpd_sent == 1);
    REQUIRE(h.last_sent.size() == 1);
    CHECK(h.last_sent[0].remote == natt_of(kClient));  // lost: the client is on its way
    ini.open_response(h.deliver(kMoved, update_request(ini, kMoved, h.local_natt)));
    h.advance(30'000);  // beyond the DPD's retransmission timeout
    REQUIRE(!h.last_sent.empty());
    for (const auto& s : h.last_sent) CHECK(s.remote == kMoved);
}

TEST_CASE("MOBIKE: NAT detection switches UDP encapsulation on and off", "[mobike]") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    connect(h, ini, true);
    const ChildSpis spis = child_spis(h);
    check_kernel_toward(h, spis, kClient.addr);  // no NAT at first: plain ESP

    // Behind a NAT: the client thinks it is 10.9.9.9:4500, the gateway sees 198.51.100.77:31000.
    const Endpoint mapped{kMoved.addr, 31000};
    auto answer = ini.open_response(h.deliver(mapped, update_request(ini, {ip("10.9.9.9"), 4500}, h.local_natt)));
    CHECK(error_notify(answer) == 0);
    check_kernel_toward(h, spis, mapped.addr, std::make_pair(std::uint16_t{31000}, std::uint16_t{4500}));
    CHECK(only_sa(h).nat_remote);
    CHECK_FALSE(only_sa(h).nat_local);
    CHECK(only_sa(h).children[0].udp_encap);

    // The NAT rebinds to another port: the encapsulation follows.
    const Endpoint rebound{kMoved.addr, 31999};
    ini.open_response(h.deliver(rebound, update_request(ini, {ip("10.9.9.9"), 4500}, h.local_natt)));
    check_kernel_toward(h, spis, rebound.addr, std::make_pair(std::uint16_t{31999}, std::uint16_t{4500}));

    // Back on a public address: plain ESP again.
    ini.open_response(h.deliver(natt_of(kClient), update_request(ini, natt_of(kClient), h.local_natt)));
    check_kernel_toward(h, spis, kClient.addr);
    CHECK_FALSE(only_sa(h).nat_remote);
    CHECK_FALSE(only_sa(h).children[0].udp_encap);
}

TEST_CASE("MOBIKE: an unauthenticated or replayed UPDATE_SA_ADDRESSES from a third address changes nothing", "[mobike]") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    connect(h, ini, true);
    const ChildSpis spis = child_spis(h);

    SECTION("forged: its ICV does not verify") {
        auto packets = update_request(ini, kStranger, h.local_natt);
        packets[0].back() ^= 0x01;
            CHECK(h.deliver(kStranger, packets).empty());
        CHECK(h.last_sent.empty());
        ini.set_message_id(ini.next_message_id() - 1);  // the forged copy did not use it up
        CHECK(only_sa(h).remote == natt_of(kClient));
        check_kernel_toward(h, spis, kClient.addr);
        CHECK(h.kernel.call_count(FakeKernel::Op::MoveSas) == 0);
        // The real client's next request is still the one expected.
        CHECK(error_notify(ini.open_response(h.deliver(kMoved, update_request(ini, kMoved, h.local_natt)))) == 0);
        check_kernel_toward(h, spis, kMoved.addr);
    }
    SECTION("replayed: a copy of the client's last request") {
        auto packets = update_request(ini, kMoved, h.local_natt);
        ini.open_response(h.deliver(kMoved, packets));
        check_kernel_toward(h, spis, kMoved.addr);
            h.deliver(kStranger, packets);
        REQUIRE(h.last_sent.size() == 1);
        CHECK(h.last_sent[0].remote == kMoved);  // the cached answer, to where it went
        CHECK(only_sa(h).remote == kMoved);
        check_kernel_toward(h, spis, kMoved.addr);
        CHECK(h.kernel.call_count(FakeKernel::Op::MoveSas) == 1);
    }
    SECTION("replayed: an older request") {
        auto first = update_request(ini, kMoved, h.local_natt);
        ini.open_response(h.deliver(kMoved, first));
        ini.open_response(h.deliver(kMoved, ini.request(ExchangeType::INFORMATIONAL, {})));
            CHECK(h.deliver(kStranger, first).empty());
        CHECK(only_sa(h).remote == kMoved);
        check_kernel_toward(h, spis, kMoved.addr);
    }
}

TEST_CASE("MOBIKE: other requests from a new address are answered there but move nothing", "[mobike]") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    connect(h, ini, true);
    const ChildSpis spis = child_spis(h);
    // A path test (RFC 4555 3.10): COOKIE2 and NAT detection, no UPDATE_SA_ADDRESSES.
    std::vector<wire::Payload> probe = ini.nat_detection(kMoved, h.local_natt);
    probe.push_back(ike::notify_payload(NotifyType::COOKIE2, kCookie2));
    auto answer = ini.open_response(h.deliver(kMoved, ini.request(ExchangeType::INFORMATIONAL, probe)));
    REQUIRE(h.last_sent.size() == 1);
    CHECK(h.last_sent[0].remote == kMoved);
    REQUIRE(ike::find_notify(answer, NotifyType::COOKIE2) != nullptr);
    CHECK(ike::find_notify(answer, NotifyType::COOKIE2)->data == kCookie2);
    CHECK(ike::find_notify(answer, NotifyType::NAT_DETECTION_SOURCE_IP) != nullptr);
    CHECK(only_sa(h).remote == natt_of(kClient));
    check_kernel_toward(h, spis, kClient.addr);
    CHECK(h.kernel.client_routes().at(kVirtual) == kClient.addr);
}

TEST_CASE("without MOBIKE, UPDATE_SA_ADDRESSES moves no Child SA (ignored as before)", "[mobike]") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    connect(h, ini, false);
    const ChildSpis spis = child_spis(h);
    auto answer = ini.open_response(h.deliver(kMoved, update_request(ini, kMoved, h.local_natt, kCookie2)));
    CHECK(error_notify(answer) == 0);
    CHECK(ike::find_notify(answer, NotifyType::COOKIE2) == nullptr);
    CHECK(ike::find_notify(answer, NotifyType::NAT_DETECTION_SOURCE_IP) == nullptr);
    CHECK(h.kernel.call_count(FakeKernel::Op::MoveSas) == 0);
    check_kernel_toward(h, spis, kClient.addr);
    CHECK(h.kernel.client_routes().at(kVirtual) == kClient.addr);
}

TEST_CASE("MOBIKE: NO_NATS_ALLOWED is honoured", "[mobike]") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    connect(h, ini, true);
    const ChildSpis spis = child_spis(h);
    // Addresses and ports the client sent from and to (RFC 4555 4.2.6, IPv4: 12 octets).
    auto no_nats = [](const Endpoint& from, const Endpoint& to) {
        Bytes data(from.addr.bytes.begin(), from.addr.bytes.begin() + 4);
        data.insert(data.end(), to.addr.bytes.begin(), to.addr.bytes.begin() + 4);
        for (std::uint16_t port : {from.port, to.port}) {
            data.push_back(static_cast<std::uint8_t>(port >> 8));
            data.push_back(static_cast<std::uint8_t>(port));
        }
        return ike::notify_payload(NotifyType::NO_NATS_ALLOWED, data);
    };
    auto request = [&](const Endpoint& claimed) {
        std::vector<wire::Payload> p{ike::notify_payload(NotifyType::UPDATE_SA_ADDRESSES), no_nats(claimed, h.local_natt)};
        for (auto& n : ini.nat_detection(claimed, h.local_natt)) p.push_back(std::move(n));
        return ini.request(ExchangeType::INFORMATIONAL, p);
    };
    SECTION("rewritten on the way: UNEXPECTED_NAT_DETECTED, nothing moves") {
        const Endpoint mapped{kMoved.addr, 31000};
        auto answer = ini.open_response(h.deliver(mapped, request({ip("10.9.9.9"), 4500})));
        CHECK(error_notify(answer) == 41);  // UNEXPECTED_NAT_DETECTED
        CHECK(only_sa(h).remote == natt_of(kClient));
        check_kernel_toward(h, spis, kClient.addr);
    }
    SECTION("as sent: the SAs move") {
        auto answer = ini.open_response(h.deliver(kMoved, request(kMoved)));
        CHECK(error_notify(answer) == 0);
        check_kernel_toward(h, spis, kMoved.addr);
    }
}

TEST_CASE("MOBIKE: a move the kernel refuses ends the IKE SA instead of leaving a dead tunnel", "[mobike]") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    connect(h, ini, true);
    h.kernel.fail_next(FakeKernel::Op::MoveSas, EINVAL);
    auto out = h.deliver(kMoved, update_request(ini, kMoved, h.local_natt));
    REQUIRE(out.size() == 2);  // the answer, then our Delete
    CHECK(error_notify(ini.open_response({out[0]})) == 0);
    auto [request, answer] = ini.answer_request(out[1], {});
    const auto* del = ike::find_payload<wire::DeletePayload>(request, PayloadType::Delete);
    REQUIRE(del != nullptr);
    CHECK(del->protocol == static_cast<std::uint8_t>(iana::ProtocolId::IKE));
    CHECK(h.kernel.sas().empty());
    CHECK(h.kernel.policies().empty());
    CHECK(h.kernel.client_routes().empty());
}
