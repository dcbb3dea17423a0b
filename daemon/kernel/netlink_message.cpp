#include "kernel/netlink_message.hpp"

#include <stdexcept>
#include <string>

namespace ikev2d::kernel {

NlMessage::NlMessage(std::uint16_t type, std::uint16_t flags, std::size_t capacity) : buf_(capacity) {
    if (capacity < MNL_NLMSG_HDRLEN) throw std::length_error("netlink buffer smaller than a header");
    nlmsghdr* nlh = mnl_nlmsg_put_header(buf_.data());
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = flags;
}

void NlMessage::reserve(std::size_t more) const {
    if (header()->nlmsg_len + more > buf_.size())
        throw std::length_error("netlink message type " + std::to_string(header()->nlmsg_type) + " exceeds " +
                                std::to_string(buf_.size()) + " bytes");
}

void NlMessage::put_attr(std::uint16_t attr_type, const void* data, std::size_t len) {
    reserve(MNL_ATTR_HDRLEN + MNL_ALIGN(len));
    mnl_attr_put(header(), attr_type, len, data);
}

void* NlMessage::put_attr_zeroed(std::uint16_t attr_type, std::size_t len) {
    reserve(MNL_ATTR_HDRLEN + MNL_ALIGN(len));
    // mnl_attr_put copies from a source; put the header by hand to avoid a second buffer.
    auto* attr = static_cast<nlattr*>(mnl_nlmsg_get_payload_tail(header()));
    const std::size_t payload_len = MNL_ATTR_HDRLEN + len;
    attr->nla_type = attr_type;
    attr->nla_len = static_cast<std::uint16_t>(payload_len);
    void* payload = mnl_attr_get_payload(attr);
    std::memset(payload, 0, MNL_ALIGN(len));
    header()->nlmsg_len += MNL_ALIGN(payload_len);
    return payload;
}

std::string extended_ack_message(const nlmsghdr* nlh, const nlmsgerr* err) {
    if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS)) return {};
    // The original request follows nlmsgerr: its header only, unless NLM_F_CAPPED is absent.
    std::size_t offset = sizeof(nlmsgerr);
    if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
        if (err->msg.nlmsg_len < sizeof(nlmsghdr)) return {};
        offset += err->msg.nlmsg_len - sizeof(nlmsghdr);
    }
    offset = MNL_ALIGN(offset);
    if (offset > mnl_nlmsg_get_payload_len(nlh)) return {};
    std::string message;
    for_each_attr(nlh, offset, [&](const nlattr* attr) {
        if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
            message = mnl_attr_get_str(attr);
    });
    return message;
}

}  // namespace ikev2d::kernel
