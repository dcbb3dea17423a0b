#include "ike/sa_deadlines.hpp"

#include <algorithm>
#include <utility>

namespace ikev2d::ike {
namespace {

// Heap order: the earliest deadline on top; ties by SPI so that the order is total.
bool later(const SaDeadlines::Entry& a, const SaDeadlines::Entry& b) {
    return a.due_ms != b.due_ms ? a.due_ms > b.due_ms : a.spi_r > b.spi_r;
}

}  // namespace

void SaDeadlines::arm(std::uint64_t spi_r, std::uint64_t& armed_ms, std::uint64_t due_ms) {
    if (armed_ms == due_ms) return;  // its entry is still current (or it has none and needs none)
    armed_ms = due_ms;               // any older entry of this SA is stale from now on
    if (due_ms == kNone) return;
    heap_.push_back(Entry{due_ms, spi_r});
    std::push_heap(heap_.begin(), heap_.end(), later);
}

std::optional<SaDeadlines::Entry> SaDeadlines::pop_due(std::uint64_t now_ms) {
    if (heap_.empty() || heap_.front().due_ms > now_ms) return std::nullopt;
    std::pop_heap(heap_.begin(), heap_.end(), later);
    Entry e = heap_.back();
    heap_.pop_back();
    return e;
}

void SaDeadlines::rebuild(std::vector<Entry> live_entries) {
    heap_ = std::move(live_entries);
    std::make_heap(heap_.begin(), heap_.end(), later);
    // The old buffer may have been much larger: give it back.
    heap_.shrink_to_fit();
}

}  // namespace ikev2d::ike
