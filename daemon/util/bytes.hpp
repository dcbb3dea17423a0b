// Byte buffers shared by every layer: plain Bytes for wire data, SecureBytes for
// key material (wiped when freed), and constant-time comparison for MACs/AUTH.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ikev2d {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// Overwrites memory in a way the optimiser may not remove.
void secure_wipe(void* data, std::size_t size) noexcept;

// Constant-time equality: time depends only on the lengths, never on the contents.
bool ct_equal(ByteView a, ByteView b) noexcept;

std::string to_hex(ByteView data);
// Accepts upper/lower case, ignores spaces and ':'; throws std::invalid_argument on bad input.
Bytes from_hex(std::string_view hex);

inline ByteView as_bytes(std::string_view s) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Big-endian value of the first 4 / 8 bytes (SPIs on the wire); the caller has checked the size.
inline std::uint32_t load_be32(ByteView b) noexcept {
    return static_cast<std::uint32_t>(b[0]) << 24 | static_cast<std::uint32_t>(b[1]) << 16 |
           static_cast<std::uint32_t>(b[2]) << 8 | b[3];
}
inline std::uint64_t load_be64(ByteView b) noexcept {
    return static_cast<std::uint64_t>(load_be32(b)) << 32 | load_be32(b.subspan(4));
}

inline void append(Bytes& out, ByteView more) { out.insert(out.end(), more.begin(), more.end()); }

// Key material. Move-only so that no stray copy escapes the wipe; use clone() when a
// copy is really wanted. The buffer is wiped on destruction, on reassignment and on resize.
class SecureBytes {
public:
    SecureBytes() = default;
    explicit SecureBytes(std::size_t size) : data_(size, 0) {}
    explicit SecureBytes(ByteView view) : data_(view.begin(), view.end()) {}
    SecureBytes(std::initializer_list<std::uint8_t> init) : data_(init) {}
    ~SecureBytes() { wipe(); }

    SecureBytes(const SecureBytes&) = delete;
    SecureBytes& operator=(const SecureBytes&) = delete;
    SecureBytes(SecureBytes&& other) noexcept : data_(std::move(other.data_)) { other.data_.clear(); }
    SecureBytes& operator=(SecureBytes&& other) noexcept {
        if (this != &other) {
            wipe();
            data_ = std::move(other.data_);
            other.data_.clear();
        }
        return *this;
    }

    SecureBytes clone() const { return SecureBytes(view()); }

    std::uint8_t* data() noexcept { return data_.data(); }
    const std::uint8_t* data() const noexcept { return data_.data(); }
    std::size_t size() const noexcept { return data_.size(); }
    bool empty() const noexcept { return data_.empty(); }
    ByteView view() const noexcept { return {data_.data(), data_.size()}; }
    std::span<std::uint8_t> span() noexcept { return {data_.data(), data_.size()}; }
    ByteView first(std::size_t n) const { return view().first(n); }
    ByteView subview(std::size_t offset, std::size_t n) const { return view().subspan(offset, n); }
    std::uint8_t& operator[](std::size_t i) noexcept { return data_[i]; }
    std::uint8_t operator[](std::size_t i) const noexcept { return data_[i]; }

    // Resizing copies into a new buffer and wipes the old one (std::vector would not).
    void resize(std::size_t size);
    void append(ByteView more);
    void wipe() noexcept {
        if (!data_.empty()) secure_wipe(data_.data(), data_.size());
    }

    operator ByteView() const noexcept { return view(); }

private:
    std::vector<std::uint8_t> data_;
};

}  // namespace ikev2d
