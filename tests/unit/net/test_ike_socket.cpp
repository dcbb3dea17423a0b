#include <catch2/catch.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <system_error>

#include "net/ike_socket.hpp"

using namespace ikev2d;
using namespace ikev2d::net;

namespace {

IpAddress ip(const char* text) { return IpAddress::from_string(text); }

// A plain UDP socket playing the remote peer.
class Peer {
public:
    explicit Peer(const IpAddress& address) : fd_(::socket(address.family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
        REQUIRE(fd_ >= 0);
        sockaddr_storage sa{};
        socklen_t len = Endpoint{address, 0}.to_sockaddr(sa);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&sa), len) == 0);
        len = sizeof sa;
        REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len) == 0);
        endpoint_ = *Endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&sa), len);
    }
    ~Peer() { ::close(fd_); }
    Peer(const Peer&) = delete;
    Peer& operator=(const Peer&) = delete;

    const Endpoint& endpoint() const { return endpoint_; }

    void send_to(const Endpoint& to, const Bytes& data) {
        sockaddr_storage sa{};
        socklen_t len = to.to_sockaddr(sa);
        REQUIRE(::sendto(fd_, data.data(), data.size(), 0, reinterpret_cast<sockaddr*>(&sa), len) ==
                static_cast<ssize_t>(data.size()));
    }

    // Waits up to a second; returns the datagram and who sent it.
    std::pair<Bytes, Endpoint> receive() {
        pollfd p{fd_, POLLIN, 0};
        REQUIRE(::poll(&p, 1, 1000) == 1);
        Bytes buf(65536);
        sockaddr_storage sa{};
        socklen_t len = sizeof sa;
        ssize_t n = ::recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&sa), &len);
        REQUIRE(n >= 0);
        buf.resize(static_cast<std::size_t>(n));
        return {buf, *Endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&sa), len)};
    }

private:
    int fd_;
    Endpoint endpoint_;
};

// Polls the socket until receive() returns a message or `ms` pass.
std::optional<Datagram> receive_within(IkeSocket& s, int ms = 1000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < deadline) {
        if (auto d = s.receive()) return d;
        pollfd p{s.fd(), POLLIN, 0};
        ::poll(&p, 1, 50);
    }
    return std::nullopt;
}

// Something shaped like an IKE message: 28-byte header and a little more.
Bytes ike_message(std::uint8_t fill, std::size_t size = 40) {
    Bytes m(size, fill);
    m[0] = 0x01;  // a non-zero SPI byte: must not be mistaken for a marker
    return m;
}

Bytes with_marker(const Bytes& m) {
    Bytes out(IkeSocket::kNonEspMarkerSize + m.size(), 0);
    std::copy(m.begin(), m.end(), out.begin() + IkeSocket::kNonEspMarkerSize);
    return out;
}

}  // namespace

TEST_CASE("IKE socket: receive reports the local address, reply goes out from it", "[net][socket]") {
    auto ike = IkeSocket::open(IpAddress::any(AF_INET), 0, false);
    REQUIRE(ike);
    CHECK_FALSE(ike->is_natt());
    CHECK(ike->port() != 0);
    CHECK(ike->family() == AF_INET);
    CHECK((::fcntl(ike->fd(), F_GETFD) & FD_CLOEXEC));
    CHECK((::fcntl(ike->fd(), F_GETFL) & O_NONBLOCK));
    CHECK_FALSE(ike->receive());  // nothing waiting: EAGAIN, no blocking

    Peer peer(ip("127.0.0.1"));
    const Bytes request = ike_message(0xaa);
    // 127.0.0.2 is a local address too; the socket, bound to any, must tell which one was used.
    peer.send_to({ip("127.0.0.2"), ike->port()}, request);
    auto d = receive_within(*ike);
    REQUIRE(d);
    CHECK(d->data == request);
    CHECK(d->local == Endpoint{ip("127.0.0.2"), ike->port()});
    CHECK(d->remote == peer.endpoint());

    const Bytes response = ike_message(0xbb, 60);
    REQUIRE(ike->send(d->local, d->remote, response));
    auto [got, from] = peer.receive();
    CHECK(got == response);  // no marker on port 500
    CHECK(from == d->local);
    CHECK(ike->stats().received == 1);
    CHECK(ike->stats().sent == 1);
}

TEST_CASE("NAT-T socket: marker stripped and added, keepalives and short datagrams dropped", "[net][socket]") {
    auto natt = IkeSocket::open(ip("127.0.0.1"), 0, true);
    REQUIRE(natt);
    CHECK(natt->is_natt());
    if (!natt->has_udp_encap()) WARN("UDP_ENCAP not available on this kernel");
    if (!natt->has_bypass_policy()) WARN("IPsec bypass policy not available (no CAP_NET_ADMIN or no XFRM)");
    const Endpoint natt_ep{ip("127.0.0.1"), natt->port()};

    Peer peer(ip("127.0.0.1"));
    const Bytes message = ike_message(0x5a);

    peer.send_to(natt_ep, Bytes{0xff});                     // NAT-T keepalive
    peer.send_to(natt_ep, with_marker(Bytes(10, 0x77)));    // marker, but too short for IKE
    peer.send_to(natt_ep, Bytes{0, 0, 0});                  // shorter than the marker
    peer.send_to(natt_ep, with_marker(message));            // a real IKE message

    // Only the IKE message comes out, without its marker.
    std::optional<Datagram> d;
    for (int i = 0; i < 4 && !d; ++i) d = receive_within(*natt, 300);
    REQUIRE(d);
    CHECK(d->data == message);
    CHECK(d->local == natt_ep);
    CHECK(d->remote == peer.endpoint());
    CHECK_FALSE(receive_within(*natt, 100));
    CHECK(natt->stats().received == 1);
    CHECK(natt->stats().dropped >= 2);

    REQUIRE(natt->send(d->local, d->remote, message));
    auto [got, from] = peer.receive();
    CHECK(got == with_marker(message));
    CHECK(from == natt_ep);
}

TEST_CASE("IKE port does not strip anything", "[net][socket]") {
    auto ike = IkeSocket::open(ip("127.0.0.1"), 0, false);
    Peer peer(ip("127.0.0.1"));
    const Bytes marked = with_marker(ike_message(0x11));
    peer.send_to({ip("127.0.0.1"), ike->port()}, marked);
    auto d = receive_within(*ike);
    REQUIRE(d);
    CHECK(d->data == marked);

    peer.send_to({ip("127.0.0.1"), ike->port()}, Bytes(27, 0x01));  // one short of a header
    CHECK_FALSE(receive_within(*ike, 200));
    CHECK(ike->stats().dropped == 1);
}

TEST_CASE("send refuses an address of the other family", "[net][socket]") {
    auto ike = IkeSocket::open(ip("127.0.0.1"), 0, false);
    CHECK_FALSE(ike->send({ip("127.0.0.1"), ike->port()}, {ip("::1"), 500}, ike_message(1)));
    CHECK(ike->stats().send_errors == 1);
}

TEST_CASE("open_all: IKE and NAT-T sockets per family, errors name the address", "[net][socket]") {
    auto sockets = IkeSocket::open_all({}, 0, 0);
    REQUIRE((sockets.size() == 2 || sockets.size() == 4));
    CHECK(sockets[0]->family() == AF_INET);
    CHECK_FALSE(sockets[0]->is_natt());
    CHECK(sockets[1]->is_natt());
    CHECK(sockets[0]->address().is_any());

    if (sockets.size() == 4) {
        CHECK(sockets[2]->family() == AF_INET6);
        // IPv6 loopback round trip through the NAT-T socket.
        IkeSocket& natt6 = *sockets[3];
        REQUIRE(natt6.is_natt());
        Peer peer(ip("::1"));
        const Bytes message = ike_message(0x66);
        peer.send_to({ip("::1"), natt6.port()}, with_marker(message));
        auto d = receive_within(natt6);
        REQUIRE(d);
        CHECK(d->data == message);
        CHECK(d->local == Endpoint{ip("::1"), natt6.port()});
        REQUIRE(natt6.send(d->local, d->remote, message));
        CHECK(peer.receive().first == with_marker(message));
    }

    auto listen = IkeSocket::open_all({ip("127.0.0.1")}, 0, 0);
    REQUIRE(listen.size() == 2);
    CHECK(listen[0]->address() == ip("127.0.0.1"));

    // A port already taken: the error says which.
    const std::uint16_t taken = listen[0]->port();
    try {
        IkeSocket::open(ip("127.0.0.1"), taken, false);
        FAIL("bind to a taken port succeeded");
    } catch (const std::system_error& e) {
        CHECK(e.code().value() == EADDRINUSE);
        CHECK_THAT(e.what(), Catch::Contains("127.0.0.1:" + std::to_string(taken)));
    }
}

TEST_CASE("IKE socket: a burst is handed out in order across receive batches, dropped datagrams skipped", "[net][socket]") {
    auto ike = IkeSocket::open(ip("127.0.0.1"), 0, false);
    Peer peer(ip("127.0.0.1"));
    const Endpoint to{ip("127.0.0.1"), ike->port()};
    // More than two recvmmsg batches, with datagrams too short for IKE among them: each
    // of those is dropped without ending the drain (a caller stops at the first nullopt).
    constexpr int kMessages = 2 * static_cast<int>(IkeSocket::kReceiveBatch) + 5;
    std::vector<Bytes> sent;
    for (int i = 0; i < kMessages; ++i) {
        if (i % 7 == 3) peer.send_to(to, Bytes(5, 0x01));
        sent.push_back(ike_message(static_cast<std::uint8_t>(i), 40 + static_cast<std::size_t>(i)));
        peer.send_to(to, sent.back());
    }
    pollfd p{ike->fd(), POLLIN, 0};
    REQUIRE(::poll(&p, 1, 1000) == 1);
    std::vector<Bytes> got;
    while (auto d = ike->receive()) {
        got.push_back(d->data);
        CHECK(d->remote == peer.endpoint());
        CHECK(d->local == to);
    }
    CHECK_FALSE(ike->has_buffered());
    CHECK(got == sent);
    CHECK(ike->stats().received == static_cast<std::uint64_t>(kMessages));
    CHECK(ike->stats().dropped == static_cast<std::uint64_t>((kMessages + 3) / 7));
}
