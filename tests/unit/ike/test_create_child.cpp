// CREATE_CHILD_SA (RFC 7296 1.3): Child SA and IKE SA rekeying, responder side.
//
// The fixture (create_child_fixture.hpp) connects a PSK client through the real Gateway
// and calls handle_create_child on its IKE SA. Expected keys are computed here from the
// RFC formulas with the bare PRF (prf+, which has its own known-answer tests), not with
// the KDF helpers under test.
#include "create_child_fixture.hpp"

using namespace test_ike;
using namespace test_ike::child;

TEST_CASE("Child SA rekey without PFS: fresh keys from the new nonces, both SAs until the Delete") {
    Connected c;
    const std::size_t policies_before = c.h.kernel.policies().size();
    REQUIRE(policies_before == 3);
    const std::uint32_t old_reqid = c.sa->children[0].reqid;
    ChildRekeyRequest req;
    req.old_peer_spi = c.ini.esp_spi();
    auto answer = parse_child_answer(c.exchange(*c.sa, req.payloads()));
    REQUIRE_FALSE(answer.ke);
    REQUIRE(answer.spi_in != c.first_child_spi_in);

    // Old and new ESP SAs side by side; the policies are shared (same reqid), not duplicated.
    REQUIRE(c.h.kernel.sas().size() == 4);
    REQUIRE(c.h.kernel.find_sa(kGatewayAddr, c.first_child_spi_in));
    REQUIRE(c.h.kernel.find_sa(kClientAddr, c.ini.esp_spi()));
    REQUIRE(c.h.kernel.policies().size() == policies_before);
    REQUIRE(c.sa->children.size() == 2);
    const ike::ChildSa& fresh = c.sa->children[1];
    REQUIRE(fresh.spi_in == answer.spi_in);
    REQUIRE(fresh.spi_out == req.new_peer_spi);
    REQUIRE(fresh.reqid == old_reqid);
    REQUIRE(c.h.kernel.find_sa(kGatewayAddr, answer.spi_in)->reqid == old_reqid);
    REQUIRE(fresh.unique_id != c.sa->children[0].unique_id);

    // SK_d is the gateway's (its derivation is tested with IKE_SA_INIT); Ni/Nr are this exchange's.
    SecureBytes keymat = expected_keymat(c.sa->keys.sk_d.view(), {}, req.ni, answer.nr);
    require_child_keys(c.h.kernel, answer.spi_in, req.new_peer_spi, keymat);
    const auto* old_in = c.h.kernel.find_sa(kGatewayAddr, c.first_child_spi_in);
    REQUIRE_FALSE(ct_equal(old_in->encr_key.view(), keymat.subview(0, kGcm256KeyBytes)));

    // The peer deletes the old Child SA: only the new one stays.
    auto del = delete_child(c, c.ini.esp_spi());
    const auto* ours = find_payload<wire::DeletePayload>(del.payloads, PayloadType::Delete);
    REQUIRE(ours);
    REQUIRE(ours->spis == std::vector<Bytes>{be32(c.first_child_spi_in)});
    REQUIRE(c.h.kernel.sas().size() == 2);
    REQUIRE(c.h.kernel.find_sa(kGatewayAddr, answer.spi_in));
    REQUIRE(c.h.kernel.find_sa(kClientAddr, req.new_peer_spi));
    REQUIRE(c.sa->children.size() == 1);
    REQUIRE(c.sa->children[0].spi_in == answer.spi_in);
}

// Needs remove_child_sa to keep the policies while another Child SA of the IKE SA has
// the same reqid (requested from the owner of child_install.cpp); until then the Delete
// of the old Child SA takes the shared policies with it.
TEST_CASE("Child SA rekey: the Delete of the old Child SA keeps the policies the new one uses") {
    Connected c;
    ChildRekeyRequest req;
    req.old_peer_spi = c.ini.esp_spi();
    parse_child_answer(c.exchange(*c.sa, req.payloads()));
    delete_child(c, c.ini.esp_spi());
    CHECK(c.h.kernel.policies().size() == 3);
    for (const auto& [key, policy] : c.h.kernel.policies()) CHECK(policy.reqid == c.sa->children.at(0).reqid);
    CHECK(c.h.kernel.client_routes().size() == 1);  // and the route toward the client
    // The last Child SA going takes them.
    delete_child(c, req.new_peer_spi);
    CHECK(c.h.kernel.sas().empty());
    CHECK(c.h.kernel.policies().empty());
    CHECK(c.h.kernel.client_routes().empty());
}

TEST_CASE("Child SA rekey: a client re-proposing wide selectors gets the old, narrowed ones") {
    Connected c;
    ChildRekeyRequest req;
    req.old_peer_spi = c.ini.esp_spi();
    req.tsi = ts("0.0.0.0", "255.255.255.255");
    req.tsr = ts("0.0.0.0", "255.255.255.255");
    auto answer = parse_child_answer(c.exchange(*c.sa, req.payloads()));  // checks TSi/TSr
    const auto* in = c.h.kernel.find_sa(kGatewayAddr, answer.spi_in);
    REQUIRE(in);
    REQUIRE(in->selector);
    REQUIRE(in->selector->src == IpAddress::from_string("10.2.2.1"));
    REQUIRE(in->selector->src_prefix == 32);
    REQUIRE(in->selector->dst == IpAddress::from_string("198.51.100.0"));
    REQUIRE(in->selector->dst_prefix == 24);
}

TEST_CASE("Child SA rekey with PFS: KEYMAT includes the new g^ir, the KE group is preferred") {
    // We prefer curve25519 but the client sent its KE for ecp256, which we also accept.
    Connected c(with_pfs("[\"curve25519\", \"ecp256\"]"));
    auto kex = crypto::KeyExchange::create(iana::DhGroup::ECP_256);
    ChildRekeyRequest req;
    req.old_peer_spi = c.ini.esp_spi();
    req.dh_groups = {static_cast<std::uint16_t>(iana::DhGroup::ECP_256), static_cast<std::uint16_t>(iana::DhGroup::CURVE25519)};
    req.kex = kex.get();
    auto resp = c.exchange(*c.sa, req.payloads());
    auto answer = parse_child_answer(resp);
    REQUIRE(resp[2].type == PayloadType::KE);
    REQUIRE(answer.ke);
    REQUIRE(answer.ke->group == static_cast<std::uint16_t>(iana::DhGroup::ECP_256));
    const auto& chosen = find_payload<wire::SaPayload>(resp, PayloadType::SA)->proposals[0];
    REQUIRE(std::count_if(chosen.transforms.begin(), chosen.transforms.end(), [](const wire::Transform& t) {
                return t.type == TransformType::DH && t.id == static_cast<std::uint16_t>(iana::DhGroup::ECP_256);
            }) == 1);

    SecureBytes shared = kex->shared_secret(answer.ke->data);
    SecureBytes keymat = expected_keymat(c.sa->keys.sk_d.view(), shared.view(), req.ni, answer.nr);
    require_child_keys(c.h.kernel, answer.spi_in, req.new_peer_spi, keymat);
    // Without the DH secret the keys would be different.
    SecureBytes without = expected_keymat(c.sa->keys.sk_d.view(), {}, req.ni, answer.nr);
    REQUIRE_FALSE(ct_equal(keymat.view(), without.view()));
    REQUIRE(c.h.kernel.sas().size() == 4);
}

TEST_CASE("Child SA rekey: INVALID_KE_PAYLOAD names the PFS group; the retry with it succeeds") {
    Connected c(with_pfs("[\"curve25519\"]"));
    const std::uint16_t x25519 = static_cast<std::uint16_t>(iana::DhGroup::CURVE25519);
    const std::uint16_t p256 = static_cast<std::uint16_t>(iana::DhGroup::ECP_256);
    auto wrong = crypto::KeyExchange::create(iana::DhGroup::ECP_256);
    ChildRekeyRequest req;
    req.old_peer_spi = c.ini.esp_spi();
    req.dh_groups = {p256, x25519};
    req.kex = wrong.get();

    auto resp = c.exchange(*c.sa, req.payloads());
    REQUIRE(error_notify(resp) == static_cast<std::uint16_t>(NotifyType::INVALID_KE_PAYLOAD));
    REQUIRE(find_notify(resp, NotifyType::INVALID_KE_PAYLOAD)->data == Bytes{0x00, 0x1f});
    REQUIRE(c.h.kernel.sas().size() == 2);
    REQUIRE(c.sa->children.size() == 1);

    SECTION("no KE at all although the proposal has a DH group") {
        req.kex = nullptr;
        resp = c.exchange(*c.sa, req.payloads());
        REQUIRE(find_notify(resp, NotifyType::INVALID_KE_PAYLOAD));
        REQUIRE(c.h.kernel.sas().size() == 2);
    }
    SECTION("a KE value of the wrong length for its group") {
        auto payloads = req.payloads();
        for (auto& p : payloads)
            if (auto* ke = std::get_if<wire::KePayload>(&p.body)) *ke = wire::KePayload{x25519, Bytes(31, 9)};
        resp = c.exchange(*c.sa, payloads);
        REQUIRE(error_notify(resp) == static_cast<std::uint16_t>(NotifyType::INVALID_SYNTAX));
        REQUIRE(c.h.kernel.sas().size() == 2);
    }
    SECTION("the retry with the group asked for") {
        auto right = crypto::KeyExchange::create(iana::DhGroup::CURVE25519);
        req.kex = right.get();
        req.ni = crypto::random_nonce(32);
        auto answer = parse_child_answer(c.exchange(*c.sa, req.payloads()));
        REQUIRE(answer.ke);
        REQUIRE(answer.ke->group == x25519);
        SecureBytes shared = right->shared_secret(answer.ke->data);
        require_child_keys(c.h.kernel, answer.spi_in, req.new_peer_spi,
                           expected_keymat(c.sa->keys.sk_d.view(), shared.view(), req.ni, answer.nr));
    }
}

TEST_CASE("Child SA rekey refusals: CHILD_SA_NOT_FOUND, NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE, NO_ADDITIONAL_SAS") {
    Connected c;
    ChildRekeyRequest req;
    req.old_peer_spi = c.ini.esp_spi();

    SECTION("REKEY_SA names no Child SA of ours") {
        req.old_peer_spi = 0xdeadbeef;
        auto resp = c.exchange(*c.sa, req.payloads());
        const auto* n = find_notify(resp, NotifyType::CHILD_SA_NOT_FOUND);
        REQUIRE(n);
        REQUIRE(n->protocol == static_cast<std::uint8_t>(iana::ProtocolId::ESP));
        REQUIRE(n->spi == be32(0xdeadbeef));
    }
    SECTION("REKEY_SA with our own inbound SPI instead of the peer's") {
        req.old_peer_spi = c.first_child_spi_in;
        REQUIRE(find_notify(c.exchange(*c.sa, req.payloads()), NotifyType::CHILD_SA_NOT_FOUND));
    }
    SECTION("only algorithms we do not accept") {
        auto payloads = req.payloads();
        for (auto& p : payloads)
            if (auto* sa_p = std::get_if<wire::SaPayload>(&p.body))
                sa_p->proposals = {esp_proposal(req.new_peer_spi, {}, iana::EncrId::AES_CBC)};
        REQUIRE(error_notify(c.exchange(*c.sa, payloads)) == static_cast<std::uint16_t>(NotifyType::NO_PROPOSAL_CHOSEN));
    }
    SECTION("PFS with a group of no IKE policy (pfs_groups = [])") {
        auto kex = crypto::KeyExchange::create(iana::DhGroup::MODP_2048);
        req.dh_groups = {static_cast<std::uint16_t>(iana::DhGroup::MODP_2048)};
        req.kex = kex.get();
        REQUIRE(error_notify(c.exchange(*c.sa, req.payloads())) == static_cast<std::uint16_t>(NotifyType::NO_PROPOSAL_CHOSEN));
    }
    SECTION("PFS optional (DH NONE offered too) in a group we do not allow: rekeyed without") {
        auto kex = crypto::KeyExchange::create(iana::DhGroup::MODP_2048);
        req.dh_groups = {static_cast<std::uint16_t>(iana::DhGroup::MODP_2048), 0};
        req.kex = kex.get();
        auto answer = parse_child_answer(c.exchange(*c.sa, req.payloads()));
        REQUIRE_FALSE(answer.ke);
        require_child_keys(c.h.kernel, answer.spi_in, req.new_peer_spi,
                           expected_keymat(c.sa->keys.sk_d.view(), {}, req.ni, answer.nr));
        REQUIRE(c.h.kernel.sas().size() == 4);
        return;  // the only accepted request here: skip the checks for refusals below
    }
    SECTION("selectors narrower than the old Child SA's") {
        req.tsr = ts("198.51.100.0", "198.51.100.127");
        REQUIRE(error_notify(c.exchange(*c.sa, req.payloads())) == static_cast<std::uint16_t>(NotifyType::TS_UNACCEPTABLE));
    }
    SECTION("a second Child SA (no REKEY_SA)") {
        req.with_rekey_notify = false;
        REQUIRE(error_notify(c.exchange(*c.sa, req.payloads())) == static_cast<std::uint16_t>(NotifyType::NO_ADDITIONAL_SAS));
    }
    SECTION("no Nonce") {
        auto payloads = req.payloads();
        std::erase_if(payloads, [](const wire::Payload& p) { return p.type == PayloadType::Nonce; });
        REQUIRE(error_notify(c.exchange(*c.sa, payloads)) == static_cast<std::uint16_t>(NotifyType::INVALID_SYNTAX));
    }
    // Nothing was installed or changed by a refused request.
    REQUIRE(c.h.kernel.sas().size() == 2);
    REQUIRE(c.h.kernel.policies().size() == 3);
    REQUIRE(c.sa->children.size() == 1);
}

namespace {

struct IkeRekeyRequest {
    std::uint64_t new_spi_i = 0x0123456789abcdefULL;
    std::vector<iana::DhGroup> groups = {iana::DhGroup::ECP_256};
    iana::PrfId prf = iana::PrfId::HMAC_SHA2_256;
    std::size_t spi_size = 8;
    const crypto::KeyExchange* kex = nullptr;
    Bytes ni = crypto::random_nonce(32);

    std::vector<wire::Payload> payloads() const {
        wire::Proposal p;
        p.number = 1;
        p.protocol = iana::ProtocolId::IKE;
        p.spi = be64(new_spi_i);
        p.spi.resize(spi_size);
        p.transforms.push_back(make_transform(TransformType::ENCR, static_cast<std::uint16_t>(iana::EncrId::AES_CBC), 256));
        p.transforms.push_back(make_transform(TransformType::PRF, static_cast<std::uint16_t>(prf)));
        p.transforms.push_back(
            make_transform(TransformType::INTEG, static_cast<std::uint16_t>(iana::IntegId::HMAC_SHA2_256_128)));
        for (auto g : groups) p.transforms.push_back(make_transform(TransformType::DH, static_cast<std::uint16_t>(g)));
        std::vector<wire::Payload> out;
        out.push_back({PayloadType::SA, false, wire::SaPayload{{p}}});
        out.push_back({PayloadType::Nonce, false, wire::NoncePayload{ni}});
        if (kex) out.push_back(ke_of(*kex));
        return out;
    }
};

// The new IKE SA's keys as the initiator computes them (RFC 7296 2.18, 2.14), for
// AES-CBC-256 / HMAC-SHA2-256-128 / PRF-HMAC-SHA2-256: every key is 32 bytes.
struct InitiatorKeys {
    SecureBytes sk_d, sk_ai, sk_ar, sk_ei, sk_er, sk_pi, sk_pr;
};

InitiatorKeys rekeyed_keys(ByteView old_sk_d, ByteView shared, ByteView ni, ByteView nr, std::uint64_t spi_i,
                           std::uint64_t spi_r) {
    auto prf = crypto::Prf::create(iana::PrfId::HMAC_SHA2_256);
    // SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)
    SecureBytes skeyseed = prf->compute(old_sk_d, cat({shared, ni, nr}));
    // {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)
    SecureBytes stream = prf->plus(skeyseed.view(), cat({ni, nr, be64(spi_i), be64(spi_r)}), 7 * 32);
    auto key = [&](std::size_t i) { return SecureBytes(stream.subview(32 * i, 32)); };
    return InitiatorKeys{key(0), key(1), key(2), key(3), key(4), key(5), key(6)};
}

std::unique_ptr<crypto::SkCrypter> cbc_crypter() {
    return crypto::SkCrypter::create(iana::EncrId::AES_CBC, 256, iana::IntegId::HMAC_SHA2_256_128);
}

// An encrypted message the way the initiator builds it (RFC 7296 3.14).
Bytes seal_message(const wire::Header& h, ByteView sk_e, ByteView sk_a, const std::vector<wire::Payload>& payloads) {
    auto crypter = cbc_crypter();
    Bytes plain = wire::encode_payloads(payloads);
    const std::size_t body = crypter->sealed_size(plain.size());
    Bytes pkt = wire::encode_header(h, PayloadType::SK, static_cast<std::uint32_t>(28 + 4 + body));
    append(pkt, wire::encode_generic_header(payloads.empty() ? PayloadType::None : payloads.front().type, false,
                                            static_cast<std::uint16_t>(4 + body)));
    append(pkt, crypter->seal(sk_e, sk_a, pkt, plain));
    return pkt;
}

std::vector<wire::Payload> open_message(const Bytes& pkt, ByteView sk_e, ByteView sk_a) {
    auto m = wire::parse_message(pkt);
    REQUIRE(m);
    const auto* sk = std::get_if<wire::SkPayload>(&m->payloads.back().body);
    REQUIRE(sk);
    auto plain = cbc_crypter()->open(sk_e, sk_a, ByteView(pkt).first(pkt.size() - sk->data.size()), sk->data);
    REQUIRE(plain);
    auto inner = wire::parse_payloads(sk->inner_first, plain->view());
    REQUIRE(inner);
    return inner.value();
}

}  // namespace

TEST_CASE("IKE SA rekey: RFC 7296 2.18 keys, new SPIs, the session moves to the new IKE SA") {
    Connected c;
    ike::IkeSa& old = *c.sa;
    const std::string user = old.username, peer = old.peer_id, group = old.group;
    REQUIRE(old.assigned_address);
    const IpAddress address = *old.assigned_address;
    auto kex = crypto::KeyExchange::create(iana::DhGroup::ECP_256);
    IkeRekeyRequest req;
    req.kex = kex.get();
    std::unique_ptr<ike::IkeSa> successor;
    auto resp = c.exchange(old, req.payloads(), &successor);

    // HDR, SK {SA, Nr, KEr} (RFC 7296 1.3.2)
    REQUIRE(error_notify(resp) == 0);
    REQUIRE(resp.size() == 3);
    REQUIRE(resp[0].type == PayloadType::SA);
    REQUIRE(resp[1].type == PayloadType::Nonce);
    REQUIRE(resp[2].type == PayloadType::KE);
    const auto& proposal = std::get<wire::SaPayload>(resp[0].body).proposals.at(0);
    REQUIRE(proposal.protocol == iana::ProtocolId::IKE);
    const std::uint64_t new_spi_r = u64_of(proposal.spi);
    const Bytes nr = std::get<wire::NoncePayload>(resp[1].body).data;
    const auto& ker = std::get<wire::KePayload>(resp[2].body);
    REQUIRE(ker.group == static_cast<std::uint16_t>(iana::DhGroup::ECP_256));

    REQUIRE(successor);
    REQUIRE(successor->spi_i == req.new_spi_i);
    REQUIRE(successor->spi_r == new_spi_r);
    REQUIRE(new_spi_r != old.spi_r);
    REQUIRE(successor->state == ike::IkeSaState::Established);
    REQUIRE(successor->next_peer_request_id == 0);  // message IDs restart on the new SA
    REQUIRE(successor->next_own_request_id == 0);
    REQUIRE(successor->algs.dh == iana::DhGroup::ECP_256);

    // The initiator's keys, computed from the formulas (the old SK_d is the gateway's).
    SecureBytes shared = kex->shared_secret(ker.data);
    InitiatorKeys keys = rekeyed_keys(old.keys.sk_d.view(), shared.view(), req.ni, nr, req.new_spi_i, new_spi_r);
    REQUIRE_FALSE(ct_equal(keys.sk_ei.view(), old.keys.sk_ei.view()));

    // The session (Child SAs, lease, user) belongs to the new IKE SA now.
    REQUIRE(successor->children.size() == 1);
    REQUIRE(successor->children[0].spi_in == c.first_child_spi_in);
    REQUIRE(old.children.empty());
    REQUIRE(successor->assigned_address == address);
    REQUIRE_FALSE(old.assigned_address);
    REQUIRE(successor->username == user);
    REQUIRE(successor->peer_id == peer);
    REQUIRE(successor->group == group);
    REQUIRE(successor->unique_id == old.unique_id);

    // The initiator talks on the new SA: an INFORMATIONAL (Delete of the Child SA) with
    // message ID 0, encrypted with SK_ei/SK_ai; the answer decrypts with SK_er/SK_ar.
    wire::Header h;
    h.spi_i = req.new_spi_i;
    h.spi_r = new_spi_r;
    h.exchange = ExchangeType::INFORMATIONAL;
    h.flags = iana::kFlagInitiator;
    h.message_id = 0;
    wire::DeletePayload del;
    del.protocol = static_cast<std::uint8_t>(iana::ProtocolId::ESP);
    del.spi_size = 4;
    del.spis.push_back(be32(c.ini.esp_spi()));
    Bytes request = seal_message(h, keys.sk_ei.view(), keys.sk_ai.view(), {{PayloadType::Delete, false, del}});
    auto parsed = wire::parse_message(request);
    REQUIRE(parsed);
    ike::Unprotected un = ike::unprotect_message(*successor, request, parsed.value());
    REQUIRE(un.status == ike::Unprotected::Status::Complete);
    // The old SA's keys do not open it.
    REQUIRE(ike::unprotect_message(old, request, parsed.value()).status == ike::Unprotected::Status::Invalid);

    SECTION("Child SAs of the new IKE SA are keyed from its SK_d") {
        ChildRekeyRequest child;
        child.old_peer_spi = c.ini.esp_spi();
        auto answer = parse_child_answer(c.exchange(*successor, child.payloads()));
        require_child_keys(c.h.kernel, answer.spi_in, child.new_peer_spi,
                           expected_keymat(keys.sk_d.view(), {}, child.ni, answer.nr));
        REQUIRE(successor->children.size() == 2);
    }
    SECTION("the Delete on the new SA, answered on it") {
        ike::ExchangeResult r = ike::handle_informational(c.ctx, *successor, un.payloads);
        wire::Header rh = h;
        rh.flags = iana::kFlagResponse;
        auto packets = ike::protect_message(*successor, rh, r.payloads, 1280);
        REQUIRE(packets.size() == 1);
        auto answer = open_message(packets[0], keys.sk_er.view(), keys.sk_ar.view());
        const auto* ours = find_payload<wire::DeletePayload>(answer, PayloadType::Delete);
        REQUIRE(ours);
        REQUIRE(ours->spis == std::vector<Bytes>{be32(c.first_child_spi_in)});
        REQUIRE(c.h.kernel.sas().empty());
        REQUIRE(successor->children.empty());
    }
    SECTION("the peer deletes the old IKE SA through the gateway: the moved session stays") {
        wire::DeletePayload ike_del;
        ike_del.protocol = static_cast<std::uint8_t>(iana::ProtocolId::IKE);
        auto answer = c.ini.open_response(
            c.h.deliver(kClientNatt, c.ini.request(ExchangeType::INFORMATIONAL, {{PayloadType::Delete, false, ike_del}})));
        REQUIRE(answer.empty());
        REQUIRE(c.h.gateway->sas().empty());  // the old SA is gone (the test holds the new one)
        REQUIRE(c.h.kernel.sas().size() == 2);
        REQUIRE(c.h.kernel.find_sa(kGatewayAddr, c.first_child_spi_in));
        REQUIRE(c.h.kernel.policies().size() == 3);
        REQUIRE(c.h.gateway->pools().at("p").used() == 1);
    }
}

TEST_CASE("IKE SA rekey refusals leave the IKE SA as it was") {
    Connected c;
    auto kex = crypto::KeyExchange::create(iana::DhGroup::ECP_256);
    IkeRekeyRequest req;
    req.kex = kex.get();
    std::unique_ptr<ike::IkeSa> successor;
    std::uint16_t expected = 0;

    SECTION("KE of a group we do not take: INVALID_KE_PAYLOAD names ours") {
        auto modp = crypto::KeyExchange::create(iana::DhGroup::MODP_2048);
        req.groups = {iana::DhGroup::MODP_2048, iana::DhGroup::ECP_256};
        req.kex = modp.get();
        auto resp = c.exchange(*c.sa, req.payloads(), &successor);
        REQUIRE(find_notify(resp, NotifyType::INVALID_KE_PAYLOAD)->data == Bytes{0x00, 0x13});
        expected = static_cast<std::uint16_t>(NotifyType::INVALID_KE_PAYLOAD);
    }
    SECTION("a PRF we do not accept") {
        req.prf = iana::PrfId::HMAC_SHA1;
        expected = static_cast<std::uint16_t>(NotifyType::NO_PROPOSAL_CHOSEN);
        REQUIRE(error_notify(c.exchange(*c.sa, req.payloads(), &successor)) == expected);
    }
    SECTION("an IKE proposal without its 8-byte SPI (the parser refuses it too; called directly)") {
        req.spi_size = 4;
        expected = static_cast<std::uint16_t>(NotifyType::NO_PROPOSAL_CHOSEN);
        REQUIRE(error_notify(ike::handle_create_child(c.ctx, *c.sa, req.payloads(), &successor).payloads) == expected);
    }
    SECTION("no KE payload") {
        req.kex = nullptr;
        expected = static_cast<std::uint16_t>(NotifyType::INVALID_SYNTAX);
        REQUIRE(error_notify(c.exchange(*c.sa, req.payloads(), &successor)) == expected);
    }
    SECTION("a caller that cannot take a new IKE SA") {
        expected = static_cast<std::uint16_t>(NotifyType::NO_ADDITIONAL_SAS);
        REQUIRE(error_notify(c.exchange(*c.sa, req.payloads(), nullptr)) == expected);
    }
    REQUIRE(expected != 0);
    REQUIRE_FALSE(successor);
    REQUIRE(c.sa->children.size() == 1);
    REQUIRE(c.sa->assigned_address);
    REQUIRE(c.h.kernel.sas().size() == 2);
}

TEST_CASE("IKE SA rekey: the new initiator SPI is the one of the proposal chosen") {
    Connected c;
    auto kex = crypto::KeyExchange::create(iana::DhGroup::ECP_256);
    IkeRekeyRequest unacceptable;
    unacceptable.prf = iana::PrfId::HMAC_SHA1;
    unacceptable.new_spi_i = 0x1111111111111111ULL;
    IkeRekeyRequest acceptable;
    acceptable.new_spi_i = 0x2222222222222222ULL;
    acceptable.kex = kex.get();
    auto payloads = acceptable.payloads();
    auto& offered = std::get<wire::SaPayload>(payloads[0].body);
    wire::Proposal first = std::get<wire::SaPayload>(unacceptable.payloads()[0].body).proposals[0];
    offered.proposals[0].number = 2;
    offered.proposals.insert(offered.proposals.begin(), first);

    std::unique_ptr<ike::IkeSa> successor;
    // Not through the codec: its SA parser wants the first proposal numbered 1, also in
    // a response, where RFC 7296 3.3.1 has it carry the number of the one accepted.
    auto resp = ike::handle_create_child(c.ctx, *c.sa, over_the_wire(payloads), &successor).payloads;
    REQUIRE(error_notify(resp) == 0);
    REQUIRE(std::get<wire::SaPayload>(resp.at(0).body).proposals.at(0).number == 2);
    REQUIRE(successor);
    REQUIRE(successor->spi_i == 0x2222222222222222ULL);
}

TEST_CASE("IKE SA rekey: a new responder SPI that another IKE SA holds is drawn again") {
    Connected c;
    const std::uint64_t taken = 0x5555555555555555ULL, fresh = 0x6666666666666666ULL;
    std::vector<std::uint64_t> draws = {taken, c.sa->spi_r, fresh};
    std::size_t next = 0;
    c.ctx.random_spi = [&] { return draws.at(std::min(next++, draws.size() - 1)); };
    c.ctx.ike_spi_in_use = [&](std::uint64_t spi) { return spi == taken || spi == c.sa->spi_r; };
    auto kex = crypto::KeyExchange::create(iana::DhGroup::ECP_256);
    IkeRekeyRequest req;
    req.kex = kex.get();
    std::unique_ptr<ike::IkeSa> successor;
    auto resp = c.exchange(*c.sa, req.payloads(), &successor);
    REQUIRE(error_notify(resp) == 0);
    REQUIRE(successor);
    REQUIRE(successor->spi_r == fresh);
    REQUIRE(next == 3);
}

TEST_CASE("IKE SA rekey: the session's RFC 5685 redirect support moves to the new IKE SA", "[redirect]") {
    Connected c;
    ike::IkeSa& old = *c.sa;
    old.peer_redirect_supported = true;  // as if its IKE_SA_INIT had carried REDIRECT_SUPPORTED
    auto kex = crypto::KeyExchange::create(iana::DhGroup::ECP_256);
    IkeRekeyRequest req;
    req.kex = kex.get();
    std::unique_ptr<ike::IkeSa> successor;
    auto resp = c.exchange(old, req.payloads(), &successor);
    REQUIRE(error_notify(resp) == 0);
    REQUIRE(successor);
    CHECK(successor->peer_redirect_supported);
    CHECK_FALSE(successor->peer_redirected_from);
}

TEST_CASE("IKE SA rekey: the successor keeps the MOBIKE agreement (issue 13)") {
    Connected c;
    c.sa->mobike = true;  // as announce_mobike leaves it (test_mobike.cpp)
    auto kex = crypto::KeyExchange::create(iana::DhGroup::ECP_256);
    IkeRekeyRequest req;
    req.kex = kex.get();
    std::unique_ptr<ike::IkeSa> successor;
    REQUIRE(error_notify(c.exchange(*c.sa, req.payloads(), &successor)) == 0);
    REQUIRE(successor);
    CHECK(successor->mobike);
}
