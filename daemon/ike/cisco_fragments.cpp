#include "ike/cisco_fragments.hpp"

#include <algorithm>
#include <stdexcept>

#include "wire/builder.hpp"
#include "wire/parser.hpp"

namespace ikev2d::ike {

using iana::PayloadType;

std::vector<Bytes> cisco_fragment(ByteView message, std::uint16_t fragment_id, std::size_t max_datagram) {
    auto header = wire::parse_header(message);
    if (!header) throw std::invalid_argument("Cisco fragmentation: not an IKE message");
    std::vector<Bytes> out;
    if (message.size() <= max_datagram) {
        out.emplace_back(message.begin(), message.end());
        return out;
    }
    if (max_datagram <= kCiscoFragmentOverhead) throw std::length_error("Cisco fragmentation: datagram size too small");
    const std::size_t chunk = max_datagram - kCiscoFragmentOverhead;
    const std::size_t count = (message.size() + chunk - 1) / chunk;
    if (count > kMaxCiscoFragments) throw std::length_error("Cisco fragmentation: message needs too many fragments");
    for (std::size_t i = 0; i < count; ++i) {
        const ByteView slice = message.subspan(i * chunk, std::min(chunk, message.size() - i * chunk));
        wire::CiscoFragmentPayload fragment;
        fragment.fragment_id = fragment_id;
        fragment.number = static_cast<std::uint8_t>(i + 1);
        fragment.last = i + 1 == count;
        fragment.data.assign(slice.begin(), slice.end());
        // Every fragment repeats the message's header (SPIs, exchange, flags, message ID).
        wire::Message packet{header.value(), {{PayloadType::CiscoFragment, false, std::move(fragment)}}};
        out.push_back(wire::encode_message(packet));
    }
    return out;
}

CiscoFragmentOutcome add_cisco_fragment(IkeSa& sa, const wire::Header& header, const wire::CiscoFragmentPayload& fragment,
                                        const ReassemblyPolicy& policy) {
    CiscoFragmentOutcome out;
    const auto ignore = [&out](std::string why) {
        out.status = CiscoFragmentOutcome::Status::Ignored;
        out.error = std::move(why);
        return std::move(out);
    };
    const auto drop = [&out, &sa](std::string why) {
        out.status = CiscoFragmentOutcome::Status::Dropped;
        out.fragments_dropped = 1 + (sa.reassembly ? sa.reassembly->plaintext_by_number.size() : 0);
        out.error = std::move(why);
        sa.reassembly.reset();
        return std::move(out);
    };
    // The codec refused number 0; the rest of the numbering is checked here.
    if (fragment.number == 0 || fragment.number > kMaxCiscoFragments)
        return ignore("fragment number " + std::to_string(fragment.number) + " out of range");
    if (fragment.data.empty()) return ignore("empty fragment");

    Reassembly* r = sa.reassembly ? &*sa.reassembly : nullptr;
    if (r && (!r->cisco_fragment_id || *r->cisco_fragment_id != fragment.fragment_id)) {
        // Another scheme's or another fragment ID's partial message: the peer moved on.
        out.fragments_dropped = r->plaintext_by_number.size();
        sa.reassembly.reset();
        r = nullptr;
    }
    if (r && r->message_id != header.message_id) return ignore("fragment ID reused for another message ID");
    if (!r) {
        sa.reassembly.emplace();
        r = &*sa.reassembly;
        r->message_id = header.message_id;
        r->cisco_fragment_id = fragment.fragment_id;
        r->started_ms = policy.now_ms;
        r->bytes = ByteBudgetShare(policy.budget);
    }
    if (r->plaintext_by_number.count(fragment.number)) {
        // A copy (a retransmission) or a forgery: the first one stays. Should it have been
        // the forgery, the whole message fails its integrity check and the peer retransmits.
        return ignore("duplicate fragment " + std::to_string(fragment.number));
    }
    if (r->total != 0 && fragment.number > r->total)
        return ignore("fragment " + std::to_string(fragment.number) + " after the last (" + std::to_string(r->total) + ")");
    if (fragment.last) {
        if (r->total != 0) return drop("a second last fragment");
        if (!r->plaintext_by_number.empty() && r->plaintext_by_number.rbegin()->first > fragment.number)
            return drop("fragments numbered past the last one");
        r->total = fragment.number;
    }
    if (!r->bytes.take(fragment.data.size(), policy.max_bytes_per_sa, policy.max_bytes_total))
        return drop("fragment over the reassembly budget");
    r->plaintext_by_number.emplace(fragment.number, SecureBytes(ByteView(fragment.data)));
    if (r->total == 0 || r->plaintext_by_number.size() < r->total) {
        out.status = CiscoFragmentOutcome::Status::Stored;
        return out;
    }
    // Numbers are unique, in 1..total, and there are `total` of them: all are there.
    for (const auto& [number, part] : r->plaintext_by_number) append(out.whole, part.view());
    out.status = CiscoFragmentOutcome::Status::Complete;
    sa.reassembly.reset();
    return out;
}

std::string check_reassembled(const wire::Header& fragment_header, const Result<wire::Message, wire::ParseError>& whole) {
    if (!whole) return "reassembled message does not parse: " + whole.error().detail;
    const wire::Header& h = whole.value().header;
    if (h.spi_i != fragment_header.spi_i || h.spi_r != fragment_header.spi_r || h.exchange != fragment_header.exchange ||
        h.flags != fragment_header.flags || h.message_id != fragment_header.message_id)
        return "reassembled message's header differs from its fragments'";
    const auto& payloads = whole.value().payloads;
    if (payloads.size() != 1 || !std::holds_alternative<wire::SkPayload>(payloads.front().body))
        return "reassembled message is not one SK payload";
    return {};
}

}  // namespace ikev2d::ike
