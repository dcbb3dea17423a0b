// EAP-TLS framing (RFC 5216 3.1): the Flags octet (L = length included, M = more
// fragments, S = start), the optional 4-octet TLS Message Length, and the TLS data; a
// reassembler for the peer's fragmented messages and a fragmenter for ours. No TLS here.
//
// Every length is checked before it is read: a fragment whose flags promise a length
// field it lacks, a message that outgrows the length its first fragment declared or
// ends short of it, and a declared length over the bound are refused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace ikev2d::eap::tls {

inline constexpr std::uint8_t kFlagLength = 0x80;  // L
inline constexpr std::uint8_t kFlagMore = 0x40;    // M
inline constexpr std::uint8_t kFlagStart = 0x20;   // S
inline constexpr std::size_t kLengthFieldSize = 4;

// One EAP-TLS Type-Data as the peer sent it.
struct Fragment {
    std::uint8_t flags{0};
    std::optional<std::uint32_t> message_length;  // with L
    ByteView data;                                // into the parsed packet's Type-Data
    bool more() const noexcept { return (flags & kFlagMore) != 0; }
    // An acknowledgement (RFC 5216 2.1.5): no flags of ours, no data.
    bool is_ack() const noexcept { return data.empty() && !message_length && !more(); }
};

// Splits Type-Data into its fields; nullopt-like error when it is empty or L is set
// without room for the length. Reserved bits are ignored (RFC 5216 3.1).
Result<Fragment, std::string> parse_fragment(ByteView type_data);

// Gathers the peer's fragments of one TLS message (or flight).
class Reassembler {
public:
    // max_message: the largest TLS message (flight) accepted, over all fragments.
    explicit Reassembler(std::size_t max_message) : max_message_(max_message) {}

    enum class Status { NeedMore, Complete };
    // Adds a fragment with data (not an ACK). Complete: take() has the message.
    Result<Status, std::string> add(const Fragment& fragment);
    // The complete message; the reassembler is empty afterwards.
    Bytes take();
    bool in_progress() const noexcept { return in_progress_; }

private:
    std::size_t max_message_;
    bool in_progress_{false};
    std::optional<std::uint32_t> declared_;
    Bytes buffer_;  // handshake records: not secret
};

// Cuts one outgoing TLS message (flight) into Type-Data fragments of at most
// `max_data` TLS bytes: L and the total length on the first when there is more than
// one (and always on the first, as hostapd and strongSwan do), M on all but the last.
class Fragmenter {
public:
    explicit Fragmenter(std::size_t max_data) : max_data_(max_data == 0 ? 1 : max_data) {}
    void load(ByteView message);
    bool pending() const noexcept { return offset_ < message_.size(); }
    // The next fragment's Type-Data; only while pending().
    Bytes next();

private:
    std::size_t max_data_;
    Bytes message_;
    std::size_t offset_{0};
};

}  // namespace ikev2d::eap::tls
