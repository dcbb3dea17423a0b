// Test helper: a thread that plays the kernel's side of a netlink socket over a
// SOCK_SEQPACKET socketpair (message boundaries kept, EOF when the daemon's end closes).
// It records every datagram it receives and answers each with what the test's responder
// returns (a list of datagrams, each a byte string of one or more netlink messages).
#pragma once

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

namespace ikev2d::kernel::test {

using Datagram = std::vector<std::uint8_t>;

// The messages of one datagram, as (header, payload bytes) copies.
struct ParsedMessage {
    nlmsghdr header;
    std::vector<std::uint8_t> whole;  // header included
};

inline std::vector<ParsedMessage> parse_datagram(const Datagram& datagram) {
    std::vector<ParsedMessage> out;
    int remaining = static_cast<int>(datagram.size());
    for (auto* nlh = reinterpret_cast<const nlmsghdr*>(datagram.data()); mnl_nlmsg_ok(nlh, remaining);
         nlh = mnl_nlmsg_next(nlh, &remaining)) {
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(nlh);
        out.push_back({*nlh, std::vector<std::uint8_t>(bytes, bytes + nlh->nlmsg_len)});
    }
    if (remaining != 0) throw std::runtime_error("datagram with a partial netlink message");
    return out;
}

// An NLMSG_ERROR answer to `request` (error 0 = the ack), capped like the kernel's with
// NETLINK_CAP_ACK, with an extended-ack text when given.
inline Datagram nl_error(const nlmsghdr& request, int error, const std::string& ext_ack = {}, std::uint32_t pid = 0) {
    Datagram out(MNL_SOCKET_BUFFER_SIZE);
    nlmsghdr* nlh = mnl_nlmsg_put_header(out.data());
    nlh->nlmsg_type = NLMSG_ERROR;
    nlh->nlmsg_seq = request.nlmsg_seq;
    nlh->nlmsg_pid = pid;
    nlh->nlmsg_flags = NLM_F_CAPPED;
    auto* err = static_cast<nlmsgerr*>(mnl_nlmsg_put_extra_header(nlh, sizeof(nlmsgerr)));
    err->error = error;
    err->msg = request;
    if (!ext_ack.empty()) {
        nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
        mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, ext_ack.c_str());
    }
    out.resize(nlh->nlmsg_len);
    return out;
}

inline Datagram concat(std::initializer_list<Datagram> parts) {
    Datagram out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

class FakeNetlinkPeer {
public:
    // Given the datagram received, returns the datagrams to answer with.
    using Responder = std::function<std::vector<Datagram>(const Datagram&)>;

    explicit FakeNetlinkPeer(Responder responder) : responder_(std::move(responder)) {
        int fds[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
            throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
        daemon_fd_ = fds[0];
        peer_fd_ = fds[1];
        thread_ = std::thread([this] { run(); });
    }
    ~FakeNetlinkPeer() {
        if (daemon_fd_ >= 0) close(daemon_fd_);  // not handed over: end the peer's recv
        if (thread_.joinable()) {
            shutdown(peer_fd_, SHUT_RD);
            thread_.join();
        }
        close(peer_fd_);
    }
    FakeNetlinkPeer(const FakeNetlinkPeer&) = delete;
    FakeNetlinkPeer& operator=(const FakeNetlinkPeer&) = delete;

    // The daemon's end, once (NetlinkSocket::Adopt takes ownership).
    int take_daemon_fd() {
        const int fd = daemon_fd_;
        daemon_fd_ = -1;
        return fd;
    }
    // Datagrams received so far.
    std::vector<Datagram> received() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return received_;
    }
    // Sends a datagram the daemon did not ask for (e.g. a late answer to an old request).
    void inject(const Datagram& datagram) const { (void)!send(peer_fd_, datagram.data(), datagram.size(), 0); }

private:
    void run() {
        std::vector<std::uint8_t> buffer(1 << 16);
        for (;;) {
            const ssize_t len = recv(peer_fd_, buffer.data(), buffer.size(), 0);
            if (len <= 0) return;  // the daemon's end closed
            Datagram datagram(buffer.begin(), buffer.begin() + len);
            {
                std::lock_guard<std::mutex> lock(mutex_);
                received_.push_back(datagram);
            }
            for (const auto& answer : responder_(datagram)) inject(answer);
        }
    }

    Responder responder_;
    int daemon_fd_ = -1, peer_fd_ = -1;
    mutable std::mutex mutex_;
    std::vector<Datagram> received_;
    std::thread thread_;
};

}  // namespace ikev2d::kernel::test
