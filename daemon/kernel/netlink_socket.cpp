#include "kernel/netlink_socket.hpp"

#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <ctime>
#include <vector>

#include "kernel/kernel_ipsec.hpp"

namespace ikev2d::kernel {

namespace {

// Large enough for one datagram of a big dump (the kernel fills up to ~32 KiB).
constexpr std::size_t kReceiveBufferSize = 65536;
// A kernel that does not answer within this time is treated as an error, not a hang.
constexpr time_t kReplyTimeoutSeconds = 5;
// One datagram of a batch at most: its acks (capped, with extended-ack TLVs, about 1 KiB
// of receive buffer each as the kernel accounts them) must fit the default receive
// buffer (~208 KiB), and the datagram its send buffer.
constexpr std::size_t kMaxBatchRequests = 64;
constexpr std::size_t kMaxBatchBytes = 64 * 1024;

void set_receive_timeout(int fd) {
    timeval timeout{kReplyTimeoutSeconds, 0};
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) < 0)
        throw KernelError(errno, "netlink SO_RCVTIMEO");
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
        set_receive_timeout(mnl_socket_get_fd(socket_));
    } catch (...) {
        mnl_socket_close(socket_);
        throw;
    }
    portid_ = mnl_socket_get_portid(socket_);
}

NetlinkSocket::NetlinkSocket(Adopt adopt) : receive_buffer_(kReceiveBufferSize) {
    socket_ = mnl_socket_fdopen(adopt.fd);
    if (!socket_) {
        const int err = errno;
        close(adopt.fd);
        throw KernelError(err, "netlink socket (adopted)");
    }
    try {
        set_receive_timeout(adopt.fd);
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
    // No destination address: an unconnected netlink socket sends to the kernel.
    if (::send(fd(), bytes.data(), bytes.size(), 0) < 0) throw KernelError(errno, operation, "send");
}

void NetlinkSocket::request(NlMessage& msg, const std::string& operation, const MessageHandler& on_reply) {
    msg.header()->nlmsg_flags |= NLM_F_ACK;
    send(msg, operation);
    receive_answer(msg.header()->nlmsg_seq, operation, on_reply);
}

void NetlinkSocket::request_batch(NlBatch& batch) {
    const std::size_t count = batch.size();
    if (count == 0) return;
    // One batch's sequence numbers are consecutive; never 0.
    if (next_seq_ > UINT32_MAX - count) next_seq_ = 1;
    batch.number(next_seq_, portid_);
    next_seq_ += static_cast<std::uint32_t>(count);
    if (next_seq_ == 0) next_seq_ = 1;

    const NlReceive receive = [this](void* buffer, std::size_t size, int flags) {
        return recv(fd(), buffer, size, flags | MSG_TRUNC);
    };
    std::vector<iovec> parts;
    for (std::size_t begin = 0, end = 0; begin < count; begin = end) {
        parts.clear();
        std::size_t bytes = 0;
        for (end = begin; end < count && end - begin < kMaxBatchRequests; ++end) {
            const ByteView message = batch.message(end).bytes();
            if (end > begin && bytes + message.size() > kMaxBatchBytes) break;
            bytes += message.size();
            parts.push_back({const_cast<std::uint8_t*>(message.data()), message.size()});
        }
        msghdr datagram{};
        datagram.msg_iov = parts.data();
        datagram.msg_iovlen = parts.size();
        ssize_t sent;
        do {
            sent = sendmsg(fd(), &datagram, 0);
        } while (sent < 0 && errno == EINTR);
        if (sent < 0) {  // the kernel took none of this datagram
            batch.settle_pending(begin, count, NlOutcome::State::Failed, errno, "send");
            return;
        }
        receive_batch_answers(batch, begin, end, receive, receive_buffer_.span());
        for (std::size_t i = begin; i < end; ++i) {
            if (batch.outcome(i).state == NlOutcome::State::Unknown) {
                batch.settle_pending(end, count, NlOutcome::State::Failed, ECANCELED,
                                     "not sent: an earlier request of the batch got no answer");
                return;
            }
        }
    }
}

void NetlinkSocket::dump(NlMessage& msg, const std::string& operation, const MessageHandler& on_entry) {
    // No NLM_F_ACK: a dump ends with NLMSG_DONE (the kernel sends no ack for dumps).
    msg.header()->nlmsg_flags |= NLM_F_DUMP;
    send(msg, operation);
    receive_answer(msg.header()->nlmsg_seq, operation, on_entry);
}

void NetlinkSocket::receive_answer(std::uint32_t seq, const std::string& operation, const MessageHandler& on_message) {
    for (;;) {
        const ssize_t len = recv(fd(), receive_buffer_.data(), receive_buffer_.size(), MSG_TRUNC);
        if (len < 0) {
            if (errno == EINTR) continue;
            throw KernelError(errno == EAGAIN ? ETIMEDOUT : errno, operation, "receive");
        }
        if (static_cast<std::size_t>(len) > receive_buffer_.size()) throw KernelError(EMSGSIZE, operation, "receive");
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
