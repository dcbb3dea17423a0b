// PFS on CREATE_CHILD_SA (issue 15): the ipsec proposal's `pfs` setting ("accept" by
// default, "require", "refuse") and which DH groups a Child SA may use (pfs_groups, or
// when it is empty the groups of the IKE policies, the IKE SA's own first).
//
// Libreswan rekeys its Child SA with a KE of the IKE SA's group by default; strongSwan
// does so with esp_proposals = aes256gcm16-ecp256. Expected keys are computed with the
// initiator's SK_d (tests/peer's KDF) and tests/peer's prf+, not with the daemon's KDF.
#include "create_child_fixture.hpp"

using namespace test_ike;
using namespace test_ike::child;

namespace {

constexpr std::uint16_t kEcp256 = static_cast<std::uint16_t>(iana::DhGroup::ECP_256);
constexpr std::uint16_t kX25519 = static_cast<std::uint16_t>(iana::DhGroup::CURVE25519);
constexpr std::uint16_t kModp2048 = static_cast<std::uint16_t>(iana::DhGroup::MODP_2048);
constexpr std::uint16_t kDhNone = 0;

// KEYMAT = prf+(SK_d, g^ir | Ni | Nr) as the initiator computes it.
Bytes initiator_keymat(const TestInitiator& ini, ByteView shared, ByteView ni, ByteView nr) {
    return peer::prf_plus(peer::PrfAlg::HmacSha256, ini.sk_d(), cat({shared, ni, nr}), 2 * kGcm256KeyBytes);
}

void require_keys(const kernel::FakeKernel& k, std::uint32_t spi_in, std::uint32_t spi_out, const Bytes& keymat) {
    require_child_keys(k, spi_in, spi_out, SecureBytes(ByteView(keymat)));
}

bool answer_has_dh(const std::vector<wire::Payload>& resp, std::uint16_t group) {
    const auto& chosen = find_payload<wire::SaPayload>(resp, PayloadType::SA)->proposals.at(0);
    return std::count_if(chosen.transforms.begin(), chosen.transforms.end(), [group](const wire::Transform& t) {
               return t.type == TransformType::DH && t.id == group;
           }) == 1;
}

bool answer_has_any_dh(const std::vector<wire::Payload>& resp) {
    const auto& chosen = find_payload<wire::SaPayload>(resp, PayloadType::SA)->proposals.at(0);
    return std::any_of(chosen.transforms.begin(), chosen.transforms.end(),
                       [](const wire::Transform& t) { return t.type == TransformType::DH; });
}

// A rekey with PFS in `group` that must succeed: the answer carries the group, KEr,
// and the new SAs are keyed with g^ir.
void require_pfs_rekey(Connected& c, iana::DhGroup group, std::vector<std::uint16_t> offered) {
    auto kex = crypto::KeyExchange::create(group);
    ChildRekeyRequest req;
    req.old_peer_spi = c.ini.esp_spi();
    req.dh_groups = std::move(offered);
    req.kex = kex.get();
    auto resp = c.exchange(*c.sa, req.payloads());
    auto answer = parse_child_answer(resp);
    REQUIRE(answer.ke);
    REQUIRE(answer.ke->group == static_cast<std::uint16_t>(group));
    REQUIRE(answer_has_dh(resp, static_cast<std::uint16_t>(group)));
    SecureBytes shared = kex->shared_secret(answer.ke->data);
    const Bytes keymat = initiator_keymat(c.ini, shared.view(), req.ni, answer.nr);
    require_keys(c.h.kernel, answer.spi_in, req.new_peer_spi, keymat);
    // Without g^ir the keys differ: the DH result is really in them.
    const Bytes without = initiator_keymat(c.ini, {}, req.ni, answer.nr);
    REQUIRE_FALSE(ct_equal(keymat, without));
    REQUIRE(c.h.kernel.sas().size() == 4);
    REQUIRE(c.sa->children.size() == 2);
}

// A request the gateway must refuse with `expected`, leaving the Child SA as it was.
std::vector<wire::Payload> require_refused(Connected& c, const ChildRekeyRequest& req, NotifyType expected) {
    auto resp = c.exchange(*c.sa, req.payloads());
    REQUIRE(error_notify(resp) == static_cast<std::uint16_t>(expected));
    REQUIRE(c.h.kernel.sas().size() == 2);
    REQUIRE(c.sa->children.size() == 1);
    return resp;
}

}  // namespace

TEST_CASE("PFS default (accept, pfs_groups = []): a rekey with a KE of the IKE SA's group is accepted") {
    Connected c;  // IKE SA on ecp256; no pfs key, no pfs_groups
    REQUIRE(c.sa->algs.dh == iana::DhGroup::ECP_256);
    REQUIRE(c.h.config->ipsec_proposals.at(0).pfs == config::PfsPolicy::Accept);
    SECTION("Libreswan / strongSwan aes256gcm16-ecp256: only the IKE SA's group offered") {
        require_pfs_rekey(c, iana::DhGroup::ECP_256, {kEcp256});
    }
    SECTION("another group of the IKE policies (curve25519) is allowed too") {
        require_pfs_rekey(c, iana::DhGroup::CURVE25519, {kX25519});
    }
    SECTION("PFS optional (DH NONE offered too): the client's KE is used") {
        require_pfs_rekey(c, iana::DhGroup::ECP_256, {kEcp256, kDhNone});
    }
}

TEST_CASE("PFS accept: a proposal without DH is rekeyed without PFS") {
    Connected c(with_ipsec("pfs = \"accept\""));
    ChildRekeyRequest req;
    req.old_peer_spi = c.ini.esp_spi();
    auto resp = c.exchange(*c.sa, req.payloads());
    auto answer = parse_child_answer(resp);
    REQUIRE_FALSE(answer.ke);
    REQUIRE_FALSE(answer_has_any_dh(resp));
    require_keys(c.h.kernel, answer.spi_in, req.new_peer_spi, initiator_keymat(c.ini, {}, req.ni, answer.nr));
}

TEST_CASE("PFS require: a proposal without an allowed DH group is not chosen") {
    Connected c(with_ipsec("pfs = \"require\""));
    ChildRekeyRequest req;
    req.old_peer_spi = c.ini.esp_spi();
    SECTION("no DH transform at all") { require_refused(c, req, NotifyType::NO_PROPOSAL_CHOSEN); }
    SECTION("only DH NONE") {
        req.dh_groups = {kDhNone};
        require_refused(c, req, NotifyType::NO_PROPOSAL_CHOSEN);
    }
    SECTION("NONE or a group we do not allow") {
        auto kex = crypto::KeyExchange::create(iana::DhGroup::MODP_2048);
        req.dh_groups = {kModp2048, kDhNone};
        req.kex = kex.get();
        require_refused(c, req, NotifyType::NO_PROPOSAL_CHOSEN);
    }
    SECTION("with the IKE SA's group it rekeys with PFS") { require_pfs_rekey(c, iana::DhGroup::ECP_256, {kEcp256}); }
    SECTION("PFS optional for the client: we take the group") {
        require_pfs_rekey(c, iana::DhGroup::ECP_256, {kDhNone, kEcp256});
    }
}

TEST_CASE("PFS refuse: DH is never chosen") {
    Connected c(with_ipsec("pfs = \"refuse\""));
    auto kex = crypto::KeyExchange::create(iana::DhGroup::ECP_256);
    ChildRekeyRequest req;
    req.old_peer_spi = c.ini.esp_spi();
    req.kex = kex.get();
    SECTION("a client that only offers proposals with DH gets NO_PROPOSAL_CHOSEN") {
        req.dh_groups = {kEcp256};
        require_refused(c, req, NotifyType::NO_PROPOSAL_CHOSEN);
    }
    SECTION("PFS optional for the client: rekeyed without, its KE ignored") {
        req.dh_groups = {kEcp256, kDhNone};
        auto resp = c.exchange(*c.sa, req.payloads());
        auto answer = parse_child_answer(resp);
        REQUIRE_FALSE(answer.ke);
        REQUIRE_FALSE(answer_has_dh(resp, kEcp256));
        require_keys(c.h.kernel, answer.spi_in, req.new_peer_spi, initiator_keymat(c.ini, {}, req.ni, answer.nr));
    }
}

TEST_CASE("PFS with a group the policy does not allow: NO_PROPOSAL_CHOSEN (RFC 7296 1.3)") {
    SECTION("pfs_groups = []: a group of no IKE policy") {
        Connected c;
        auto kex = crypto::KeyExchange::create(iana::DhGroup::MODP_2048);
        ChildRekeyRequest req;
        req.old_peer_spi = c.ini.esp_spi();
        req.dh_groups = {kModp2048};
        req.kex = kex.get();
        require_refused(c, req, NotifyType::NO_PROPOSAL_CHOSEN);
    }
    SECTION("pfs_groups lists the groups: the IKE SA's own group is not enough") {
        Connected c(with_pfs("[\"curve25519\"]"));
        auto kex = crypto::KeyExchange::create(iana::DhGroup::ECP_256);
        ChildRekeyRequest req;
        req.old_peer_spi = c.ini.esp_spi();
        req.dh_groups = {kEcp256};
        req.kex = kex.get();
        require_refused(c, req, NotifyType::NO_PROPOSAL_CHOSEN);
    }
}

TEST_CASE("PFS with an allowed group but a KE of another: INVALID_KE_PAYLOAD naming ours (RFC 7296 1.3, 3.10.1)") {
    Connected c;
    SECTION("the only group offered is allowed, the KE is of another") {
        auto kex = crypto::KeyExchange::create(iana::DhGroup::ECP_256);
        ChildRekeyRequest req;
        req.old_peer_spi = c.ini.esp_spi();
        req.dh_groups = {kX25519};
        req.kex = kex.get();
        auto resp = require_refused(c, req, NotifyType::INVALID_KE_PAYLOAD);
        REQUIRE(find_notify(resp, NotifyType::INVALID_KE_PAYLOAD)->data == Bytes{0x00, 0x1f});
    }
    SECTION("a KE of a group we do not allow: we ask for the IKE SA's group first") {
        auto kex = crypto::KeyExchange::create(iana::DhGroup::MODP_2048);
        ChildRekeyRequest req;
        req.old_peer_spi = c.ini.esp_spi();
        req.dh_groups = {kModp2048, kX25519, kEcp256};
        req.kex = kex.get();
        auto resp = require_refused(c, req, NotifyType::INVALID_KE_PAYLOAD);
        REQUIRE(find_notify(resp, NotifyType::INVALID_KE_PAYLOAD)->data == Bytes{0x00, 0x13});
        // The retry with the group asked for succeeds.
        require_pfs_rekey(c, iana::DhGroup::ECP_256, {kModp2048, kX25519, kEcp256});
    }
    SECTION("DH required by the client but no KE payload") {
        ChildRekeyRequest req;
        req.old_peer_spi = c.ini.esp_spi();
        req.dh_groups = {kEcp256};
        auto resp = require_refused(c, req, NotifyType::INVALID_KE_PAYLOAD);
        REQUIRE(find_notify(resp, NotifyType::INVALID_KE_PAYLOAD)->data == Bytes{0x00, 0x13});
    }
}

TEST_CASE("IKE_AUTH's Child SA ignores DH transforms (RFC 7296 1.2), even with pfs = require") {
    GatewayHarness h(with_ipsec("pfs = \"require\""));
    TestInitiator ini(kClient, h.local);
    auto out = h.deliver(ini.self(), ini.sa_init_request(InitiatorProposal{}));
    REQUIRE(out.size() == 1);
    ini.process_sa_init_response(out[0]);
    REQUIRE(ini.keyed());
    auto payloads = ini.auth_payloads("site@psk.test", kPsk, true);
    for (auto& p : payloads)
        if (auto* sa_p = std::get_if<wire::SaPayload>(&p.body))
            sa_p->proposals.at(0).transforms.push_back(make_transform(TransformType::DH, kEcp256));
    auto resp = ini.open_response(h.deliver(kClientNatt, ini.request(ExchangeType::IKE_AUTH, payloads)));
    REQUIRE(error_notify(resp) == 0);
    REQUIRE(find_payload<wire::SaPayload>(resp, PayloadType::SA));
    REQUIRE_FALSE(answer_has_any_dh(resp));
    REQUIRE(h.kernel.sas().size() == 2);
}

TEST_CASE("through the gateway, default configuration: a client rekeying with PFS (strongSwan aes256gcm16-ecp256) keeps its tunnel") {
    GatewayHarness h;
    TestInitiator ini(kClient, h.local);
    auto out = h.deliver(ini.self(), ini.sa_init_request(InitiatorProposal{}));
    REQUIRE(out.size() == 1);
    ini.process_sa_init_response(out[0]);
    REQUIRE(ini.keyed());
    auto auth = ini.open_response(
        h.deliver(kClientNatt, ini.request(ExchangeType::IKE_AUTH, ini.auth_payloads("site@psk.test", kPsk, true))));
    REQUIRE(error_notify(auth) == 0);
    const std::uint32_t old_spi_in = u32_of(find_payload<wire::SaPayload>(auth, PayloadType::SA)->proposals.at(0).spi);

    auto kex = crypto::KeyExchange::create(iana::DhGroup::ECP_256);
    ChildRekeyRequest req;
    req.old_peer_spi = ini.esp_spi();
    req.dh_groups = {kEcp256};
    req.kex = kex.get();
    auto resp = ini.open_response(h.deliver(kClientNatt, ini.request(ExchangeType::CREATE_CHILD_SA, req.payloads())));
    auto answer = parse_child_answer(resp);
    REQUIRE(answer.ke);
    SecureBytes shared = kex->shared_secret(answer.ke->data);
    require_keys(h.kernel, answer.spi_in, req.new_peer_spi, initiator_keymat(ini, shared.view(), req.ni, answer.nr));

    // The client deletes the old Child SA; the new one and the policies stay.
    wire::DeletePayload del;
    del.protocol = static_cast<std::uint8_t>(iana::ProtocolId::ESP);
    del.spi_size = 4;
    del.spis.push_back(be32(ini.esp_spi()));
    auto del_answer =
        ini.open_response(h.deliver(kClientNatt, ini.request(ExchangeType::INFORMATIONAL, {{PayloadType::Delete, false, del}})));
    const auto* ours = find_payload<wire::DeletePayload>(del_answer, PayloadType::Delete);
    REQUIRE(ours);
    REQUIRE(ours->spis == std::vector<Bytes>{be32(old_spi_in)});
    REQUIRE(h.kernel.sas().size() == 2);
    REQUIRE(h.kernel.find_sa(kGatewayAddr, answer.spi_in));
    REQUIRE(h.kernel.find_sa(kClientAddr, req.new_peer_spi));
    REQUIRE(h.kernel.policies().size() == 3);
    REQUIRE(h.gateway->sas().begin()->second->state == ike::IkeSaState::Established);
}
