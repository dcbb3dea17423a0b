// Several netlink requests sent together: one datagram of consecutive nlmsghdrs, each
// with NLM_F_ACK and its own sequence number, and their answers matched back to them by
// sequence number. The kernel handles every message of the datagram in turn and acks
// each one; a negative nlmsgerr is the error of that request alone (the others may well
// have succeeded). NetlinkSocket::request_batch sends a batch; this file holds the
// bookkeeping, apart from any socket, so that tests can drive it with scripted answers.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kernel/netlink_message.hpp"

namespace ikev2d::kernel {

// What became of one request of a batch.
struct NlOutcome {
    enum class State {
        Pending,  // not answered yet
        Acked,    // the kernel acked it: it is applied
        Failed,   // refused (negative nlmsgerr) or never sent: it is not applied
        Unknown,  // no answer (timeout, answers dropped on ENOBUFS): it may be applied
    };
    State state = State::Pending;
    int err = 0;         // Failed / Unknown: the errno
    std::string detail;  // the kernel's extended-ack text, or why the outcome is unknown
};

class NlBatch {
public:
    using MessageHandler = std::function<void(const nlmsghdr*)>;

    // Adds a request (NLM_F_ACK is set on it); operation names it in errors, e.g.
    // "XFRM_MSG_NEWSA spi 0xc0000001 dst 203.0.113.1". Replies other than the ack (the
    // NEWSA answer to ALLOCSPI) go to on_reply. Returns the request's index.
    std::size_t add(NlMessage msg, std::string operation, MessageHandler on_reply = {});

    std::size_t size() const noexcept { return requests_.size(); }
    bool empty() const noexcept { return requests_.empty(); }
    const std::string& operation(std::size_t i) const { return requests_.at(i).operation; }
    const NlMessage& message(std::size_t i) const { return requests_.at(i).msg; }
    const NlOutcome& outcome(std::size_t i) const { return requests_.at(i).outcome; }

    // --- for the socket that sends the batch ---
    // Numbers the requests first_seq, first_seq + 1, ... and stamps answers must carry portid.
    void number(std::uint32_t first_seq, std::uint32_t portid) noexcept;
    std::uint32_t first_seq() const noexcept { return first_seq_; }
    // Hands one received message to the batch. False when it is no answer to one of its
    // requests (another sequence number or port, e.g. a late answer to an earlier request
    // that timed out): the caller skips it.
    bool accept(const nlmsghdr* nlh);
    bool pending(std::size_t begin, std::size_t end) const noexcept;
    // Requests of [begin, end) still pending get state (Failed or Unknown), err and detail.
    void settle_pending(std::size_t begin, std::size_t end, NlOutcome::State state, int err, const std::string& detail);

    // The first request that was not acked, if any.
    std::optional<std::size_t> first_failure() const noexcept;

private:
    struct Request {
        NlMessage msg;
        std::string operation;
        MessageHandler on_reply;
        NlOutcome outcome;
    };
    std::vector<Request> requests_;
    std::uint32_t first_seq_ = 0;
    std::uint32_t portid_ = 0;
};

// Receives the answers to requests [begin, end) of batch, sent already, until each is
// acked or refused. receive(buffer, size, flags) is recv(2) on the socket (flags:
// MSG_DONTWAIT or 0; it returns the datagram's real size, MSG_TRUNC style, when larger
// than the buffer). Blocking receives end with the socket's timeout (EAGAIN): the
// requests still pending are then Unknown (ETIMEDOUT). ENOBUFS means the kernel dropped
// answers for lack of buffer space: what is still queued is read without waiting and
// the requests left unanswered are Unknown (ENOBUFS). Nothing of this batch's answers
// is left in the socket for the next request either way: all answers to a request sent
// to the kernel are queued before its sendmsg returns.
using NlReceive = std::function<ssize_t(void* buffer, std::size_t size, int flags)>;
void receive_batch_answers(NlBatch& batch, std::size_t begin, std::size_t end, const NlReceive& receive,
                           std::span<std::uint8_t> buffer);

}  // namespace ikev2d::kernel
