// Big-endian writer for building messages; lengths are patched in once known.
#pragma once

#include <cstddef>
#include <cstdint>

#include "util/bytes.hpp"

namespace ikev2d::wire {

class ByteWriter {
public:
    explicit ByteWriter(Bytes& out) : out_(out) {}

    void u8(uint8_t v) { out_.push_back(v); }
    void u16(uint16_t v) {
        out_.push_back(static_cast<uint8_t>(v >> 8));
        out_.push_back(static_cast<uint8_t>(v));
    }
    void u32(uint32_t v) {
        for (int shift = 24; shift >= 0; shift -= 8) out_.push_back(static_cast<uint8_t>(v >> shift));
    }
    void u64(uint64_t v) {
        for (int shift = 56; shift >= 0; shift -= 8) out_.push_back(static_cast<uint8_t>(v >> shift));
    }
    void zeros(std::size_t n) { out_.insert(out_.end(), n, 0); }
    void bytes(ByteView v) { out_.insert(out_.end(), v.begin(), v.end()); }
    std::size_t position() const { return out_.size(); }
    void patch_u16(std::size_t at, uint16_t v) {
        out_.at(at) = static_cast<uint8_t>(v >> 8);
        out_.at(at + 1) = static_cast<uint8_t>(v);
    }

private:
    Bytes& out_;
};

}  // namespace ikev2d::wire
