// Bounds-checked big-endian reader over untrusted bytes. Every read checks the
// remaining length first and fails (returns false) instead of reading past the end;
// offset() is absolute (base + position) so errors can point into the whole packet.
#pragma once

#include <cstddef>
#include <cstdint>

#include "util/bytes.hpp"

namespace ikev2d::wire {

class ByteReader {
public:
    explicit ByteReader(ByteView data, std::size_t base_offset = 0) : data_(data), base_(base_offset) {}

    std::size_t remaining() const { return data_.size() - pos_; }
    bool empty() const { return remaining() == 0; }
    std::size_t offset() const { return base_ + pos_; }

    [[nodiscard]] bool u8(uint8_t& v) {
        if (remaining() < 1) return false;
        v = data_[pos_++];
        return true;
    }
    [[nodiscard]] bool u16(uint16_t& v) {
        if (remaining() < 2) return false;
        v = static_cast<uint16_t>(data_[pos_] << 8 | data_[pos_ + 1]);
        pos_ += 2;
        return true;
    }
    [[nodiscard]] bool u32(uint32_t& v) {
        if (remaining() < 4) return false;
        v = 0;
        for (int i = 0; i < 4; ++i) v = v << 8 | data_[pos_++];
        return true;
    }
    [[nodiscard]] bool u64(uint64_t& v) {
        if (remaining() < 8) return false;
        v = 0;
        for (int i = 0; i < 8; ++i) v = v << 8 | data_[pos_++];
        return true;
    }
    // A view of the next n bytes (valid as long as the underlying buffer).
    [[nodiscard]] bool view(std::size_t n, ByteView& v) {
        if (remaining() < n) return false;
        v = data_.subspan(pos_, n);
        pos_ += n;
        return true;
    }
    [[nodiscard]] bool bytes(std::size_t n, Bytes& out) {
        ByteView v;
        if (!view(n, v)) return false;
        out.assign(v.begin(), v.end());
        return true;
    }
    Bytes rest() {
        Bytes out(data_.begin() + static_cast<std::ptrdiff_t>(pos_), data_.end());
        pos_ = data_.size();
        return out;
    }

private:
    ByteView data_;
    std::size_t base_;
    std::size_t pos_ = 0;
};

}  // namespace ikev2d::wire
