#include "kernel/netlink_socket.hpp"

#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <ctime>

#include "kernel/kernel_ipsec.hpp"

namespace ikev2d::kernel {

namespace {

// Large enough for one datagram of a big dump (the kernel fills up to ~32 KiB).
constexpr std::size_t kReceiveBufferSize = 65536;
// A kernel that does not answer within this time is treated as an error, not a hang.
constexpr time_t kReplyTimeoutSeconds = 5;

// The kernel's extended-ack text, when it sent one (NLM_F_ACK_TLVS).
std::string extended_ack_message(const nlmsghdr* nlh, const nlmsgerr* err) {
    if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS)) return {};
    // The original request follows nlmsgerr: its header only, unless NLM_F_CAPPED is absent.
    std::size_t offset = sizeof(nlmsgerr);
    if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) offset += err->msg.nlmsg_len - sizeof(nlmsghdr);
    offset = MNL_ALIGN(offset);
    if (offset > mnl_nlmsg_get_payload_len(nlh)) return {};
    std::string message;
    for_each_attr(nlh, offset, [&](const nlattr* attr) {
        if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
            message = mnl_attr_get_str(attr);
    });
    return message;
}

}  // namespace

NetlinkSocket::NetlinkSocket(int bus, std::initializer_list<unsigned> groups) : receive_buffer_(kReceiveBufferSize) {
    const int flags = SOCK_CLOEXEC | (groups.size() > 0 ? SOCK_NONBLOCK : 0);
    socket_ = mnl_socket_open2(bus, flags);
    if (!socket_) throw KernelError(errno, "netlink socket (bus " + std::to_string(bus) + ")");
    try {
        if (mnl_socket_bind(socket_, 0, MNL_SOCKET_AUTOPID) < 0) throw KernelError(errno, "netlink bind");
        for (unsigned group : groups) {
            if (mnl_socket_setsockopt(socket_, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) < 0)
                throw KernelError(errno, "netlink join group " + std::to_string(group));
        }
        // Best effort: older kernels lack extended acks and the errno alone still tells.
        int on = 1;
        mnl_socket_setsockopt(socket_, NETLINK_EXT_ACK, &on, sizeof on);
        mnl_socket_setsockopt(socket_, NETLINK_CAP_ACK, &on, sizeof on);
        timeval timeout{kReplyTimeoutSeconds, 0};
        if (setsockopt(mnl_socket_get_fd(socket_), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) < 0)
            throw KernelError(errno, "netlink SO_RCVTIMEO");
    } catch (...) {
        mnl_socket_close(socket_);
        throw;
    }
    portid_ = mnl_socket_get_portid(socket_);
}

NetlinkSocket::~NetlinkSocket() { mnl_socket_close(socket_); }

int NetlinkSocket::fd() const noexcept { return mnl_socket_get_fd(socket_); }

void NetlinkSocket::send(NlMessage& msg, const std::string& operation) {
    nlmsghdr* nlh = msg.header();
    nlh->nlmsg_seq = next_seq_++;
    if (next_seq_ == 0) next_seq_ = 1;
    const ByteView bytes = msg.bytes();
    if (mnl_socket_sendto(socket_, bytes.data(), bytes.size()) < 0) throw KernelError(errno, operation, "send");
}

void NetlinkSocket::request(NlMessage& msg, const std::string& operation, const MessageHandler& on_reply) {
    msg.header()->nlmsg_flags |= NLM_F_ACK;
    send(msg, operation);
    receive_answer(msg.header()->nlmsg_seq, operation, on_reply);
}

void NetlinkSocket::dump(NlMessage& msg, const std::string& operation, const MessageHandler& on_entry) {
    // No NLM_F_ACK: a dump ends with NLMSG_DONE (the kernel sends no ack for dumps).
    msg.header()->nlmsg_flags |= NLM_F_DUMP;
    send(msg, operation);
    receive_answer(msg.header()->nlmsg_seq, operation, on_entry);
}

void NetlinkSocket::receive_answer(std::uint32_t seq, const std::string& operation, const MessageHandler& on_message) {
    for (;;) {
        const ssize_t len = mnl_socket_recvfrom(socket_, receive_buffer_.data(), receive_buffer_.size());
        if (len < 0) {
            if (errno == EINTR) continue;
            throw KernelError(errno == EAGAIN ? ETIMEDOUT : errno, operation, "receive");
        }
        int remaining = static_cast<int>(len);
        for (auto* nlh = reinterpret_cast<const nlmsghdr*>(receive_buffer_.data()); mnl_nlmsg_ok(nlh, remaining);
             nlh = mnl_nlmsg_next(nlh, &remaining)) {
            // Answers to an earlier request that timed out are skipped, not misread.
            if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != portid_) continue;
            switch (nlh->nlmsg_type) {
                case NLMSG_NOOP: break;
                case NLMSG_DONE: {
                    // A dump that failed part-way reports the error as an int after DONE.
                    if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
                        const int error = *static_cast<const int*>(mnl_nlmsg_get_payload(nlh));
                        if (error < 0) throw KernelError(-error, operation);
                    }
                    return;
                }
                case NLMSG_ERROR: {
                    if (mnl_nlmsg_get_payload_len(nlh) < sizeof(nlmsgerr))
                        throw KernelError(EBADMSG, operation, "truncated netlink error");
                    const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
                    if (err->error == 0) return;  // the ack
                    throw KernelError(-err->error, operation, extended_ack_message(nlh, err));
                }
                default:
                    if (on_message) on_message(nlh);
            }
        }
    }
}

bool NetlinkSocket::drain(const MessageHandler& on_message) {
    bool complete = true;
    for (;;) {
        const ssize_t len = recv(fd(), receive_buffer_.data(), receive_buffer_.size(), MSG_DONTWAIT);
        if (len < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return complete;
            if (errno == ENOBUFS) {  // overrun: events were lost; keep reading what is left
                complete = false;
                continue;
            }
            throw KernelError(errno, "netlink receive events");
        }
        int remaining = static_cast<int>(len);
        for (auto* nlh = reinterpret_cast<const nlmsghdr*>(receive_buffer_.data()); mnl_nlmsg_ok(nlh, remaining);
             nlh = mnl_nlmsg_next(nlh, &remaining)) {
            on_message(nlh);
        }
    }
}

}  // namespace ikev2d::kernel
