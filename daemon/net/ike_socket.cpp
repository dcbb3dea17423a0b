#include "net/ike_socket.hpp"

// netinet/in.h first: the uapi headers then skip their own in6_addr definitions.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/ipsec.h>
#include <linux/udp.h>
#include <linux/xfrm.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

#include "util/log.hpp"

namespace ikev2d::net {
namespace {

constexpr std::size_t kMaxDatagram = 65535;
constexpr std::uint8_t kKeepalive = 0xff;  // RFC 3948 2.3

std::string where(const IpAddress& address, std::uint16_t port) { return Endpoint{address, port}.to_string(); }

[[noreturn]] void throw_errno(int err, const std::string& what) {
    throw std::system_error(err, std::generic_category(), what);
}

// Closes the fd unless ownership is handed on (release()).
class FdGuard {
public:
    explicit FdGuard(int fd) noexcept : fd_(fd) {}
    ~FdGuard() {
        if (fd_ >= 0) ::close(fd_);
    }
    FdGuard(const FdGuard&) = delete;
    FdGuard& operator=(const FdGuard&) = delete;
    int get() const noexcept { return fd_; }
    int release() noexcept { return std::exchange(fd_, -1); }

private:
    int fd_;
};

void set_int_option(int fd, int level, int name, int value, const std::string& what) {
    if (::setsockopt(fd, level, name, &value, sizeof value) != 0) throw_errno(errno, what);
}

// A reconnect storm (every client at once after a restart) arrives faster than one loop
// iteration drains it: the default 208 KiB receive buffer dropped a third of 200 clients'
// IKE_SA_INITs (tests/bench storm), each costing its client a 2 s retransmission. 4 MiB;
// SO_RCVBUFFORCE passes net.core.rmem_max with CAP_NET_ADMIN (which the daemon has),
// SO_RCVBUF (capped at rmem_max) otherwise. Not fatal: a small buffer only drops more.
void enlarge_receive_buffer(int fd, const std::string& name) {
    constexpr int kReceiveBuffer = 4 << 20;
    if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &kReceiveBuffer, sizeof kReceiveBuffer) == 0) return;
    if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kReceiveBuffer, sizeof kReceiveBuffer) != 0)
        LOG_INFO(Platform, "receive buffer of %s left at the default: %s", name.c_str(), std::strerror(errno));
}

}  // namespace

std::unique_ptr<IkeSocket> IkeSocket::open(const IpAddress& address, std::uint16_t port, bool natt) {
    const int family = address.family;
    const std::string name = where(address, port);
    FdGuard fd(::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP));
    if (fd.get() < 0) throw_errno(errno, "socket for " + name);

    if (family == AF_INET6) {
        // Separate IPv4 and IPv6 sockets, so that IPv4 peers never appear as ::ffff:a.b.c.d.
        set_int_option(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY on " + name);
        set_int_option(fd.get(), IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO on " + name);
    } else {
        set_int_option(fd.get(), IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO on " + name);
    }

    enlarge_receive_buffer(fd.get(), name);

    sockaddr_storage sa{};
    const socklen_t len = Endpoint{address, port}.to_sockaddr(sa);
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&sa), len) != 0) throw_errno(errno, "bind " + name);

    sockaddr_storage bound{};
    socklen_t bound_len = sizeof bound;
    if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &bound_len) != 0)
        throw_errno(errno, "getsockname " + name);
    auto actual = Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&bound), bound_len);
    if (!actual) throw std::runtime_error("getsockname " + name + ": unexpected address family");

    std::unique_ptr<IkeSocket> socket(new IkeSocket(fd.release(), address, actual->port, natt));
    socket->prepare_receive_batch();
    socket->set_bypass_policy();
    if (natt) socket->set_udp_encap();
    LOG_INFO(Platform, "listening on %s%s", where(address, socket->port_).c_str(), natt ? " (NAT-T)" : "");
    return socket;
}

std::vector<std::unique_ptr<IkeSocket>> IkeSocket::open_all(const std::vector<IpAddress>& listen, std::uint16_t ike_port,
                                                           std::uint16_t natt_port) {
    std::vector<std::unique_ptr<IkeSocket>> sockets;
    auto open_pair = [&](const IpAddress& address) {
        sockets.push_back(open(address, ike_port, false));
        sockets.push_back(open(address, natt_port, true));
    };
    if (!listen.empty()) {
        for (const auto& address : listen) open_pair(address);
        return sockets;
    }
    open_pair(IpAddress::any(AF_INET));
    try {
        open_pair(IpAddress::any(AF_INET6));
    } catch (const std::system_error& e) {
        // A host (or container) without IPv6 still serves IPv4.
        if (e.code().value() != EAFNOSUPPORT && e.code().value() != EADDRNOTAVAIL) throw;
        LOG_INFO(Platform, "IPv6 not available, listening on IPv4 only: %s", e.what());
        while (sockets.size() > 2) sockets.pop_back();
    }
    return sockets;
}

struct IkeSocket::ReceiveSlots {
    mmsghdr headers[kReceiveBatch];
    iovec iov[kReceiveBatch];
    sockaddr_storage from[kReceiveBatch];
    alignas(cmsghdr) std::uint8_t control[kReceiveBatch][CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(in_pktinfo))];
};

IkeSocket::IkeSocket(int fd, IpAddress address, std::uint16_t port, bool natt) noexcept
    : fd_(fd), address_(address), port_(port), natt_(natt) {}

void IkeSocket::prepare_receive_batch() {
    buffers_.reset(new std::uint8_t[kReceiveBatch * kMaxDatagram]);
    slots_ = std::make_unique<ReceiveSlots>();
}

IkeSocket::~IkeSocket() {
    if (fd_ >= 0) ::close(fd_);
}

void IkeSocket::set_bypass_policy() {
    // A socket policy with action ALLOW in each direction exempts this socket's traffic from
    // the SPD, as strongSwan and iked do: otherwise a 0.0.0.0/0 tunnel would swallow IKE.
    xfrm_userpolicy_info policy{};
    policy.action = XFRM_POLICY_ALLOW;
    policy.sel.family = static_cast<std::uint16_t>(family());
    const int level = family() == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
    const int option = family() == AF_INET6 ? IPV6_XFRM_POLICY : IP_XFRM_POLICY;
    bypass_ = true;
    for (std::uint8_t dir : {std::uint8_t{XFRM_POLICY_IN}, std::uint8_t{XFRM_POLICY_OUT}}) {
        policy.dir = dir;
        if (::setsockopt(fd_, level, option, &policy, sizeof policy) != 0) {
            const int err = errno;
            LOG_ERR(Platform, "%s: cannot set the IPsec bypass policy (%s): IKE may be sent into a tunnel",
                    where(address_, port_).c_str(), std::strerror(err));
            bypass_ = false;
            return;
        }
    }
}

void IkeSocket::set_udp_encap() {
    // The kernel then takes ESP-in-UDP off this socket and hands only non-ESP-marked
    // datagrams (IKE) to us; keepalives it eats itself.
    int type = UDP_ENCAP_ESPINUDP;
    if (::setsockopt(fd_, IPPROTO_UDP, UDP_ENCAP, &type, sizeof type) != 0) {
        const int err = errno;
        LOG_ERR(Platform, "%s: cannot enable UDP_ENCAP (%s): ESP in UDP will not be decapsulated",
                where(address_, port_).c_str(), std::strerror(err));
        return;
    }
    udp_encap_ = true;
}

std::optional<Datagram> IkeSocket::receive() {
    for (;;) {
        while (next_slot_ < slots_filled_)
            if (auto d = take_slot(next_slot_++)) return d;
        ReceiveSlots& r = *slots_;
        for (std::size_t i = 0; i < kReceiveBatch; ++i) {
            r.iov[i] = {buffers_.get() + i * kMaxDatagram, kMaxDatagram};
            msghdr& msg = r.headers[i].msg_hdr;
            msg = msghdr{};
            msg.msg_name = &r.from[i];
            msg.msg_namelen = sizeof r.from[i];
            msg.msg_iov = &r.iov[i];
            msg.msg_iovlen = 1;
            msg.msg_control = r.control[i];
            msg.msg_controllen = sizeof r.control[i];
            r.headers[i].msg_len = 0;
        }
        slots_filled_ = next_slot_ = 0;
        const int n = ::recvmmsg(fd_, r.headers, kReceiveBatch, MSG_DONTWAIT, nullptr);
        if (n <= 0) {
            const int err = errno;
            if (n < 0 && err != EAGAIN && err != EWOULDBLOCK && err != EINTR)
                LOG_ERR(Platform, "%s: recvmmsg: %s", where(address_, port_).c_str(), std::strerror(err));
            return std::nullopt;
        }
        slots_filled_ = static_cast<std::size_t>(n);
    }
}

std::optional<Datagram> IkeSocket::take_slot(std::size_t slot) {
    msghdr& msg = slots_->headers[slot].msg_hdr;
    const std::size_t n = slots_->headers[slot].msg_len;
    auto remote = Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(msg.msg_name), msg.msg_namelen);
    if (!remote || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
        ++stats_.dropped;
        LOG_DUMP(Platform, "%s: dropped a truncated datagram or one without a usable source",
                 where(address_, port_).c_str());
        return std::nullopt;
    }

    Endpoint local{address_, port_};
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO && c->cmsg_len >= CMSG_LEN(sizeof(in_pktinfo))) {
            in_pktinfo info;
            std::memcpy(&info, CMSG_DATA(c), sizeof info);
            local.addr = IpAddress::from_bytes(ByteView(reinterpret_cast<const std::uint8_t*>(&info.ipi_addr), 4));
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
                   c->cmsg_len >= CMSG_LEN(sizeof(in6_pktinfo))) {
            in6_pktinfo info;
            std::memcpy(&info, CMSG_DATA(c), sizeof info);
            local.addr = IpAddress::from_bytes(ByteView(reinterpret_cast<const std::uint8_t*>(&info.ipi6_addr), 16));
        }
    }

    ByteView data(buffers_.get() + slot * kMaxDatagram, n);
    if (natt_) {
        if (data.size() == 1 && data[0] == kKeepalive) {
            ++stats_.keepalives;
            LOG_TRACE(Platform, "%s: NAT-T keepalive from %s", where(address_, port_).c_str(), remote->to_string().c_str());
            return std::nullopt;
        }
        // Anything without the zero marker is ESP the kernel did not take (no UDP_ENCAP).
        if (data.size() < kNonEspMarkerSize || std::any_of(data.begin(), data.begin() + kNonEspMarkerSize,
                                                            [](std::uint8_t b) { return b != 0; })) {
            ++stats_.dropped;
            LOG_DUMP(Platform, "%s: dropped %zu bytes without a non-ESP marker from %s", where(address_, port_).c_str(),
                     data.size(), remote->to_string().c_str());
            return std::nullopt;
        }
        data = data.subspan(kNonEspMarkerSize);
    }
    if (data.size() < kIkeHeaderSize) {
        ++stats_.dropped;
        LOG_DUMP(Platform, "%s: dropped %zu bytes from %s: shorter than an IKE header", where(address_, port_).c_str(),
                 data.size(), remote->to_string().c_str());
        return std::nullopt;
    }
    ++stats_.received;
    return Datagram{local, *remote, Bytes(data.begin(), data.end())};
}

bool IkeSocket::send(const Endpoint& local, const Endpoint& remote, ByteView ike_message) {
    if (remote.addr.family != family() || (!local.addr.is_any() && local.addr.family != family())) {
        ++stats_.send_errors;
        LOG_ERR(Platform, "%s: cannot send from %s to %s: wrong address family", where(address_, port_).c_str(),
                local.to_string().c_str(), remote.to_string().c_str());
        return false;
    }
    sockaddr_storage to{};
    const socklen_t to_len = remote.to_sockaddr(to);

    static const std::uint8_t kMarker[kNonEspMarkerSize] = {0, 0, 0, 0};
    iovec iov[2];
    std::size_t iov_count = 0;
    if (natt_) iov[iov_count++] = {const_cast<std::uint8_t*>(kMarker), sizeof kMarker};
    iov[iov_count++] = {const_cast<std::uint8_t*>(ike_message.data()), ike_message.size()};

    alignas(cmsghdr) std::uint8_t control[CMSG_SPACE(sizeof(in6_pktinfo))] = {};
    msghdr msg{};
    msg.msg_name = &to;
    msg.msg_namelen = to_len;
    msg.msg_iov = iov;
    msg.msg_iovlen = iov_count;
    if (!local.addr.is_any()) {
        // Answer from the address the request came to: with several addresses the kernel's
        // choice might differ, and the peer would not recognise the reply.
        msg.msg_control = control;
        cmsghdr* c;
        if (family() == AF_INET6) {
            msg.msg_controllen = CMSG_SPACE(sizeof(in6_pktinfo));
            c = CMSG_FIRSTHDR(&msg);
            c->cmsg_level = IPPROTO_IPV6;
            c->cmsg_type = IPV6_PKTINFO;
            c->cmsg_len = CMSG_LEN(sizeof(in6_pktinfo));
            in6_pktinfo info{};
            std::memcpy(&info.ipi6_addr, local.addr.bytes.data(), 16);
            std::memcpy(CMSG_DATA(c), &info, sizeof info);
        } else {
            msg.msg_controllen = CMSG_SPACE(sizeof(in_pktinfo));
            c = CMSG_FIRSTHDR(&msg);
            c->cmsg_level = IPPROTO_IP;
            c->cmsg_type = IP_PKTINFO;
            c->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
            in_pktinfo info{};
            std::memcpy(&info.ipi_spec_dst, local.addr.bytes.data(), 4);
            std::memcpy(CMSG_DATA(c), &info, sizeof info);
        }
    }

    const std::size_t total = ike_message.size() + (natt_ ? kNonEspMarkerSize : 0);
    const ssize_t n = ::sendmsg(fd_, &msg, MSG_DONTWAIT);
    if (n < 0 || static_cast<std::size_t>(n) != total) {
        const int err = n < 0 ? errno : EMSGSIZE;
        ++stats_.send_errors;
        LOG_ERR(Platform, "%s: send %zu bytes from %s to %s: %s", where(address_, port_).c_str(), total,
                local.to_string().c_str(), remote.to_string().c_str(), std::strerror(err));
        return false;
    }
    ++stats_.sent;
    return true;
}

}  // namespace ikev2d::net
