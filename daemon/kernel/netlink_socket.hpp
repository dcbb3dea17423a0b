// One RAII netlink socket (libmnl) with request/ack and dump round trips. Every
// request is sent with NLM_F_ACK and completes only on the kernel's ack; a negative
// nlmsgerr becomes a KernelError naming the operation, the errno and, when the kernel
// sends one, its extended-ack message.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <libmnl/libmnl.h>

#include "kernel/netlink_batch.hpp"
#include "kernel/netlink_message.hpp"
#include "util/bytes.hpp"

namespace ikev2d::kernel {

class NetlinkSocket {
public:
    using MessageHandler = std::function<void(const nlmsghdr*)>;

    // bus: NETLINK_XFRM / NETLINK_ROUTE. groups: multicast groups to join (numbers,
    // e.g. XFRMNLGRP_EXPIRE); a socket with groups is non-blocking and used with drain().
    // Throws KernelError when the socket cannot be opened.
    explicit NetlinkSocket(int bus, std::initializer_list<unsigned> groups = {});
    // Takes over an open datagram socket that plays the kernel (tests: one end of a
    // socketpair); closes it on destruction.
    struct Adopt {
        int fd;
    };
    explicit NetlinkSocket(Adopt adopt);
    ~NetlinkSocket();
    NetlinkSocket(const NetlinkSocket&) = delete;
    NetlinkSocket& operator=(const NetlinkSocket&) = delete;

    int fd() const noexcept;

    // Sends msg and waits for its ack; replies that precede the ack go to on_reply.
    void request(NlMessage& msg, const std::string& operation, const MessageHandler& on_reply = {});
    // Sends the batch's requests, as few datagrams as fit (NetlinkBatch: one sendmsg of
    // consecutive messages), and collects every answer before it returns, so that none
    // is left for the next request. Each request's outcome is in the batch; throws
    // nothing for a refused request. A request that could not be sent is Failed, one
    // whose answer never came is Unknown; after either, the rest are not sent (Failed).
    void request_batch(NlBatch& batch);
    // Sends a NLM_F_DUMP request and hands every entry to on_entry until NLMSG_DONE.
    void dump(NlMessage& msg, const std::string& operation, const MessageHandler& on_entry);
    // Reads what is queued (non-blocking sockets) and hands each message to on_message.
    // Returns false if the kernel dropped messages for lack of buffer space (ENOBUFS).
    bool drain(const MessageHandler& on_message);

private:
    void send(NlMessage& msg, const std::string& operation);
    // Receives until the answer to seq is complete (ack or NLMSG_DONE).
    void receive_answer(std::uint32_t seq, const std::string& operation, const MessageHandler& on_message);

    mnl_socket* socket_ = nullptr;
    std::uint32_t portid_ = 0;
    std::uint32_t next_seq_ = 1;
    SecureBytes receive_buffer_;  // GETSA answers carry keys
};

}  // namespace ikev2d::kernel
