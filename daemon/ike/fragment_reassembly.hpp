// RFC 7383 reassembly of incoming SKF fragments, after each fragment passed its own
// integrity check. What partial messages may hold is bounded per IKE SA and across all
// of them, and a partial message is given up after a timeout.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ike/byte_budget.hpp"
#include "ike/ike_sa.hpp"
#include "wire/payloads.hpp"

namespace ikev2d::ike {

inline constexpr std::size_t kDefaultReassemblyBytesPerSa = 64 * 1024;
inline constexpr std::uint16_t kMaxFragments = 64;

struct ReassemblyPolicy {
    std::size_t max_bytes_per_sa = kDefaultReassemblyBytesPerSa;
    std::size_t max_bytes_total = kDefaultReassemblyBytesPerSa;
    ByteBudget* budget = nullptr;  // shared by all IKE SAs; nullptr: only the per-SA limit
    std::uint64_t now_ms = 0;
};

struct FragmentOutcome {
    enum class Status { Stored, Complete, Dropped } status = Status::Stored;
    SecureBytes whole;                                   // the reassembled plaintext when Complete
    iana::PayloadType first = iana::PayloadType::None;   // its first payload when Complete
    std::size_t fragments_dropped = 0;                   // this one and those given up with it
};

// Adds one authenticated fragment of message `message_id`. A fragment that does not fit
// a budget is dropped together with the partial message it belonged to: that message
// cannot complete any more, and its bytes are better free for others.
FragmentOutcome add_fragment(IkeSa& sa, std::uint32_t message_id, const wire::SkfPayload& fragment, SecureBytes plaintext,
                             const ReassemblyPolicy& policy);

// Gives up a partial message started before now_ms - timeout_ms; returns its fragments.
std::size_t expire_reassembly(IkeSa& sa, std::uint64_t now_ms, std::uint64_t timeout_ms);

}  // namespace ikev2d::ike
