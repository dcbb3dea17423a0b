// COOKIE handling (RFC 7296 2.6) once the gateway demands cookies: only the cookie the
// gateway made for this SPI, nonce and address opens the way; anything else is answered
// with a (new) COOKIE and creates no state.
#include "cases.hpp"
#include "iana.hpp"
#include "raw_message.hpp"

namespace adversarial {

using namespace peer::iana;

namespace {

// The COOKIE the gateway answers `m` with (empty when it does not).
Bytes cookie_for(Prober& prober, const RawMessage& m) {
    auto answer = prober.ask(m.encode(), m.header.spi_i);
    if (!answer) return {};
    auto msg = peer::decode_message(*answer);
    if (!msg) return {};
    for (const auto& p : msg->payloads)
        if (auto n = peer::parse_notify(p.body); p.type == kNotify && n && n->type == kCookie) return n->data;
    return {};
}

RawMessage with_cookie(RawMessage m, const Bytes& cookie) {
    m.payloads.insert(m.payloads.begin(), raw(kNotify, peer::notify_body(kCookie, cookie)));
    return m;
}

Expect new_cookie() {
    Expect e = notify(kCookie);
    e.check = [](const peer::Message& m) -> std::string {
        for (const auto& p : m.payloads)
            if (auto n = peer::parse_notify(p.body); p.type == kNotify && n && n->type == kCookie)
                return n->data.empty() || n->data.size() > 64 ? "COOKIE of " + std::to_string(n->data.size()) + " bytes" : "";
        return "no COOKIE";
    };
    return e;
}

}  // namespace

void cookie_cases(Prober& prober, int threshold) {
    // Hold `threshold` half-open IKE SAs, so that the gateway demands cookies.
    std::vector<peer::Initiator> held;
    for (int i = 0; i < threshold; ++i) {
        held.push_back(fresh_initiator());
        std::string err;
        if (!prober.half_open(held.back(), err)) {
            prober.record("cookie-setup-half-open-sas", false, "expected a half-open IKE SA got " + err);
            return;
        }
    }
    peer::Initiator a = fresh_initiator(), b = fresh_initiator();
    RawMessage ma = init_message(a), mb = init_message(b);
    prober.run("cookie-demanded-beyond-threshold", ma.encode(), new_cookie());
    const Bytes cookie = cookie_for(prober, ma);
    if (cookie.empty()) {
        prober.record("cookie-obtained", false, "expected a COOKIE got none");
        return;
    }
    prober.run("cookie-forged-random", with_cookie(ma, peer::random_bytes(cookie.size())).encode(), new_cookie());
    Bytes flipped = cookie;
    flipped.back() ^= 1;
    prober.run("cookie-one-bit-flipped", with_cookie(ma, flipped).encode(), new_cookie());
    prober.run("cookie-of-another-spi", with_cookie(mb, cookie).encode(), new_cookie());
    {
        RawMessage other_nonce = ma;
        other_nonce.payloads[other_nonce.index_of(kNonce)].body = peer::random_bytes(32);
        prober.run("cookie-with-another-nonce", with_cookie(other_nonce, cookie).encode(), new_cookie());
    }
    prober.run("cookie-truncated", with_cookie(ma, Bytes(cookie.begin(), cookie.end() - 1)).encode(), new_cookie());
    {
        // Outside the 1-64 octets of RFC 7296 3.10.1: refused as malformed or with a new COOKIE.
        Expect e{Expect::Kind::DropOrNotify, {kCookie, kInvalidSyntax}, std::nullopt, {}};
        prober.run("cookie-empty", with_cookie(ma, {}).encode(), e);
        prober.run("cookie-of-65-bytes", with_cookie(ma, Bytes(65, 1)).encode(), e);
    }
    prober.run("cookie-valid-accepted", with_cookie(ma, cookie).encode(), accept());
}

}  // namespace adversarial
