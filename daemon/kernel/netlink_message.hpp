// A netlink request built in memory (header, fixed struct, attributes), separate from
// any socket so that tests can inspect exactly what would be sent. The buffer is
// SecureBytes because NEWSA requests carry keys.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <linux/netlink.h>

#include <libmnl/libmnl.h>

#include "util/bytes.hpp"

namespace ikev2d::kernel {

class NlMessage {
public:
    static constexpr std::size_t kDefaultCapacity = 4096;

    NlMessage(std::uint16_t type, std::uint16_t flags, std::size_t capacity = kDefaultCapacity);
    NlMessage(NlMessage&&) noexcept = default;
    NlMessage& operator=(NlMessage&&) noexcept = default;

    nlmsghdr* header() noexcept { return reinterpret_cast<nlmsghdr*>(buf_.data()); }
    const nlmsghdr* header() const noexcept { return reinterpret_cast<const nlmsghdr*>(buf_.data()); }
    std::uint16_t type() const noexcept { return header()->nlmsg_type; }

    // The fixed-size family header that follows nlmsghdr, zero-initialised.
    template <class T>
    T& put_struct() {
        reserve(MNL_ALIGN(sizeof(T)));
        return *static_cast<T*>(mnl_nlmsg_put_extra_header(header(), sizeof(T)));
    }
    // Nested attributes are not needed by XFRM/rtnetlink requests built here.
    void put_attr(std::uint16_t attr_type, const void* data, std::size_t len);
    template <class T>
    void put_attr(std::uint16_t attr_type, const T& value) {
        put_attr(attr_type, &value, sizeof(T));
    }
    // Reserves a zeroed attribute payload of len bytes and returns it (for structs
    // with a flexible array member such as xfrm_algo).
    void* put_attr_zeroed(std::uint16_t attr_type, std::size_t len);

    ByteView bytes() const noexcept { return buf_.first(header()->nlmsg_len); }

private:
    void reserve(std::size_t more) const;  // throws std::length_error when it would not fit
    SecureBytes buf_;
};

// Calls f(const nlattr*) for each complete attribute after the first `offset` payload
// bytes of nlh (libmnl's mnl_attr_for_each does not compile as C++ with const).
template <class F>
void for_each_attr(const nlmsghdr* nlh, std::size_t offset, F&& f) {
    const auto* tail = static_cast<const char*>(mnl_nlmsg_get_payload_tail(nlh));
    const auto* attr = static_cast<const nlattr*>(mnl_nlmsg_get_payload_offset(nlh, offset));
    while (mnl_attr_ok(attr, static_cast<int>(tail - reinterpret_cast<const char*>(attr)))) {
        f(attr);
        attr = mnl_attr_next(attr);
    }
}

// The kernel's extended-ack text in an NLMSG_ERROR message (NLM_F_ACK_TLVS), or "".
std::string extended_ack_message(const nlmsghdr* nlh, const nlmsgerr* err);

}  // namespace ikev2d::kernel
