#include "ike/message_protection.hpp"

#include "wire/builder.hpp"
#include "wire/parser.hpp"

namespace ikev2d::ike {
namespace {

using iana::PayloadType;

constexpr std::size_t kSkfFragmentFields = 4;  // Fragment Number(2) | Total Fragments(2)
constexpr std::uint16_t kMaxFragments = 64;
constexpr std::size_t kMaxReassembledBytes = 256 * 1024;

Bytes seal_one(const IkeSa& sa, wire::Header header, PayloadType outer, PayloadType inner_first, ByteView plaintext,
               std::optional<std::pair<std::uint16_t, std::uint16_t>> fragment) {
    const std::size_t sealed = sa.crypter->sealed_size(plaintext.size());
    const std::size_t extra = fragment ? kSkfFragmentFields : 0;
    const std::size_t payload_len = wire::kGenericHeaderSize + extra + sealed;
    const std::size_t total = wire::kHeaderSize + payload_len;
    Bytes packet = wire::encode_header(header, outer, static_cast<std::uint32_t>(total));
    append(packet, wire::encode_generic_header(inner_first, false, static_cast<std::uint16_t>(payload_len)));
    if (fragment) {
        packet.push_back(static_cast<std::uint8_t>(fragment->first >> 8));
        packet.push_back(static_cast<std::uint8_t>(fragment->first));
        packet.push_back(static_cast<std::uint8_t>(fragment->second >> 8));
        packet.push_back(static_cast<std::uint8_t>(fragment->second));
    }
    Bytes body = sa.crypter->seal(sa.keys.sk_er.view(), sa.keys.sk_ar.view(), packet, plaintext);
    append(packet, body);
    return packet;
}

}  // namespace

std::size_t max_ike_message_size(std::uint32_t ip_mtu, bool ipv6, bool natt) {
    std::size_t overhead = (ipv6 ? 40 : 20) + 8 + (natt ? 4 : 0);
    return ip_mtu > overhead + 256 ? ip_mtu - overhead : 256;
}

std::vector<Bytes> protect_message(const IkeSa& sa, const wire::Header& header,
                                   const std::vector<wire::Payload>& payloads, std::size_t max_message_size) {
    Bytes plaintext = wire::encode_payloads(payloads);
    PayloadType first = payloads.empty() ? PayloadType::None : payloads.front().type;
    std::vector<Bytes> out;
    const std::size_t whole = wire::kHeaderSize + wire::kGenericHeaderSize + sa.crypter->sealed_size(plaintext.size());
    if (!sa.peer_fragmentation || whole <= max_message_size) {
        out.push_back(seal_one(sa, header, PayloadType::SK, first, plaintext, std::nullopt));
        secure_wipe(plaintext.data(), plaintext.size());
        return out;
    }
    // Largest plaintext slice whose sealed fragment still fits.
    const std::size_t fixed = wire::kHeaderSize + wire::kGenericHeaderSize + kSkfFragmentFields;
    std::size_t chunk = max_message_size > fixed ? max_message_size - fixed : 1;
    while (chunk > 1 && fixed + sa.crypter->sealed_size(chunk) > max_message_size) --chunk;
    const std::size_t count = (plaintext.size() + chunk - 1) / chunk;
    for (std::size_t i = 0; i < count; ++i) {
        ByteView slice = ByteView(plaintext).subspan(i * chunk, std::min(chunk, plaintext.size() - i * chunk));
        out.push_back(seal_one(sa, header, PayloadType::SKF, i == 0 ? first : PayloadType::None, slice,
                               std::make_pair(static_cast<std::uint16_t>(i + 1), static_cast<std::uint16_t>(count))));
    }
    secure_wipe(plaintext.data(), plaintext.size());
    return out;
}

Unprotected unprotect_message(IkeSa& sa, ByteView packet, const wire::Message& parsed) {
    Unprotected res;
    // Everything after IKE_SA_INIT travels inside SK/SKF; anything outside it is refused.
    if (parsed.payloads.size() != 1) {
        res.error = "expected exactly one SK or SKF payload";
        return res;
    }
    const wire::Payload& outer = parsed.payloads.front();
    if (const auto* sk = std::get_if<wire::SkPayload>(&outer.body)) {
        if (sk->data.size() > packet.size()) {
            res.error = "SK payload larger than the packet";
            return res;
        }
        ByteView associated = packet.first(packet.size() - sk->data.size());
        auto plain = sa.crypter->open(sa.keys.sk_ei.view(), sa.keys.sk_ai.view(), associated, sk->data);
        if (!plain) {
            res.error = "integrity check or decryption failed";
            return res;
        }
        auto inner = wire::parse_payloads(sk->inner_first, plain->view());
        if (!inner) {
            res.error = "decrypted payloads: " + inner.error().detail;
            return res;
        }
        res.payloads = std::move(inner.value());
        res.status = Unprotected::Status::Complete;
        return res;
    }
    const auto* skf = std::get_if<wire::SkfPayload>(&outer.body);
    if (skf == nullptr) {
        res.error = "message is not encrypted";
        return res;
    }
    if (!sa.peer_fragmentation || skf->total_fragments == 0 || skf->total_fragments > kMaxFragments ||
        skf->fragment_number == 0 || skf->fragment_number > skf->total_fragments || skf->data.size() > packet.size()) {
        res.error = "invalid SKF fragment numbering";
        return res;
    }
    ByteView associated = packet.first(packet.size() - skf->data.size());
    auto plain = sa.crypter->open(sa.keys.sk_ei.view(), sa.keys.sk_ai.view(), associated, skf->data);
    if (!plain) {
        res.error = "fragment integrity check or decryption failed";
        return res;
    }
    const std::uint32_t mid = parsed.header.message_id;
    if (!sa.reassembly || sa.reassembly->message_id != mid || sa.reassembly->total != skf->total_fragments) {
        // RFC 7383 2.6.1: a different total means a new message; drop what we had.
        sa.reassembly = Reassembly{};
        sa.reassembly->message_id = mid;
        sa.reassembly->total = skf->total_fragments;
    }
    Reassembly& r = *sa.reassembly;
    if (skf->fragment_number == 1) r.first_inner = skf->inner_first;
    if (!r.plaintext_by_number.count(skf->fragment_number)) {
        r.bytes += plain->size();
        if (r.bytes > kMaxReassembledBytes) {
            sa.reassembly.reset();
            res.error = "reassembled message too large";
            return res;
        }
        r.plaintext_by_number.emplace(skf->fragment_number, std::move(*plain));
    }
    res.was_fragmented = true;
    if (r.plaintext_by_number.size() < r.total) {
        res.status = Unprotected::Status::NeedMoreFragments;
        return res;
    }
    SecureBytes whole;
    for (auto& [number, part] : r.plaintext_by_number) whole.append(part.view());
    PayloadType first = r.first_inner;
    sa.reassembly.reset();
    auto inner = wire::parse_payloads(first, whole.view());
    if (!inner) {
        res.error = "reassembled payloads: " + inner.error().detail;
        return res;
    }
    res.payloads = std::move(inner.value());
    res.status = Unprotected::Status::Complete;
    return res;
}

}  // namespace ikev2d::ike
