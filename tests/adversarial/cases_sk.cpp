// Protected messages (RFC 7296 2.21.2, 3.10.1, 3.14; RFC 7383): on half-open IKE SAs a
// message that fails the integrity check, names another message ID or SPI, or is not
// encrypted is dropped and changes nothing (the genuine IKE_AUTH still succeeds after
// it); one with a valid ICV but malformed payloads is answered, encrypted, with
// INVALID_SYNTAX (UNSUPPORTED_CRITICAL_PAYLOAD for an unknown critical payload).
#include "cases.hpp"
#include "iana.hpp"
#include "raw_message.hpp"

namespace adversarial {

using namespace peer::iana;
using peer::Initiator;

namespace {

void set32(Bytes& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}
void set16(Bytes& b, std::size_t at, std::uint16_t v) {
    b[at] = static_cast<std::uint8_t>(v >> 8);
    b[at + 1] = static_cast<std::uint8_t>(v);
}

Bytes chain(const std::vector<peer::Payload>& p) { return peer::encode_chain(p); }

// Deletes the IKE SA with a Delete request of message ID `mid` (best effort: the prober
// leaves no sessions behind).
void delete_with(Prober& prober, Initiator& ini, std::uint32_t mid) {
    prober.ask(ini.seal(kInformational, mid, kFlagInitiator, kDelete, chain({peer::make_payload(kDelete, peer::delete_ike_body())})),
               ini.spi_i(), 1000);
}

class SkCases {
public:
    SkCases(Prober& prober, const peer::InitiatorConfig& legit) : prober_(prober), legit_(legit) {}

    // A half-open IKE SA of the legitimate configuration, or nullopt (recorded as a failure).
    std::optional<Initiator> half_open(const std::string& name, bool fragmentation = false) {
        peer::InitiatorConfig c = legit_;
        c.fragmentation = fragmentation;
        Initiator ini(c);
        std::string err;
        if (!prober_.half_open(ini, err)) {
            prober_.record(name, false, "could not set up a half-open IKE SA: " + err);
            return std::nullopt;
        }
        return ini;
    }

    // The genuine IKE_AUTH on `ini` completes (the earlier hostile packet changed nothing); then Delete.
    void genuine_auth_then_delete(const std::string& name, Initiator& ini) {
        auto answer = prober_.ask(ini.auth_request(), ini.spi_i());
        if (!answer) {
            prober_.record(name + "-then-genuine-auth", false, "expected IKE SA established got no answer to the genuine IKE_AUTH");
            return;
        }
        const bool ok = ini.on_auth_response(*answer) == Initiator::Step::Done;
        prober_.record(name + "-then-genuine-auth", ok, "expected IKE SA established got " + ini.error());
        if (ok) prober_.ask(ini.delete_request(), ini.spi_i());
    }

    // A tampered packet made from the genuine IKE_AUTH must be dropped.
    void tampered(const std::string& name, const std::function<Bytes(Initiator&)>& make, bool fragmentation = false) {
        auto ini = half_open(name, fragmentation);
        if (!ini) return;
        prober_.run(name, make(*ini), drop(), &*ini);
        genuine_auth_then_delete(name, *ini);
    }

    // IKE_AUTH (message ID 1) whose decrypted content is `plaintext`, first payload `first`.
    // An IKE SA the case established is deleted again (message ID 2).
    void inner(const std::string& name, std::uint8_t first, const std::function<Bytes(Initiator&)>& plaintext,
               const Expect& want) {
        auto ini = half_open(name);
        if (!ini) return;
        Bytes p = plaintext(*ini);
        if (prober_.run(name, ini->seal(kIkeAuth, 1, kFlagInitiator, first, p), want, &*ini) &&
            want.kind == Expect::Kind::EncAccept)
            delete_sa(*ini, 2);
    }

    void delete_sa(Initiator& ini, std::uint32_t mid) { delete_with(prober_, ini, mid); }

    Prober& prober_;
    peer::InitiatorConfig legit_;
};

std::string answers_message_id(const peer::Message& m, std::uint32_t mid) {
    return m.header.message_id == mid ? "" : "answer has message ID " + std::to_string(m.header.message_id);
}

}  // namespace

void sk_cases(Prober& prober, const peer::InitiatorConfig& legit) {
    SkCases s(prober, legit);
    constexpr std::size_t kSkBody = 32;  // 28-byte header + 4-byte SK payload header

    // Integrity failures and packets that are not this SA's next request: dropped.
    s.tampered("sk-icv-last-byte-flipped", [](Initiator& i) { Bytes p = i.auth_request(); p.back() ^= 1; return p; });
    s.tampered("sk-icv-first-byte-flipped", [](Initiator& i) { Bytes p = i.auth_request(); p[p.size() - 16] ^= 0x80; return p; });
    s.tampered("sk-ciphertext-byte-flipped", [](Initiator& i) { Bytes p = i.auth_request(); p[kSkBody + 20] ^= 4; return p; });
    s.tampered("sk-iv-byte-flipped", [](Initiator& i) { Bytes p = i.auth_request(); p[kSkBody + 1] ^= 1; return p; });
    s.tampered("sk-truncated-by-one-byte", [](Initiator& i) {
        Bytes p = i.auth_request();
        p.pop_back();
        set32(p, 24, static_cast<std::uint32_t>(p.size()));
        set16(p, 30, static_cast<std::uint16_t>(p.size() - 28));
        return p;
    });
    for (std::size_t body : {0u, 10u, 24u}) {
        s.tampered("sk-body-of-" + std::to_string(body) + "-bytes", [body](Initiator& i) {
            Bytes p = i.auth_request();
            p.resize(kSkBody + body, 0);
            set32(p, 24, static_cast<std::uint32_t>(p.size()));
            set16(p, 30, static_cast<std::uint16_t>(4 + body));
            return p;
        });
    }
    s.tampered("sk-header-flags-changed-after-sealing", [](Initiator& i) { Bytes p = i.auth_request(); p[19] |= kFlagVersion; return p; });
    s.tampered("sk-header-exchange-changed-after-sealing", [](Initiator& i) { Bytes p = i.auth_request(); p[18] = kInformational; return p; });
    for (std::uint32_t mid : {0u, 2u, 7u, 0xffffffffu}) {
        s.tampered("sk-valid-icv-message-id-" + std::to_string(mid), [mid](Initiator& i) {
            auto inner = i.auth_payloads();
            return i.seal(kIkeAuth, mid, kFlagInitiator, inner.front().type, chain(inner));
        });
    }
    s.tampered("sk-wrong-responder-spi", [](Initiator& i) { Bytes p = i.auth_request(); p[15] ^= 1; return p; });
    s.tampered("sk-wrong-initiator-spi", [](Initiator& i) { Bytes p = i.auth_request(); p[7] ^= 1; return p; });
    s.tampered("sk-valid-icv-response-flag", [](Initiator& i) {
        auto inner = i.auth_payloads();
        return i.seal(kIkeAuth, 1, kFlagInitiator | kFlagResponse, inner.front().type, chain(inner));
    });
    s.tampered("ike-auth-in-cleartext", [](Initiator& i) {
        peer::Header h;
        h.spi_i = i.spi_i();
        h.spi_r = i.spi_r();
        h.exchange = kIkeAuth;
        h.flags = kFlagInitiator;
        h.message_id = 1;
        return peer::encode_message(h, i.auth_payloads());
    });
    s.tampered("sk-sealed-with-another-sas-keys", [&](Initiator& i) {
        Initiator other(legit);
        std::string err;
        if (!prober.half_open(other, err)) return i.auth_request();  // then the case fails visibly
        Bytes p = other.auth_request();
        for (int b = 0; b < 8; ++b) {
            p[b] = static_cast<std::uint8_t>(i.spi_i() >> (56 - 8 * b));
            p[8 + b] = static_cast<std::uint8_t>(i.spi_r() >> (56 - 8 * b));
        }
        return p;
    });
    s.tampered("sk-followed-by-trailing-bytes", [](Initiator& i) {
        Bytes p = i.auth_request();
        p.insert(p.end(), 4, 0);
        set32(p, 24, static_cast<std::uint32_t>(p.size()));
        return p;
    });

    // A valid ICV around malformed or incomplete content: INVALID_SYNTAX, encrypted.
    auto patched_auth = [](const std::function<void(Bytes&)>& patch) {
        return [patch](Initiator& i) {
            Bytes p = chain(i.auth_payloads());
            patch(p);
            return p;
        };
    };
    s.inner("inner-payload-length-overruns", kIDi, patched_auth([](Bytes& p) { set16(p, 2, 2000); }), enc_notify(kInvalidSyntax));
    s.inner("inner-payload-length-3", kIDi, patched_auth([](Bytes& p) { set16(p, 2, 3); }), enc_notify(kInvalidSyntax));
    s.inner("inner-trailing-bytes", kIDi, patched_auth([](Bytes& p) { p.insert(p.end(), 5, 0xee); }), enc_notify(kInvalidSyntax));
    s.inner("inner-chain-names-a-missing-payload", kIDi, [](Initiator& i) {
        auto inner = i.auth_payloads();
        Bytes p = chain(inner);
        // The last payload (TSr) is the final 4 + body bytes; its Next Payload says Notify.
        p[p.size() - 4 - inner.back().body.size()] = kNotify;
        return p;
    }, enc_notify(kInvalidSyntax));
    s.inner("inner-unknown-critical-payload-201", kIDi, [](Initiator& i) {
        auto inner = i.auth_payloads();
        inner.insert(inner.begin() + 2, peer::make_payload(201, Bytes(8, 1), true));
        return chain(inner);
    }, enc_notify(kUnsupportedCriticalPayload, Bytes{201}));
    s.inner("inner-nested-sk", kIDi, [](Initiator& i) {
        auto inner = i.auth_payloads();
        peer::Payload sk = peer::make_payload(kSK, Bytes(40, 3));
        inner.push_back(sk);
        return chain(inner);
    }, enc_notify(kInvalidSyntax));
    s.inner("inner-empty-ike-auth", kNone, [](Initiator&) { return Bytes{}; }, enc_notify(kInvalidSyntax));
    s.inner("inner-ike-auth-without-idi", kAUTH, [](Initiator& i) {
        auto inner = i.auth_payloads();
        inner.erase(inner.begin());
        return chain(inner);
    }, enc_notify(kInvalidSyntax));
    s.inner("inner-malformed-child-sa", kIDi, [](Initiator& i) {
        auto inner = i.auth_payloads();
        for (auto& p : inner)
            if (p.type == kSA) set16(p.body, 2, 4);  // proposal length 4
        return chain(inner);
    }, enc_notify(kInvalidSyntax));
    s.inner("inner-malformed-traffic-selector", kIDi, [](Initiator& i) {
        auto inner = i.auth_payloads();
        for (auto& p : inner)
            if (p.type == kTSi) set16(p.body, 6, 200);  // selector length beyond the payload
        return chain(inner);
    }, enc_notify(kInvalidSyntax));
    {
        peer::InitiatorConfig wrong = legit;
        wrong.psk = legit.psk + "-not";
        SkCases w(prober, wrong);
        w.inner("inner-auth-with-wrong-psk", kIDi, [](Initiator& i) { return chain(i.auth_payloads()); },
                enc_notify(kAuthenticationFailed));
    }
    s.inner("inner-unknown-noncritical-payload-ignored", kIDi, [](Initiator& i) {
        auto inner = i.auth_payloads();
        inner.insert(inner.begin() + 2, peer::make_payload(202, Bytes(8, 1)));
        return chain(inner);
    }, enc_accept([](const peer::Message& m) {
        return peer::find(m.payloads, kAUTH) && peer::find(m.payloads, kIDr) ? "" : "no IDr/AUTH: not authenticated";
    }));

    // RFC 7383 fragments (the SA announced IKEV2_FRAGMENTATION_SUPPORTED).
    auto fragments = [](Initiator& i, std::size_t count) {
        auto inner = i.auth_payloads();
        Bytes p = chain(inner);
        std::vector<Bytes> out;
        const std::size_t step = (p.size() + count - 1) / count;
        for (std::size_t n = 0; n < count; ++n) {
            Bytes slice(p.begin() + static_cast<long>(std::min(p.size(), n * step)),
                        p.begin() + static_cast<long>(std::min(p.size(), (n + 1) * step)));
            out.push_back(i.seal_fragment(kIkeAuth, 1, kFlagInitiator, inner.front().type, slice,
                                          static_cast<std::uint16_t>(n + 1), static_cast<std::uint16_t>(count)));
        }
        return out;
    };
    s.tampered("skf-fragment-number-0", [](Initiator& i) {
        auto inner = i.auth_payloads();
        return i.seal_fragment(kIkeAuth, 1, kFlagInitiator, inner.front().type, chain(inner), 0, 1);
    }, true);
    s.tampered("skf-fragment-3-of-2", [](Initiator& i) {
        return i.seal_fragment(kIkeAuth, 1, kFlagInitiator, kNone, Bytes(20, 0), 3, 2);
    }, true);
    s.tampered("skf-total-fragments-0", [](Initiator& i) {
        auto inner = i.auth_payloads();
        return i.seal_fragment(kIkeAuth, 1, kFlagInitiator, inner.front().type, chain(inner), 1, 0);
    }, true);
    s.tampered("skf-bad-icv", [&](Initiator& i) {
        Bytes p = fragments(i, 2)[0];
        p.back() ^= 1;
        return p;
    }, true);
    s.tampered("skf-one-of-three-fragments-only", [&](Initiator& i) { return fragments(i, 3)[1]; }, true);
    if (auto ini = s.half_open("skf-genuine-auth-in-3-fragments", true)) {
        auto parts = fragments(*ini, 3);
        prober.socket().send_to(prober.gateway(), parts[0]);
        prober.socket().send_to(prober.gateway(), parts[2]);
        if (prober.run("skf-genuine-auth-in-3-fragments", parts[1], enc_accept([](const peer::Message& m) {
                return peer::find(m.payloads, kAUTH) ? answers_message_id(m, 1) : "no AUTH";
            }), &*ini))
            delete_with(prober, *ini, 2);
    }
    if (auto ini = s.half_open("skf-reassembled-payloads-malformed", true)) {
        auto inner = ini->auth_payloads();
        Bytes p = chain(inner);
        set16(p, 2, 3000);
        const std::size_t half = p.size() / 2;
        Bytes a(p.begin(), p.begin() + static_cast<long>(half)), b(p.begin() + static_cast<long>(half), p.end());
        prober.socket().send_to(prober.gateway(), ini->seal_fragment(kIkeAuth, 1, kFlagInitiator, kIDi, a, 1, 2));
        prober.run("skf-reassembled-payloads-malformed", ini->seal_fragment(kIkeAuth, 1, kFlagInitiator, kIDi, b, 2, 2),
                   enc_notify(kInvalidSyntax), &*ini);
    }

    // Established IKE SAs (INFORMATIONAL exchanges); each case gets its own, so that one
    // unanswered case cannot shift the message IDs of the next.
    auto establish = [&](const std::string& name) -> std::optional<Initiator> {
        Initiator ini(legit);
        std::string err;
        bool up = prober.half_open(ini, err);
        if (up) {
            auto answer = prober.ask(ini.auth_request(), ini.spi_i());
            up = answer && ini.on_auth_response(*answer) == Initiator::Step::Done;
            if (!up) err = answer ? ini.error() : "no IKE_AUTH answer";
        }
        if (!up) {
            prober.record(name, false, "could not establish an IKE SA: " + err);
            return std::nullopt;
        }
        return ini;
    };
    auto answered = [](std::uint32_t mid) {
        return enc_accept([mid](const peer::Message& m) { return answers_message_id(m, mid); });
    };
    if (auto ini = establish("informational-cases")) {
        const std::uint32_t first = ini->next_message_id();
        prober.run("informational-empty-answered", ini->informational_request(), answered(first), &*ini);
        const std::uint32_t mid = ini->next_message_id();
        Bytes bad = ini->seal(kInformational, mid, kFlagInitiator, kNone, {});
        bad.back() ^= 1;
        prober.run("informational-bad-icv", bad, drop(), &*ini);
        prober.run("informational-message-id-far-ahead", ini->seal(kInformational, mid + 5, kFlagInitiator, kNone, {}),
                   drop(), &*ini);
        // The genuine request for `mid` is still the one expected.
        Bytes genuine = ini->informational_request();
        prober.run("informational-genuine-after-bad-ones", genuine, answered(mid), &*ini);
        // RFC 7296 2.1: an exact retransmission of an answered request is answered again.
        prober.run("informational-exact-retransmission-answered-again", genuine, answered(mid), &*ini);
        prober.run("informational-delete-answered", ini->delete_request(), answered(mid + 1), &*ini);
    }
    struct Hostile {
        const char* name;
        std::uint8_t exchange, first;
        Bytes plaintext;
        Expect want;
    };
    const Hostile hostile[] = {
        {"informational-inner-length-3", kInformational, kNotify, Bytes{0, 0, 0, 3, 0, 0}, enc_notify(kInvalidSyntax)},
        {"informational-inner-unknown-critical-203", kInformational, 203,
         chain({peer::make_payload(203, Bytes(4, 9), true)}), enc_notify(kUnsupportedCriticalPayload, Bytes{203})},
        {"protected-unknown-exchange-type-50", 50, kNone, {}, enc_notify(kInvalidSyntax)},
    };
    for (const auto& h : hostile) {
        auto ini = establish(h.name);
        if (!ini) continue;
        const std::uint32_t mid = ini->next_message_id();
        prober.run(h.name, ini->seal(h.exchange, mid, kFlagInitiator, h.first, h.plaintext), h.want, &*ini);
        // Delete the SA: after the case's message ID when the case was answered, else with it.
        ini->informational_request();
        if (!prober.ask(ini->delete_request(), ini->spi_i(), 1000)) delete_with(prober, *ini, mid);
    }
}

}  // namespace adversarial
