// Test helpers: find attributes and fixed structs inside a built netlink message.
#pragma once

#include <cstring>
#include <vector>

#include <libmnl/libmnl.h>

#include "kernel/netlink_message.hpp"

namespace ikev2d::kernel::test {

template <class T>
const T& fixed_struct(const NlMessage& msg) {
    return *static_cast<const T*>(mnl_nlmsg_get_payload(msg.header()));
}

// All attributes of that type after the fixed struct of size `offset`.
inline std::vector<const nlattr*> attrs_of(const NlMessage& msg, std::size_t offset, std::uint16_t type) {
    std::vector<const nlattr*> found;
    for_each_attr(msg.header(), offset, [&](const nlattr* attr) {
        if (mnl_attr_get_type(attr) == type) found.push_back(attr);
    });
    return found;
}

template <class T>
const T* attr_payload(const NlMessage& msg, std::size_t offset, std::uint16_t type) {
    auto found = attrs_of(msg, offset, type);
    if (found.size() != 1 || mnl_attr_get_payload_len(found[0]) < sizeof(T)) return nullptr;
    return static_cast<const T*>(mnl_attr_get_payload(found[0]));
}

}  // namespace ikev2d::kernel::test
