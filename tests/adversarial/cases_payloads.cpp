// Payload-chain cases in IKE_SA_INIT (RFC 7296 3.2 and 2.21.1).
#include "cases.hpp"
#include "iana.hpp"
#include "raw_message.hpp"

namespace adversarial {

using namespace peer::iana;

namespace {

std::string type_name(std::uint8_t t) {
    switch (t) {
        case kSA: return "sa";
        case kKE: return "ke";
        case kNonce: return "nonce";
        default: return "type" + std::to_string(t);
    }
}

void run_mutation(Prober& prober, const std::string& name, const std::function<void(RawMessage&)>& mutate,
                  const Expect& want) {
    peer::Initiator ini = fresh_initiator();
    RawMessage m = init_message(ini);
    mutate(m);
    prober.run(name, m.encode(), want);
}

}  // namespace

void payload_cases(Prober& prober) {
    // Payload lengths below the generic header, overrunning the message, or short by one.
    for (std::uint8_t type : {kSA, kKE, kNonce}) {
        for (std::uint16_t len : {0, 1, 2, 3}) {
            run_mutation(prober, type_name(type) + "-length-" + std::to_string(len),
                         [&](RawMessage& m) { m.payloads[m.index_of(type)].length = len; }, malformed());
        }
        for (int delta : {1, 1000, -1}) {
            run_mutation(prober, type_name(type) + "-length-" + (delta > 0 ? "plus-" : "minus-") + std::to_string(std::abs(delta)),
                         [&](RawMessage& m) {
                             RawPayload& p = m.payloads[m.index_of(type)];
                             p.length = static_cast<std::uint16_t>(4 + static_cast<int>(p.body.size()) + delta);
                         },
                         malformed());
        }
        run_mutation(prober, type_name(type) + "-length-65535",
                     [&](RawMessage& m) { m.payloads[m.index_of(type)].length = 65535; }, malformed());
    }

    // Next Payload errors: a chain that loops back, names a payload past the end, or
    // stops before the end.
    run_mutation(prober, "next-payload-loop-back-to-sa", [](RawMessage& m) { m.payloads.back().next = kSA; }, malformed());
    run_mutation(prober, "next-payload-sa-names-itself", [](RawMessage& m) { m.payloads[0].next = kSA; }, malformed());
    run_mutation(prober, "next-payload-none-before-the-end", [](RawMessage& m) { m.payloads[0].next = kNone; }, malformed());
    run_mutation(prober, "header-next-payload-none", [](RawMessage& m) { m.next = kNone; }, malformed());
    run_mutation(prober, "header-next-payload-nonce-first", [](RawMessage& m) { m.next = kNonce; }, malformed());
    run_mutation(prober, "no-payloads-at-all", [](RawMessage& m) { m.payloads.clear(); }, malformed());

    // Unknown payload types: skipped without the critical bit, refused with it, and the
    // answer names the type (RFC 7296 3.2: "the notification data contains the one-octet
    // payload type").
    for (std::uint8_t t : {1, 32, 60, 127, 128, 200, 255}) {
        run_mutation(prober, "unknown-payload-" + std::to_string(t) + "-ignored",
                     [&](RawMessage& m) { m.payloads.insert(m.payloads.begin() + 2, raw(t, Bytes(12, 0xab))); }, accept());
        run_mutation(prober, "unknown-critical-payload-" + std::to_string(t),
                     [&](RawMessage& m) { m.payloads.insert(m.payloads.begin() + 2, raw(t, Bytes(12, 0xab), 0x80)); },
                     notify(kUnsupportedCriticalPayload, Bytes{t}));
    }
    run_mutation(prober, "unknown-critical-payload-first",
                 [](RawMessage& m) { m.payloads.insert(m.payloads.begin(), raw(222, Bytes(4, 1), 0x80)); },
                 notify(kUnsupportedCriticalPayload, Bytes{222}));
    // The critical bit and the reserved bits of known payloads are ignored.
    for (std::uint8_t type : {kSA, kKE, kNonce}) {
        run_mutation(prober, type_name(type) + "-critical-bit-ignored",
                     [&](RawMessage& m) { m.payloads[m.index_of(type)].flags = 0x80; }, accept());
    }
    run_mutation(prober, "sa-reserved-bits-ignored", [](RawMessage& m) { m.payloads[m.index_of(kSA)].flags = 0x7f; }, accept());
    run_mutation(prober, "nonce-reserved-bits-ignored", [](RawMessage& m) { m.payloads[m.index_of(kNonce)].flags = 0x01; }, accept());

    // A mandatory payload missing.
    for (std::uint8_t type : {kSA, kKE, kNonce}) {
        run_mutation(prober, "missing-" + type_name(type),
                     [&](RawMessage& m) { m.payloads.erase(m.payloads.begin() + static_cast<long>(m.index_of(type))); },
                     malformed());
    }

    // Encrypted payloads cannot be in IKE_SA_INIT (RFC 7296 1.2; RFC 7383 2.5: it is never fragmented).
    auto sk = [](std::uint8_t type, std::uint8_t inner) {
        RawPayload p = raw(type, type == kSKF ? Bytes{0, 1, 0, 1} : Bytes{});
        p.body.resize(p.body.size() + 48, 0x5a);
        p.inner_first = inner;
        return p;
    };
    run_mutation(prober, "sk-after-init-payloads", [&](RawMessage& m) { m.payloads.push_back(sk(kSK, kNotify)); },
                 notify(kInvalidSyntax));
    run_mutation(prober, "sk-alone-in-init", [&](RawMessage& m) { m.payloads = {sk(kSK, kSA)}; }, notify(kInvalidSyntax));
    run_mutation(prober, "skf-after-init-payloads", [&](RawMessage& m) { m.payloads.push_back(sk(kSKF, kNotify)); },
                 notify(kInvalidSyntax));
    run_mutation(prober, "skf-alone-in-init", [&](RawMessage& m) { m.payloads = {sk(kSKF, kSA)}; }, notify(kInvalidSyntax));
    run_mutation(prober, "sk-in-the-middle-of-init",
                 [&](RawMessage& m) { m.payloads.insert(m.payloads.begin() + 1, sk(kSK, kNone)); }, malformed());

    // Nonce sizes: 16 to 256 octets (RFC 7296 3.9).
    for (std::size_t n : {0u, 1u, 15u, 257u, 1000u}) {
        run_mutation(prober, "nonce-of-" + std::to_string(n) + "-bytes",
                     [&](RawMessage& m) { m.payloads[m.index_of(kNonce)].body = peer::random_bytes(n); },
                     n == 0 ? malformed() : notify(kInvalidSyntax));
    }
    for (std::size_t n : {16u, 256u}) {
        run_mutation(prober, "nonce-of-" + std::to_string(n) + "-bytes-accepted",
                     [&](RawMessage& m) { m.payloads[m.index_of(kNonce)].body = peer::random_bytes(n); }, accept());
    }

    // Notifies: malformed ones are syntax errors; unknown status types and unrecognised
    // error types in a request are ignored (RFC 7296 3.10.1).
    run_mutation(prober, "notify-body-of-2-bytes",
                 [](RawMessage& m) { m.payloads.push_back(raw(kNotify, Bytes{0, 0})); }, malformed());
    run_mutation(prober, "notify-spi-size-beyond-body",
                 [](RawMessage& m) { m.payloads.push_back(raw(kNotify, Bytes{0, 200, 0x40, 0x00, 1, 2})); }, malformed());
    run_mutation(prober, "unknown-status-notify-ignored",
                 [](RawMessage& m) { m.payloads.push_back(raw(kNotify, peer::notify_body(40000, Bytes(8, 1)))); }, accept());
    run_mutation(prober, "unknown-error-notify-in-request-ignored",
                 [](RawMessage& m) { m.payloads.push_back(raw(kNotify, peer::notify_body(8000))); }, accept());
    run_mutation(prober, "vendor-id-of-2000-bytes",
                 [](RawMessage& m) { m.payloads.push_back(raw(kVendorID, Bytes(2000, 0x77))); }, accept());
    run_mutation(prober, "fifty-vendor-ids",
                 [](RawMessage& m) {
                     for (int i = 0; i < 50; ++i) m.payloads.push_back(raw(kVendorID, peer::random_bytes(16)));
                 },
                 accept());
}

}  // namespace adversarial
