// Internal: an RAII GMP integer whose limbs are wiped before they are freed, and the
// big-endian conversions of KE payloads.
#pragma once

#include <gmp.h>

#include <cstdint>
#include <span>

#include "util/bytes.hpp"

namespace ikev2d::crypto::detail {

// Makes GMP (and nettle, which allocates through it) wipe every buffer it frees or
// moves, so intermediate values of modular exponentiation do not linger on the heap.
// Idempotent and thread-safe; compatible with blocks allocated before it ran.
void install_wiping_gmp_allocator();

class SecureMpz {
public:
    SecureMpz();
    ~SecureMpz();
    SecureMpz(const SecureMpz&) = delete;
    SecureMpz& operator=(const SecureMpz&) = delete;

    mpz_ptr get() noexcept { return value_; }
    mpz_srcptr get() const noexcept { return value_; }

    void set_bytes(ByteView big_endian);
    // Left-padded with zeros to out.size(); false if the value does not fit.
    bool get_bytes(std::span<std::uint8_t> out) const;

private:
    mpz_t value_;
};

}  // namespace ikev2d::crypto::detail
