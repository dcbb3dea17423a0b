#include "eap/eap_tls_framing.hpp"

#include <algorithm>
#include <stdexcept>

namespace ikev2d::eap::tls {

Result<Fragment, std::string> parse_fragment(ByteView type_data) {
    if (type_data.empty()) return unexpected(std::string("EAP-TLS Response without the Flags octet"));
    Fragment f;
    f.flags = type_data[0];
    ByteView rest = type_data.subspan(1);
    if (f.flags & kFlagLength) {
        if (rest.size() < kLengthFieldSize)
            return unexpected("EAP-TLS L flag set but only " + std::to_string(rest.size()) +
                              " bytes follow the Flags octet");
        f.message_length = (std::uint32_t{rest[0]} << 24) | (std::uint32_t{rest[1]} << 16) |
                           (std::uint32_t{rest[2]} << 8) | std::uint32_t{rest[3]};
        rest = rest.subspan(kLengthFieldSize);
    }
    f.data = rest;
    return f;
}

Result<Reassembler::Status, std::string> Reassembler::add(const Fragment& fragment) {
    if (fragment.data.empty()) return unexpected(std::string("EAP-TLS fragment without TLS data"));
    if (fragment.message_length) {
        const std::uint32_t length = *fragment.message_length;
        if (length == 0) return unexpected(std::string("EAP-TLS Message Length of 0"));
        if (length > max_message_)
            return unexpected("EAP-TLS Message Length " + std::to_string(length) + " is over the limit of " +
                              std::to_string(max_message_) + " bytes");
        // RFC 5216 3.1 asks for L on the first fragment; a later one may repeat it, unchanged.
        if (in_progress_ && declared_ != length)
            return unexpected("EAP-TLS Message Length changed from " + std::to_string(declared_.value_or(0)) +
                              " to " + std::to_string(length) + " within one message");
        if (!in_progress_) declared_ = length;
    } else if (!in_progress_ && fragment.more()) {
        return unexpected(std::string("first EAP-TLS fragment without the L flag and Message Length"));
    }
    const std::size_t limit = declared_ ? *declared_ : max_message_;
    if (fragment.data.size() > limit - buffer_.size())
        return unexpected("EAP-TLS fragments exceed the " + std::string(declared_ ? "declared " : "") +
                          "message length of " + std::to_string(limit) + " bytes");
    in_progress_ = true;
    append(buffer_, fragment.data);
    if (fragment.more()) {
        if (declared_ && buffer_.size() == *declared_)
            return unexpected(std::string("EAP-TLS M flag set after the declared message length was reached"));
        return Status::NeedMore;
    }
    if (declared_ && buffer_.size() != *declared_)
        return unexpected("EAP-TLS message ends after " + std::to_string(buffer_.size()) + " of its declared " +
                          std::to_string(*declared_) + " bytes");
    return Status::Complete;
}

Bytes Reassembler::take() {
    Bytes out = std::move(buffer_);
    buffer_.clear();
    declared_.reset();
    in_progress_ = false;
    return out;
}

void Fragmenter::load(ByteView message) {
    if (pending()) throw std::logic_error("EAP-TLS fragmenter loaded while still sending");
    message_.assign(message.begin(), message.end());
    offset_ = 0;
}

Bytes Fragmenter::next() {
    if (!pending()) throw std::logic_error("EAP-TLS fragmenter has nothing to send");
    const bool first = offset_ == 0;
    const std::size_t take = std::min(max_data_, message_.size() - offset_);
    const bool more = offset_ + take < message_.size();
    Bytes out;
    std::uint8_t flags = more ? kFlagMore : 0;
    if (first) flags |= kFlagLength;
    out.push_back(flags);
    if (first) {
        const auto total = static_cast<std::uint32_t>(message_.size());
        out.push_back(static_cast<std::uint8_t>(total >> 24));
        out.push_back(static_cast<std::uint8_t>(total >> 16));
        out.push_back(static_cast<std::uint8_t>(total >> 8));
        out.push_back(static_cast<std::uint8_t>(total));
    }
    out.insert(out.end(), message_.begin() + static_cast<std::ptrdiff_t>(offset_),
               message_.begin() + static_cast<std::ptrdiff_t>(offset_ + take));
    offset_ += take;
    if (!pending()) {
        message_.clear();
        offset_ = 0;
    }
    return out;
}

}  // namespace ikev2d::eap::tls
