// A new Child SA by CREATE_CHILD_SA (issue 15): a client whose IKE SA has no Child SA
// left (it deleted its own after a rekey collision) asks for a new one without
// REKEY_SA. It gets one with the lease and selector narrowing of IKE_AUTH; a second
// Child SA while one is installed is still NO_ADDITIONAL_SAS.
#include "create_child_fixture.hpp"

using namespace test_ike;
using namespace test_ike::child;

namespace {

Bytes initiator_keymat(const TestInitiator& ini, ByteView shared, ByteView ni, ByteView nr) {
    return peer::prf_plus(peer::PrfAlg::HmacSha256, ini.sk_d(), cat({shared, ni, nr}), 2 * kGcm256KeyBytes);
}

// The client's request for a new Child SA: no REKEY_SA, wide selectors as in IKE_AUTH.
ChildRekeyRequest new_child_request() {
    ChildRekeyRequest req;
    req.with_rekey_notify = false;
    req.new_peer_spi = 0x99aabbcc;
    req.tsi = ts("0.0.0.0", "255.255.255.255");
    req.tsr = ts("0.0.0.0", "255.255.255.255");
    return req;
}

}  // namespace

TEST_CASE("CREATE_CHILD_SA for a new Child SA after the client deleted its only one") {
    Connected c;
    REQUIRE(c.sa->assigned_address == IpAddress::from_string("10.2.2.1"));
    auto del = delete_child(c, c.ini.esp_spi());
    REQUIRE(error_notify(del.payloads) == 0);
    REQUIRE(c.sa->children.empty());
    REQUIRE(c.h.kernel.sas().empty());
    REQUIRE(c.h.kernel.policies().empty());

    ChildRekeyRequest req = new_child_request();
    std::unique_ptr<crypto::KeyExchange> kex;
    SECTION("without PFS") {}
    SECTION("with PFS in the IKE SA's group") {
        kex = crypto::KeyExchange::create(iana::DhGroup::ECP_256);
        req.dh_groups = {static_cast<std::uint16_t>(iana::DhGroup::ECP_256)};
        req.kex = kex.get();
    }
    auto resp = c.exchange(*c.sa, req.payloads());
    // Narrowed as in IKE_AUTH: TSi = the client's leased address, TSr = the group's networks.
    auto answer = parse_child_answer(resp);
    REQUIRE(answer.ke.has_value() == (kex != nullptr));
    SecureBytes shared;
    if (kex) shared = kex->shared_secret(answer.ke->data);
    const Bytes keymat = initiator_keymat(c.ini, shared.view(), req.ni, answer.nr);
    require_child_keys(c.h.kernel, answer.spi_in, req.new_peer_spi, SecureBytes(ByteView(keymat)));

    REQUIRE(c.sa->children.size() == 1);
    const ike::ChildSa& child = c.sa->children[0];
    REQUIRE(child.spi_in == answer.spi_in);
    REQUIRE(child.spi_out == req.new_peer_spi);
    REQUIRE(c.h.kernel.sas().size() == 2);
    REQUIRE(c.h.kernel.policies().size() == 3);
    for (const auto& [key, policy] : c.h.kernel.policies()) CHECK(policy.reqid == child.reqid);
    const auto* in = c.h.kernel.find_sa(kGatewayAddr, answer.spi_in);
    REQUIRE(in->selector);
    REQUIRE(in->selector->src == IpAddress::from_string("10.2.2.1"));
    REQUIRE(in->selector->dst == IpAddress::from_string("198.51.100.0"));
    // The same lease: no new address.
    REQUIRE(c.sa->assigned_address == IpAddress::from_string("10.2.2.1"));
    REQUIRE(c.h.gateway->pools().at("p").used() == 1);
    // The IKE SA's own nonces are unchanged (they were not this exchange's).
    REQUIRE(c.sa->nonce_i != req.ni);
    REQUIRE(c.sa->nonce_r != answer.nr);

    // Now it has one: another request is refused again.
    ChildRekeyRequest second = new_child_request();
    second.new_peer_spi = 0x01020304;
    REQUIRE(error_notify(c.exchange(*c.sa, second.payloads())) == static_cast<std::uint16_t>(NotifyType::NO_ADDITIONAL_SAS));
    REQUIRE(c.h.kernel.sas().size() == 2);
}

TEST_CASE("a new Child SA is refused while one is installed, and on selectors outside the tunnel") {
    Connected c;
    ChildRekeyRequest req = new_child_request();
    SECTION("the first Child SA is installed") {
        REQUIRE(error_notify(c.exchange(*c.sa, req.payloads())) ==
                static_cast<std::uint16_t>(NotifyType::NO_ADDITIONAL_SAS));
        REQUIRE(c.h.kernel.sas().size() == 2);
        REQUIRE(c.sa->children.size() == 1);
    }
    SECTION("after a rekey, old and new are installed") {
        ChildRekeyRequest rekey;
        rekey.old_peer_spi = c.ini.esp_spi();
        parse_child_answer(c.exchange(*c.sa, rekey.payloads()));
        REQUIRE(error_notify(c.exchange(*c.sa, req.payloads())) ==
                static_cast<std::uint16_t>(NotifyType::NO_ADDITIONAL_SAS));
        REQUIRE(c.h.kernel.sas().size() == 4);
    }
    SECTION("none left, but TSi excludes the client's address") {
        delete_child(c, c.ini.esp_spi());
        req.tsi = ts("10.9.9.0", "10.9.9.255");
        REQUIRE(error_notify(c.exchange(*c.sa, req.payloads())) == static_cast<std::uint16_t>(NotifyType::TS_UNACCEPTABLE));
        REQUIRE(c.h.kernel.sas().empty());
        REQUIRE(c.sa->children.empty());
    }
    SECTION("none left, but no acceptable ESP proposal") {
        delete_child(c, c.ini.esp_spi());
        auto payloads = req.payloads();
        for (auto& p : payloads)
            if (auto* sa_p = std::get_if<wire::SaPayload>(&p.body))
                sa_p->proposals = {esp_proposal(req.new_peer_spi, {}, iana::EncrId::AES_CBC)};
        REQUIRE(error_notify(c.exchange(*c.sa, payloads)) == static_cast<std::uint16_t>(NotifyType::NO_PROPOSAL_CHOSEN));
        REQUIRE(c.h.kernel.sas().empty());
    }
}
