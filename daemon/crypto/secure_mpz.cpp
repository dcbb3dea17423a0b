#include "crypto/secure_mpz.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>

namespace ikev2d::crypto::detail {

namespace {

void* wiping_alloc(std::size_t size) {
    void* p = std::malloc(size);
    if (!p) throw std::bad_alloc();  // GMP cannot report allocation failure otherwise
    return p;
}

void wiping_free(void* ptr, std::size_t size) {
    if (!ptr) return;
    secure_wipe(ptr, size);
    std::free(ptr);
}

// Never realloc in place: the old block would be released unwiped.
void* wiping_realloc(void* ptr, std::size_t old_size, std::size_t new_size) {
    void* fresh = wiping_alloc(new_size);
    if (ptr) {
        std::memcpy(fresh, ptr, std::min(old_size, new_size));
        wiping_free(ptr, old_size);
    }
    return fresh;
}

}  // namespace

void install_wiping_gmp_allocator() {
    static std::once_flag once;
    std::call_once(once, [] { mp_set_memory_functions(wiping_alloc, wiping_realloc, wiping_free); });
}

SecureMpz::SecureMpz() {
    install_wiping_gmp_allocator();
    mpz_init(value_);
}

SecureMpz::~SecureMpz() {
    if (value_->_mp_alloc > 0)
        secure_wipe(value_->_mp_d, static_cast<std::size_t>(value_->_mp_alloc) * sizeof(mp_limb_t));
    mpz_clear(value_);
}

void SecureMpz::set_bytes(ByteView big_endian) {
    mpz_import(value_, big_endian.size(), 1, 1, 1, 0, big_endian.data());
}

bool SecureMpz::get_bytes(std::span<std::uint8_t> out) const {
    if (mpz_sgn(value_) < 0) return false;
    const std::size_t needed = mpz_sgn(value_) == 0 ? 0 : (mpz_sizeinbase(value_, 2) + 7) / 8;
    if (needed > out.size()) return false;
    std::fill(out.begin(), out.end(), 0);
    std::size_t written = 0;
    if (needed > 0) mpz_export(out.data() + (out.size() - needed), &written, 1, 1, 1, 0, value_);
    return written == needed;
}

}  // namespace ikev2d::crypto::detail
