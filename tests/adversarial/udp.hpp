// A blocking IPv4 UDP socket with receive timeouts, for the adversarial programs and the
// benchmark's load generator (tests/bench).
#pragma once

#include <netinet/in.h>

#include <optional>
#include <string>

#include "bytes.hpp"

namespace adversarial {

using peer::Bytes;
using peer::ByteView;

struct Address {
    sockaddr_in sin{};
    static Address parse(const std::string& ip, std::uint16_t port);  // throws on a bad address
    std::string to_string() const;
};

class UdpSocket {
public:
    // Bound to `local` (port 0: any); throws std::system_error.
    explicit UdpSocket(const Address& local);
    ~UdpSocket();
    UdpSocket(const UdpSocket&) = delete;
    UdpSocket& operator=(const UdpSocket&) = delete;

    bool send_to(const Address& to, ByteView data) const;
    // The next datagram within timeout_ms, or nullopt.
    std::optional<Bytes> receive(int timeout_ms, Address* from = nullptr) const;
    // The next queued datagram into `buffer` without waiting: its part holding the
    // datagram, nullopt when none is queued (for event loops over many sockets).
    std::optional<ByteView> receive_now(std::span<std::uint8_t> buffer, Address* from = nullptr) const;
    void drain() const;  // discards what is queued
    int fd() const { return fd_; }

private:
    int fd_ = -1;
};

// Monotonic seconds.
double now_s();

}  // namespace adversarial
