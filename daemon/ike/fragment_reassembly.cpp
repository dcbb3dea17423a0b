#include "ike/fragment_reassembly.hpp"

namespace ikev2d::ike {

FragmentOutcome add_fragment(IkeSa& sa, std::uint32_t message_id, const wire::SkfPayload& fragment, SecureBytes plaintext,
                             const ReassemblyPolicy& policy) {
    FragmentOutcome out;
    if (!sa.reassembly || sa.reassembly->cisco_fragment_id || sa.reassembly->message_id != message_id || sa.reassembly->total != fragment.total_fragments) {
        // RFC 7383 2.6.1: a different total means a new message; drop what we had.
        sa.reassembly.reset();
        sa.reassembly.emplace();
        sa.reassembly->message_id = message_id;
        sa.reassembly->total = fragment.total_fragments;
        sa.reassembly->started_ms = policy.now_ms;
        sa.reassembly->bytes = ByteBudgetShare(policy.budget);
    }
    Reassembly& r = *sa.reassembly;
    if (!r.plaintext_by_number.count(fragment.fragment_number)) {
        if (!r.bytes.take(plaintext.size(), policy.max_bytes_per_sa, policy.max_bytes_total)) {
            out.status = FragmentOutcome::Status::Dropped;
            out.fragments_dropped = r.plaintext_by_number.size() + 1;
            sa.reassembly.reset();
            return out;
        }
        if (fragment.fragment_number == 1) r.first_inner = fragment.inner_first;
        r.plaintext_by_number.emplace(fragment.fragment_number, std::move(plaintext));
    }
    if (r.plaintext_by_number.size() < r.total) return out;
    for (auto& [number, part] : r.plaintext_by_number) out.whole.append(part.view());
    out.first = r.first_inner;
    out.status = FragmentOutcome::Status::Complete;
    sa.reassembly.reset();
    return out;
}

std::size_t expire_reassembly(IkeSa& sa, std::uint64_t now_ms, std::uint64_t timeout_ms) {
    if (!sa.reassembly || now_ms < sa.reassembly->started_ms + timeout_ms) return 0;
    const std::size_t dropped = sa.reassembly->plaintext_by_number.size();
    sa.reassembly.reset();
    return dropped;
}

}  // namespace ikev2d::ike
