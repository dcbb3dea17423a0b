// KE payload values (RFC 7748 6.1 and RFC 8031 2: X25519 results that are all zero must
// be refused; RFC 5903/6989: ECP points must be on the curve; RFC 7296 3.4: the length
// is the group's).
#include "cases.hpp"
#include "iana.hpp"
#include "raw_message.hpp"

namespace adversarial {

using namespace peer::iana;

namespace {

void run_ke(Prober& prober, const std::string& name, std::uint16_t group, const Bytes& value) {
    peer::Initiator ini = fresh_initiator({group});
    RawMessage m = init_message(ini);
    m.payloads[m.index_of(kKE)].body = peer::ke_body(group, value);
    prober.run(name, m.encode(), malformed());
}

}  // namespace

void ke_cases(Prober& prober) {
    // The points of order 1, 2, 4 and 8 (and their non-canonical encodings), each with the
    // ignored top bit clear and set: every private key gives an all-zero result with them.
    const std::pair<const char*, const char*> low_order[] = {
        {"0", "0000000000000000000000000000000000000000000000000000000000000000"},
        {"1", "0100000000000000000000000000000000000000000000000000000000000000"},
        {"order8a", "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"},
        {"order8b", "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"},
        {"p-1", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
        {"p", "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
        {"p+1", "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
    };
    for (const auto& [name, hex] : low_order) {
        Bytes point = peer::from_hex(hex);
        run_ke(prober, std::string("x25519-low-order-") + name, kDhCurve25519, point);
        point[31] |= 0x80;
        run_ke(prober, std::string("x25519-low-order-") + name + "-top-bit", kDhCurve25519, point);
    }
    for (std::size_t len : {0u, 1u, 31u, 33u, 64u})
        run_ke(prober, "x25519-ke-of-" + std::to_string(len) + "-bytes", kDhCurve25519, peer::random_bytes(len));

    // ECP-256: X | Y of 32 bytes each (RFC 5903 7), on the curve.
    const Bytes p256 = peer::from_hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
    auto valid = peer::KeyExchange::create(kDhEcp256)->public_value();
    Bytes x(valid.begin(), valid.begin() + 32), y(valid.begin() + 32, valid.end());
    run_ke(prober, "ecp256-point-0-0", kDhEcp256, Bytes(64, 0));
    run_ke(prober, "ecp256-point-1-1", kDhEcp256, peer::concat({Bytes(31, 0), Bytes{1}, Bytes(31, 0), Bytes{1}}));
    run_ke(prober, "ecp256-coordinates-p-p", kDhEcp256, peer::concat({p256, p256}));
    {
        Bytes off = valid;
        off[63] ^= 1;
        run_ke(prober, "ecp256-y-off-by-one", kDhEcp256, off);
    }
    run_ke(prober, "ecp256-y-zero", kDhEcp256, peer::concat({x, Bytes(32, 0)}));
    run_ke(prober, "ecp256-x-y-swapped", kDhEcp256, peer::concat({y, x}));
    {
        // x + p does not fit 32 bytes; x with the y of p - y is the negation (valid), so
        // use x together with p (out of range) instead.
        run_ke(prober, "ecp256-y-equals-p", kDhEcp256, peer::concat({x, p256}));
    }
    run_ke(prober, "ecp256-uncompressed-04-prefix", kDhEcp256, peer::concat({Bytes{4}, valid}));
    run_ke(prober, "ecp256-x-only", kDhEcp256, x);
    for (std::size_t len : {0u, 63u})
        run_ke(prober, "ecp256-ke-of-" + std::to_string(len) + "-bytes", kDhEcp256, Bytes(valid.begin(), valid.begin() + static_cast<long>(len)));
}

}  // namespace adversarial
