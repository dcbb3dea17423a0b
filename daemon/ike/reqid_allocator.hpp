// Reqids tie a Child SA's kernel SAs to its policies. Each live Child SA (with its rekeyed
// successors, which share it) holds one; a released reqid is handed out again, so that a
// long-running gateway never walks into the band kernel/ownership.hpp reserves to mark
// our kernel state (reqids above kernel::kMaxProtocolReqid).
#pragma once

#include <cstdint>
#include <deque>
#include <set>

#include "kernel/ownership.hpp"

namespace ikev2d::ike {

class ReqidAllocator {
public:
    // Hands out first..last (1 <= first <= last <= kernel::kMaxProtocolReqid; std::invalid_argument otherwise).
    explicit ReqidAllocator(std::uint32_t first = 1, std::uint32_t last = kernel::kMaxProtocolReqid);

    // Released reqids first (oldest release first), then fresh ones; std::runtime_error when all are in use.
    std::uint32_t allocate();
    // Values not handed out by this allocator (or released already) are ignored.
    void release(std::uint32_t reqid);
    std::size_t in_use() const noexcept { return live_.size(); }

private:
    std::uint32_t next_, last_;
    std::deque<std::uint32_t> free_;
    std::set<std::uint32_t> live_;
};

}  // namespace ikev2d::ike
