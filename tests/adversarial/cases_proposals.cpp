// SA payload cases in IKE_SA_INIT (RFC 7296 3.3, 2.7) and the KE group (1.2, 3.4).
#include "cases.hpp"
#include "iana.hpp"
#include "raw_message.hpp"

namespace adversarial {

using namespace peer::iana;
using peer::Proposal;
using peer::Transform;

namespace {

// Dropped, or refused with INVALID_SYNTAX or NO_PROPOSAL_CHOSEN: where a proposal is both
// malformed and unacceptable, either answer is right.
Expect refused() {
    return Expect{Expect::Kind::DropOrNotify, {kInvalidSyntax, kNoProposalChosen}, std::nullopt, {}};
}

std::function<std::string(const peer::Message&)> chosen_proposal(std::uint8_t number) {
    return [number](const peer::Message& m) -> std::string {
        const peer::Payload* sa = peer::find(m.payloads, kSA);
        auto props = sa ? peer::parse_sa(sa->body) : std::nullopt;
        if (!props || props->size() != 1) return "the answer's SA is not one proposal";
        if (props->front().number != number)
            return "chose proposal " + std::to_string(props->front().number) + ", not " + std::to_string(number);
        return "";
    };
}

// IKE_SA_INIT whose SA body is `sa_body` (KE of group `ke_group` from a real key exchange
// when this initiator implements it, else `ke_size` filler bytes).
Bytes init_with_sa(const Bytes& sa_body, std::uint16_t ke_group = kDhCurve25519, std::size_t ke_size = 0) {
    peer::Initiator ini = fresh_initiator({ke_group});
    RawMessage m = init_message(ini);
    m.payloads[m.index_of(kSA)].body = sa_body;
    if (ke_size) m.payloads[m.index_of(kKE)].body = peer::ke_body(ke_group, Bytes(ke_size, 0x33));
    return m.encode();
}

Bytes good_sa() { return peer::sa_body({Proposal{1, kProtoIke, {}, good_ike_transforms()}}); }

Proposal unacceptable(std::uint8_t number) {
    return Proposal{number, kProtoIke, {},
                    {{kTransEncr, kEncr3Des, std::nullopt, {}}, {kTransPrf, kPrfHmacMd5, std::nullopt, {}},
                     {kTransInteg, kIntegHmacMd5_96, std::nullopt, {}}, {kTransDh, kDhModp1024, std::nullopt, {}}}};
}

void run_sa(Prober& prober, const std::string& name, const std::function<void(Bytes&)>& patch, const Expect& want) {
    Bytes sa = good_sa();
    patch(sa);
    prober.run(name, init_with_sa(sa), want);
}

}  // namespace

void proposal_cases(Prober& prober) {
    // The proposal/transform substructures lie (offsets in a one-proposal SA body: 2 =
    // proposal length, 7 = transform count, 8.. = first transform).
    const std::size_t plen = good_sa().size();
    auto set16 = [](Bytes& b, std::size_t at, std::size_t v) {
        b[at] = static_cast<std::uint8_t>(v >> 8);
        b[at + 1] = static_cast<std::uint8_t>(v);
    };
    for (std::size_t v : {std::size_t{0}, std::size_t{7}, plen + 1, plen - 1, std::size_t{65535}})
        run_sa(prober, "proposal-length-" + std::to_string(v) + "-of-" + std::to_string(plen),
               [&](Bytes& b) { set16(b, 2, v); }, malformed());
    run_sa(prober, "only-proposal-claims-more", [](Bytes& b) { b[0] = 2; }, malformed());
    run_sa(prober, "proposal-substructure-type-1", [](Bytes& b) { b[0] = 1; }, malformed());
    {
        Bytes two = peer::sa_body({Proposal{1, kProtoIke, {}, good_ike_transforms()}, Proposal{2, kProtoIke, {}, good_ike_transforms()}});
        two[0] = 0;  // the first says it is the last: the second is trailing garbage
        prober.run("first-of-two-proposals-claims-last", init_with_sa(two), malformed());
    }
    for (unsigned count : {0u, 4u, 2u, 255u})  // 3 transforms are present
        run_sa(prober, "transform-count-" + std::to_string(count) + "-of-3",
               [&](Bytes& b) { b[7] = static_cast<std::uint8_t>(count); }, count == 0 ? refused() : malformed());
    for (std::size_t v : {std::size_t{0}, std::size_t{7}, plen})
        run_sa(prober, "first-transform-length-" + std::to_string(v), [&](Bytes& b) { set16(b, 8 + 2, v); }, malformed());
    run_sa(prober, "first-transform-claims-last", [](Bytes& b) { b[8] = 0; }, malformed());
    run_sa(prober, "last-transform-claims-more", [&](Bytes& b) { b[plen - 8] = 3; }, malformed());
    {
        Transform encr{kTransEncr, kEncrAesGcm16, std::nullopt, Bytes{0x00, kAttrKeyLength, 0x00, 0x02, 0x01, 0x00}};
        prober.run("key-length-attribute-in-tlv-format",
                   init_with_sa(peer::sa_body({Proposal{1, kProtoIke, {}, {encr, {kTransPrf, kPrfHmacSha256, std::nullopt, {}}, {kTransDh, kDhCurve25519, std::nullopt, {}}}}})),
                   refused());
        Transform cut{kTransEncr, kEncrAesGcm16, std::nullopt, Bytes{0x80, kAttrKeyLength}};
        prober.run("attribute-truncated",
                   init_with_sa(peer::sa_body({Proposal{1, kProtoIke, {}, {cut, {kTransPrf, kPrfHmacSha256, std::nullopt, {}}, {kTransDh, kDhCurve25519, std::nullopt, {}}}}})),
                   malformed());
    }
    // SPI fields (RFC 7296 3.3.1: zero size in IKE_SA_INIT), protocol, numbering.
    prober.run("ike-proposal-with-8-byte-spi",
               init_with_sa(peer::sa_body({Proposal{1, kProtoIke, Bytes(8, 1), good_ike_transforms()}})), refused());
    run_sa(prober, "spi-size-4-without-spi", [](Bytes& b) { b[6] = 4; }, malformed());
    // Well-formed (an ESP proposal has a 4-byte SPI) but not an IKE SA proposal.
    prober.run("esp-proposal-in-ike-sa-init",
               init_with_sa(peer::sa_body({Proposal{1, kProtoEsp, Bytes(4, 7), good_ike_transforms()}})), notify(kNoProposalChosen));
    prober.run("esp-proposal-without-spi-in-ike-sa-init",
               init_with_sa(peer::sa_body({Proposal{1, kProtoEsp, {}, good_ike_transforms()}})), refused());
    for (std::uint8_t proto : {0, 200})
        prober.run("proposal-protocol-" + std::to_string(proto),
                   init_with_sa(peer::sa_body({Proposal{1, proto, {}, good_ike_transforms()}})), refused());
    prober.run("first-proposal-number-2",
               init_with_sa(peer::sa_body({Proposal{2, kProtoIke, {}, good_ike_transforms()}})), refused());

    // RFC 7296 3.3.6: a proposal with a Transform Type the responder does not understand
    // is unacceptable; when it is the only one, NO_PROPOSAL_CHOSEN.
    for (std::uint8_t t : {100, 200, 241, 255}) {
        auto tr = good_ike_transforms();
        tr.push_back({t, 1, std::nullopt, {}});
        prober.run("unknown-transform-type-" + std::to_string(t) + "-only-proposal",
                   init_with_sa(peer::sa_body({Proposal{1, kProtoIke, {}, tr}})), notify(kNoProposalChosen));
    }
    for (std::uint8_t t : {200, 241}) {
        auto tr = good_ike_transforms();
        tr.insert(tr.begin() + 1, {t, 7, std::nullopt, {}});
        prober.run("unknown-transform-type-" + std::to_string(t) + "-then-good-proposal",
                   init_with_sa(peer::sa_body({Proposal{1, kProtoIke, {}, tr}, Proposal{2, kProtoIke, {}, good_ike_transforms()}})),
                   accept(chosen_proposal(2)));
    }
    // Unknown algorithm IDs, missing mandatory types, key lengths, attributes, legacy.
    struct Variant {
        const char* name;
        std::vector<Transform> transforms;
    };
    const Transform gcm{kTransEncr, kEncrAesGcm16, 256, {}}, prf{kTransPrf, kPrfHmacSha256, std::nullopt, {}},
        dh{kTransDh, kDhCurve25519, std::nullopt, {}};
    const std::vector<Variant> unacceptable_sets{
        {"unknown-encr-id", {{kTransEncr, 1024, 256, {}}, prf, dh}},
        {"unknown-prf-id", {gcm, {kTransPrf, 999, std::nullopt, {}}, dh}},
        {"unknown-dh-id-only", {gcm, prf, {kTransDh, 9999, std::nullopt, {}}}},
        {"no-encryption", {prf, dh}},
        {"no-prf", {gcm, dh}},
        {"no-dh", {gcm, prf}},
        {"cbc-without-integrity", {{kTransEncr, kEncrAesCbc, 256, {}}, prf, dh}},
        {"gcm-with-integrity", {gcm, prf, {kTransInteg, kIntegHmacSha256_128, std::nullopt, {}}, dh}},
        {"gcm-without-key-length", {{kTransEncr, kEncrAesGcm16, std::nullopt, {}}, prf, dh}},
        {"gcm-key-length-257", {{kTransEncr, kEncrAesGcm16, 257, {}}, prf, dh}},
        {"gcm-key-length-0", {{kTransEncr, kEncrAesGcm16, 0, {}}, prf, dh}},
        {"gcm-key-length-64", {{kTransEncr, kEncrAesGcm16, 64, {}}, prf, dh}},
        {"unknown-attribute-99", {{kTransEncr, kEncrAesGcm16, 256, Bytes{0x80, 99, 0, 1}}, prf, dh}},
        {"3des-only", {{kTransEncr, kEncr3Des, std::nullopt, {}}, prf, {kTransInteg, kIntegHmacSha256_128, std::nullopt, {}}, dh}},
        {"md5-prf-only", {gcm, {kTransPrf, kPrfHmacMd5, std::nullopt, {}}, dh}},
    };
    for (const auto& v : unacceptable_sets)
        prober.run(std::string("proposal-") + v.name, init_with_sa(peer::sa_body({Proposal{1, kProtoIke, {}, v.transforms}})),
                   notify(kNoProposalChosen));
    prober.run("proposal-modp768-only",
               init_with_sa(peer::sa_body({Proposal{1, kProtoIke, {}, {gcm, prf, {kTransDh, kDhModp768, std::nullopt, {}}}}}),
                            kDhModp768, 96),
               notify(kNoProposalChosen));

    // KE group (RFC 7296 1.2): another group of the proposal is asked for by name.
    {
        peer::Initiator ini = fresh_initiator({kDhCurve25519});
        RawMessage m = init_message(ini);
        m.payloads[m.index_of(kKE)].body = peer::ke_body(kDhEcp256, Bytes(64, 0x42));
        prober.run("ke-group-19-proposal-31", m.encode(), notify(kInvalidKePayload, Bytes{0x00, 0x1f}));
        peer::Initiator ini2 = fresh_initiator({kDhCurve25519});
        RawMessage m2 = init_message(ini2);
        m2.payloads[m2.index_of(kKE)].body = peer::ke_body(9999, Bytes(32, 0x42));
        prober.run("ke-group-9999-proposal-31", m2.encode(), notify(kInvalidKePayload, Bytes{0x00, 0x1f}));
        peer::Initiator ini3 = fresh_initiator({kDhEcp256, kDhCurve25519});
        RawMessage m3 = init_message(ini3);
        m3.payloads[m3.index_of(kKE)].body = peer::ke_body(kDhModp2048, Bytes(256, 0x42));
        Expect e = notify(kInvalidKePayload);
        e.check = [](const peer::Message& msg) -> std::string {
            for (const auto& p : msg.payloads)
                if (auto n = peer::parse_notify(p.body); p.type == kNotify && n && n->type == kInvalidKePayload)
                    return n->data == Bytes{0, 19} || n->data == Bytes{0, 31} ? "" : "asks for a group not proposed: " + peer::to_hex(n->data);
            return "no group";
        };
        prober.run("ke-group-14-proposal-19-31", m3.encode(), e);
    }
    {
        peer::Initiator ini = fresh_initiator({kDhEcp256});
        prober.run("ke-group-19-accepted", init_message(ini).encode(), accept());
        peer::Initiator ini2 = fresh_initiator({kDhEcp256, kDhCurve25519});
        prober.run("ke-group-19-of-19-31-accepted", init_message(ini2).encode(), accept());
    }

    // Oversized SA payloads.
    {
        std::vector<Proposal> many;
        for (int i = 1; i < 255; ++i) many.push_back(unacceptable(static_cast<std::uint8_t>(i)));
        std::vector<Proposal> all_bad = many;
        all_bad.push_back(unacceptable(255));
        many.push_back(Proposal{255, kProtoIke, {}, good_ike_transforms()});
        prober.run("255-proposals-last-acceptable", init_with_sa(peer::sa_body(many)), accept(chosen_proposal(255)));
        prober.run("255-proposals-none-acceptable", init_with_sa(peer::sa_body(all_bad)), notify(kNoProposalChosen));
    }
    {
        std::vector<Transform> t;
        for (int i = 0; i < 252; ++i) t.push_back({kTransEncr, static_cast<std::uint16_t>(1000 + i), 256, {}});
        for (const auto& g : good_ike_transforms()) t.push_back(g);
        prober.run("255-transforms-one-proposal-acceptable", init_with_sa(peer::sa_body({Proposal{1, kProtoIke, {}, t}})),
                   accept(chosen_proposal(1)));
        std::vector<Transform> d{gcm, prf};
        for (int i = 0; i < 253; ++i) d.push_back({kTransDh, static_cast<std::uint16_t>(2000 + i), std::nullopt, {}});
        prober.run("253-unknown-groups", init_with_sa(peer::sa_body({Proposal{1, kProtoIke, {}, d}})), notify(kNoProposalChosen));
    }
    {
        std::vector<Proposal> huge;
        for (int i = 1; i <= 60; ++i) {
            Proposal p{static_cast<std::uint8_t>(i), kProtoIke, {}, {}};
            for (int j = 0; j < 120; ++j) p.transforms.push_back({static_cast<std::uint8_t>(1 + j % 4), static_cast<std::uint16_t>(3000 + j), std::nullopt, {}});
            huge.push_back(p);
        }
        prober.run("60-proposals-of-120-unknown-transforms", init_with_sa(peer::sa_body(huge)), notify(kNoProposalChosen));
    }
}

}  // namespace adversarial
