// Whose order of preference picks among acceptable proposals (issue 15): by default
// (proposal_selection = "client") the client's KE guess is taken when any policy allows
// it, sparing a round trip; with "admin" the first acceptable combination in the
// admin's order (policy priority, then the order of each list) is chosen, and a KE of
// another group gets INVALID_KE_PAYLOAD naming the admin's group, as an ASA does.
#include <catch2/catch.hpp>

#include "exchange_helpers.hpp"
#include "ike/proposals.hpp"

using namespace test_ike;
using namespace ikev2d::ike;
using iana::DhGroup;
using iana::EncrId;
using iana::NotifyType;
using iana::TransformType;

namespace {

wire::Proposal ike_proposal(std::uint8_t number, EncrId e, std::uint16_t bits, std::vector<DhGroup> groups) {
    wire::Proposal prop;
    prop.number = number;
    prop.protocol = iana::ProtocolId::IKE;
    prop.transforms.push_back(make_transform(TransformType::ENCR, static_cast<std::uint16_t>(e), bits));
    if (e == EncrId::AES_CBC)
        prop.transforms.push_back(make_transform(TransformType::INTEG, static_cast<std::uint16_t>(iana::IntegId::HMAC_SHA2_256_128)));
    prop.transforms.push_back(make_transform(TransformType::PRF, static_cast<std::uint16_t>(iana::PrfId::HMAC_SHA2_256)));
    for (auto g : groups) prop.transforms.push_back(make_transform(TransformType::DH, static_cast<std::uint16_t>(g)));
    return prop;
}

config::IkePolicy policy(int priority, std::vector<config::EncrSpec> e, std::vector<DhGroup> g) {
    config::IkePolicy pol;
    pol.priority = priority;
    pol.encryption = std::move(e);
    for (const auto& spec : pol.encryption)
        if (spec.id == EncrId::AES_CBC) pol.integrity = {iana::IntegId::HMAC_SHA2_256_128};
    pol.prf = {iana::PrfId::HMAC_SHA2_256};
    pol.groups = std::move(g);
    return pol;
}

wire::Proposal esp_proposal(std::uint8_t number, std::uint16_t key_bits, std::vector<DhGroup> groups = {}) {
    wire::Proposal p;
    p.number = number;
    p.protocol = iana::ProtocolId::ESP;
    p.spi = {0, 0, 0, number};
    p.transforms.push_back(make_transform(TransformType::ENCR, static_cast<std::uint16_t>(EncrId::AES_GCM_16), key_bits));
    for (auto g : groups) p.transforms.push_back(make_transform(TransformType::DH, static_cast<std::uint16_t>(g)));
    p.transforms.push_back(make_transform(TransformType::ESN, 0));
    return p;
}

}  // namespace

TEST_CASE("IKE selection: the group of the client's KE, or the admin's first group") {
    const std::vector<config::IkePolicy> policies = {
        policy(10, {{EncrId::AES_GCM_16, 256}}, {DhGroup::CURVE25519, DhGroup::ECP_256})};
    const wire::SaPayload offered{{ike_proposal(1, EncrId::AES_GCM_16, 256, {DhGroup::ECP_256, DhGroup::CURVE25519})}};

    auto client = select_ike_proposal(policies, offered, DhGroup::ECP_256);
    REQUIRE(client.proposal);
    CHECK(client.algs.dh == DhGroup::ECP_256);

    auto admin = select_ike_proposal(policies, offered, DhGroup::ECP_256, true);
    CHECK_FALSE(admin.proposal);
    CHECK(admin.ke_group_wanted == DhGroup::CURVE25519);
    auto retry = select_ike_proposal(policies, offered, DhGroup::CURVE25519, true);
    REQUIRE(retry.proposal);
    CHECK(retry.algs.dh == DhGroup::CURVE25519);
}

TEST_CASE("IKE selection: policy priority beats the client's KE guess only with admin order") {
    const std::vector<config::IkePolicy> policies = {
        policy(10, {{EncrId::AES_GCM_16, 256}}, {DhGroup::ECP_384}),
        policy(20, {{EncrId::AES_CBC, 128}}, {DhGroup::ECP_256}),
    };
    const wire::SaPayload offered{{ike_proposal(1, EncrId::AES_CBC, 128, {DhGroup::ECP_256}),
                                   ike_proposal(2, EncrId::AES_GCM_16, 256, {DhGroup::ECP_384, DhGroup::ECP_256})}};
    auto client = select_ike_proposal(policies, offered, DhGroup::ECP_256);
    REQUIRE(client.proposal);
    CHECK(client.proposal->number == 1);
    CHECK(client.algs.encr == EncrId::AES_CBC);

    auto admin = select_ike_proposal(policies, offered, DhGroup::ECP_256, true);
    CHECK_FALSE(admin.proposal);
    CHECK(admin.ke_group_wanted == DhGroup::ECP_384);
    auto retry = select_ike_proposal(policies, offered, DhGroup::ECP_384, true);
    REQUIRE(retry.proposal);
    CHECK(retry.proposal->number == 2);
    CHECK(retry.algs.encr == EncrId::AES_GCM_16);
}

TEST_CASE("IKE selection: the admin's cipher order across the client's proposals") {
    const std::vector<config::IkePolicy> policies = {
        policy(10, {{EncrId::AES_GCM_16, 256}, {EncrId::AES_GCM_16, 128}}, {DhGroup::ECP_256})};
    const wire::SaPayload offered{{ike_proposal(1, EncrId::AES_GCM_16, 128, {DhGroup::ECP_256}),
                                   ike_proposal(2, EncrId::AES_GCM_16, 256, {DhGroup::ECP_256})}};
    auto client = select_ike_proposal(policies, offered, DhGroup::ECP_256);
    REQUIRE(client.proposal);
    CHECK(client.algs.encr_key_bits == 128);
    auto admin = select_ike_proposal(policies, offered, DhGroup::ECP_256, true);
    REQUIRE(admin.proposal);
    CHECK(admin.proposal->number == 2);
    CHECK(admin.algs.encr_key_bits == 256);
}

TEST_CASE("ESP selection: the admin's cipher order, and the admin's PFS group") {
    config::IpsecProposal conf;
    conf.encryption = {{EncrId::AES_GCM_16, 256}, {EncrId::AES_GCM_16, 128}};
    const wire::SaPayload offered{{esp_proposal(1, 128), esp_proposal(2, 256)}};
    CHECK(select_esp_proposal({&conf}, offered, false)->key_bits == 128);
    CHECK(select_esp_proposal({&conf}, offered, false, true)->key_bits == 256);

    conf.pfs_groups = {DhGroup::CURVE25519, DhGroup::ECP_256};
    const wire::SaPayload with_dh{{esp_proposal(1, 256, {DhGroup::ECP_256, DhGroup::CURVE25519})}};
    ChildPfsContext pfs;
    pfs.ke_group = DhGroup::ECP_256;
    auto client = select_child_proposal({&conf}, with_dh, pfs);
    REQUIRE(client.choice);
    CHECK(client.choice->pfs == DhGroup::ECP_256);
    pfs.admin_order = true;
    auto admin = select_child_proposal({&conf}, with_dh, pfs);
    CHECK_FALSE(admin.choice);
    CHECK(admin.ke_group_wanted == DhGroup::CURVE25519);
}

TEST_CASE("proposal_selection = admin: IKE_SA_INIT asks for the policy's first group the client offers") {
    InitiatorProposal offer;  // AES-CBC-256 / SHA-256, as the test policy
    offer.groups = {DhGroup::CURVE25519, DhGroup::ECP_256};  // KE for curve25519; the policy prefers ecp256
    SECTION("client order (default): the client's KE is taken") {
        GatewayHarness h;
        REQUIRE(h.config->global.proposal_selection == config::ProposalSelection::Client);
        TestInitiator ini(Endpoint{IpAddress::from_string("192.0.2.41"), 500}, h.local);
        auto out = h.deliver(ini.self(), ini.sa_init_request(offer));
        REQUIRE(out.size() == 1);
        ini.process_sa_init_response(out[0]);
        REQUIRE(ini.keyed());
    }
    SECTION("admin order: INVALID_KE_PAYLOAD naming ecp256, then the retry gets in") {
        GatewayHarness h(config_with_global(kTestConfig, "proposal_selection = \"admin\"\n"));
        TestInitiator ini(Endpoint{IpAddress::from_string("192.0.2.42"), 500}, h.local);
        auto out = h.deliver(ini.self(), ini.sa_init_request(offer));
        REQUIRE(out.size() == 1);
        const wire::Message answer = parsed(out[0]);  // the notify points into it
        const auto* n = plain_notify(answer, NotifyType::INVALID_KE_PAYLOAD);
        REQUIRE(n);
        REQUIRE(n->data == Bytes{0x00, 0x13});
        REQUIRE(live_sas(h) == 0);
        out = h.deliver(ini.self(), ini.sa_init_request(offer, DhGroup::ECP_256));
        REQUIRE(out.size() == 1);
        ini.process_sa_init_response(out[0]);
        REQUIRE(ini.keyed());
    }
}
