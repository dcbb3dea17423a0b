#include "ike/message_protection.hpp"

#include "wire/builder.hpp"
#include "wire/parser.hpp"

namespace ikev2d::ike {
namespace {

using iana::PayloadType;

constexpr std::size_t kSkfFragmentFields = 4;  // Fragment Number(2) | Total Fragments(2)

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

Unprotected unprotect_message(IkeSa& sa, ByteView packet, const wire::Message& parsed, const ReassemblyPolicy& policy) {
    Unprotected res;
    // Everything after IKE_SA_INIT travels inside SK/SKF; anything outside it is refused.
    if (parsed.payloads.size() != 1) {
        res.error = "expected exactly one SK or SKF payload";
        return res;
    }
    auto parse_inner = [&res](PayloadType first, ByteView plaintext, const char* what) {
        auto inner = wire::parse_payloads(first, plaintext);
        if (!inner) {
            res.status = Unprotected::Status::Malformed;
            res.error = std::string(what) + inner.error().to_string();
            res.malformed = inner.error();
            return;
        }
        res.payloads = std::move(inner.value());
        res.status = Unprotected::Status::Complete;
    };
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
        parse_inner(sk->inner_first, plain->view(), "decrypted payloads: ");
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
    res.was_fragmented = true;
    FragmentOutcome added = add_fragment(sa, parsed.header.message_id, *skf, std::move(*plain), policy);
    switch (added.status) {
        case FragmentOutcome::Status::Stored: res.status = Unprotected::Status::NeedMoreFragments; return res;
        case FragmentOutcome::Status::Dropped:
            res.status = Unprotected::Status::FragmentDropped;
            res.fragments_dropped = added.fragments_dropped;
            res.error = "fragment over the reassembly budget, partial message dropped";
            return res;
        case FragmentOutcome::Status::Complete: break;
    }
    parse_inner(added.first, added.whole.view(), "reassembled payloads: ");
    return res;
}

}  // namespace ikev2d::ike
