#include "udp.hpp"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <system_error>

namespace adversarial {

Address Address::parse(const std::string& ip, std::uint16_t port) {
    Address a;
    a.sin.sin_family = AF_INET;
    a.sin.sin_port = htons(port);
    if (inet_pton(AF_INET, ip.c_str(), &a.sin.sin_addr) != 1) throw std::invalid_argument("not an IPv4 address: " + ip);
    return a;
}

std::string Address::to_string() const {
    char buf[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &sin.sin_addr, buf, sizeof buf);
    return std::string(buf) + ":" + std::to_string(ntohs(sin.sin_port));
}

UdpSocket::UdpSocket(const Address& local) {
    fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
    int size = 4 << 20;
    setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    if (bind(fd_, reinterpret_cast<const sockaddr*>(&local.sin), sizeof local.sin) != 0) {
        int e = errno;
        close(fd_);
        throw std::system_error(e, std::generic_category(), "bind " + local.to_string());
    }
}

UdpSocket::~UdpSocket() {
    if (fd_ >= 0) close(fd_);
}

bool UdpSocket::send_to(const Address& to, ByteView data) const {
    return sendto(fd_, data.data(), data.size(), 0, reinterpret_cast<const sockaddr*>(&to.sin), sizeof to.sin) ==
           static_cast<ssize_t>(data.size());
}

std::optional<Bytes> UdpSocket::receive(int timeout_ms, Address* from) const {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms < 0 ? 0 : timeout_ms) <= 0) return std::nullopt;
    Bytes buf(65536);
    sockaddr_in src{};
    socklen_t len = sizeof src;
    ssize_t n = recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&src), &len);
    if (n < 0) return std::nullopt;
    buf.resize(static_cast<std::size_t>(n));
    if (from) from->sin = src;
    return buf;
}

std::optional<ByteView> UdpSocket::receive_now(std::span<std::uint8_t> buffer, Address* from) const {
    sockaddr_in src{};
    socklen_t len = sizeof src;
    ssize_t n = recvfrom(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&src), &len);
    if (n < 0) return std::nullopt;
    if (from) from->sin = src;
    return ByteView(buffer.data(), static_cast<std::size_t>(n));
}

void UdpSocket::drain() const {
    while (receive(0)) {
    }
}

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace adversarial
