#include "kernel/netlink_batch.hpp"

#include <linux/netlink.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

namespace ikev2d::kernel {

std::size_t NlBatch::add(NlMessage msg, std::string operation, MessageHandler on_reply) {
    msg.header()->nlmsg_flags |= NLM_F_ACK;
    requests_.push_back({std::move(msg), std::move(operation), std::move(on_reply), {}});
    return requests_.size() - 1;
}

void NlBatch::number(std::uint32_t first_seq, std::uint32_t portid) noexcept {
    first_seq_ = first_seq;
    portid_ = portid;
    for (std::size_t i = 0; i < requests_.size(); ++i) {
        requests_[i].msg.header()->nlmsg_seq = first_seq + static_cast<std::uint32_t>(i);
        requests_[i].outcome = {};
    }
}

bool NlBatch::accept(const nlmsghdr* nlh) {
    // Unsigned arithmetic: a batch whose numbers wrap past 2^32 still maps back.
    const std::uint32_t index = nlh->nlmsg_seq - first_seq_;
    if (index >= requests_.size() || nlh->nlmsg_pid != portid_) return false;
    Request& request = requests_[index];
    if (request.outcome.state != NlOutcome::State::Pending) return true;  // a duplicate: the first answer stands
    switch (nlh->nlmsg_type) {
        case NLMSG_NOOP: break;
        case NLMSG_ERROR: {
            if (mnl_nlmsg_get_payload_len(nlh) < sizeof(nlmsgerr)) {
                // Which request it answers is known, whether it failed is not.
                request.outcome = {NlOutcome::State::Unknown, EBADMSG, "truncated netlink error"};
                break;
            }
            const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
            if (err->error == 0)
                request.outcome = {NlOutcome::State::Acked, 0, {}};
            else
                request.outcome = {NlOutcome::State::Failed, err->error < 0 ? -err->error : EPROTO,
                                   extended_ack_message(nlh, err)};
            break;
        }
        case NLMSG_DONE: break;  // dumps end so; batches carry no dumps
        default:
            if (request.on_reply) request.on_reply(nlh);
    }
    return true;
}

bool NlBatch::pending(std::size_t begin, std::size_t end) const noexcept {
    end = std::min(end, requests_.size());
    for (std::size_t i = begin; i < end; ++i)
        if (requests_[i].outcome.state == NlOutcome::State::Pending) return true;
    return false;
}

void NlBatch::settle_pending(std::size_t begin, std::size_t end, NlOutcome::State state, int err,
                             const std::string& detail) {
    end = std::min(end, requests_.size());
    for (std::size_t i = begin; i < end; ++i)
        if (requests_[i].outcome.state == NlOutcome::State::Pending) requests_[i].outcome = {state, err, detail};
}

std::optional<std::size_t> NlBatch::first_failure() const noexcept {
    for (std::size_t i = 0; i < requests_.size(); ++i)
        if (requests_[i].outcome.state != NlOutcome::State::Acked) return i;
    return std::nullopt;
}

void receive_batch_answers(NlBatch& batch, std::size_t begin, std::size_t end, const NlReceive& receive,
                           std::span<std::uint8_t> buffer) {
    bool overrun = false;
    while (batch.pending(begin, end)) {
        const ssize_t len = receive(buffer.data(), buffer.size(), overrun ? MSG_DONTWAIT : 0);
        if (len < 0) {
            const int err = errno;
            if (err == EINTR) continue;
            if (err == ENOBUFS) {  // answers were dropped; read the ones still queued
                overrun = true;
                continue;
            }
            if (err == EAGAIN || err == EWOULDBLOCK) {
                if (overrun)
                    batch.settle_pending(begin, end, NlOutcome::State::Unknown, ENOBUFS,
                                         "answer dropped: netlink receive buffer overrun");
                else
                    batch.settle_pending(begin, end, NlOutcome::State::Unknown, ETIMEDOUT, "no answer");
                return;
            }
            batch.settle_pending(begin, end, NlOutcome::State::Unknown, err, "receive");
            return;
        }
        // A datagram larger than the buffer was cut: its complete messages still count.
        int remaining = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(len), buffer.size()));
        for (auto* nlh = reinterpret_cast<const nlmsghdr*>(buffer.data()); mnl_nlmsg_ok(nlh, remaining);
             nlh = mnl_nlmsg_next(nlh, &remaining)) {
            batch.accept(nlh);
        }
    }
}

}  // namespace ikev2d::kernel
