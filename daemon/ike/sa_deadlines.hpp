// The IKE SAs' next deadlines, ordered: what the gateway's timer looks at instead of
// every SA. Each SA has at most one current entry; the SA itself remembers the deadline
// it is armed for (IkeSa::timer_due_ms), so that an entry whose deadline no longer
// matches (re-armed, closed, reaped) is recognised as stale when it surfaces and
// dropped. Re-arming is then a push, never a search.
//
// A binary min-heap rather than a timer wheel: deadlines range from a retransmission
// (seconds) to an IKE SA lifetime (hours), which a single wheel covers only with
// cascading levels; the heap keeps 16 bytes per entry, costs O(log n) per arm and per
// due entry, and nothing per idle SA. Stale entries are bounded by compaction: when
// they outnumber the live SAs, the heap is rebuilt from the SAs' own records (O(n),
// paid for by at least n re-arms before it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace ikev2d::ike {

class SaDeadlines {
public:
    // An SA that has nothing to wait for (e.g. DPD off, no lifetime) is armed with this.
    static constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();

    struct Entry {
        std::uint64_t due_ms = 0;
        std::uint64_t spi_r = 0;  // the SA's responder SPI, its key in the gateway's table
    };

    // Records that the SA with responder SPI `spi_r`, currently armed for `armed_ms`
    // (kNone when not in the heap), is next due at `due_ms`; updates `armed_ms`.
    void arm(std::uint64_t spi_r, std::uint64_t& armed_ms, std::uint64_t due_ms);
    // The earliest entry due at or before now_ms, removed from the heap. It may be stale:
    // the caller compares it with the SA's armed deadline and calls note_stale() if so.
    std::optional<Entry> pop_due(std::uint64_t now_ms);
    void note_stale() { ++stale_popped_; }
    // The earliest entry's deadline (possibly stale: then the wake-up simply finds nothing).
    std::uint64_t earliest_ms() const { return heap_.empty() ? kNone : heap_.front().due_ms; }

    // True when stale entries outnumber `live` (the SAs in the table) by enough that a
    // rebuild pays; the caller then passes every armed SA's entry to rebuild().
    bool wants_compaction(std::size_t live) const { return heap_.size() > 2 * live + kCompactionSlack; }
    void rebuild(std::vector<Entry> live_entries);

    std::size_t size() const { return heap_.size(); }
    std::uint64_t stale_popped() const { return stale_popped_; }

private:
    static constexpr std::size_t kCompactionSlack = 1024;
    std::vector<Entry> heap_;  // std::push_heap/pop_heap with later() as "less": a min-heap
    std::uint64_t stale_popped_ = 0;
};

}  // namespace ikev2d::ike
