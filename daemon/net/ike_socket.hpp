// The UDP sockets IKE runs on: port 500, and port 4500 for NAT traversal (RFC 3948),
// where IKE messages carry a 4-byte zero "non-ESP marker" and the kernel decapsulates
// ESP-in-UDP itself (UDP_ENCAP_ESPINUDP). Both get per-socket IPsec bypass policies so that
// IKE traffic never enters a tunnel, even one with 0.0.0.0/0 selectors.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "util/bytes.hpp"
#include "util/ip_address.hpp"

namespace ikev2d::net {

struct Datagram {
    Endpoint local;   // the address the peer sent to (IP_PKTINFO), our port
    Endpoint remote;  // the peer's address and port (after any NAT)
    Bytes data;       // the IKE message, without the non-ESP marker
};

struct SocketStats {
    std::uint64_t received = 0;    // IKE messages handed out by receive()
    std::uint64_t sent = 0;
    std::uint64_t keepalives = 0;  // NAT-T keepalives (0xff) dropped
    std::uint64_t dropped = 0;     // too short, truncated, not IKE, unusable address
    std::uint64_t send_errors = 0;
};

class IkeSocket {
public:
    // The IKE length is 28 bytes of header at least (RFC 7296 3.1).
    static constexpr std::size_t kIkeHeaderSize = 28;
    static constexpr std::size_t kNonEspMarkerSize = 4;

    // One socket per (address, port) in listen, or per (family, port) when listen is empty
    // (any address; IPv6 is left out when the host has none). Port 0 binds a free port
    // (for tests). Throws std::system_error naming the address and port on failure.
    static std::vector<std::unique_ptr<IkeSocket>> open_all(const std::vector<IpAddress>& listen, std::uint16_t ike_port,
                                                            std::uint16_t natt_port);
    // One socket; natt = prepend/strip the non-ESP marker and enable UDP_ENCAP.
    static std::unique_ptr<IkeSocket> open(const IpAddress& address, std::uint16_t port, bool natt);

    ~IkeSocket();
    IkeSocket(const IkeSocket&) = delete;
    IkeSocket& operator=(const IkeSocket&) = delete;

    int fd() const noexcept { return fd_; }
    std::uint16_t port() const noexcept { return port_; }
    bool is_natt() const noexcept { return natt_; }
    int family() const noexcept { return address_.family; }
    const IpAddress& address() const noexcept { return address_; }  // bound address (may be any)

    // Kernel features that may be missing (no CAP_NET_ADMIN, kernel without XFRM): the
    // socket works without them, but then IKE could be tunnelled / ESP-in-UDP not
    // decapsulated. Failures are logged when the socket is opened.
    bool has_bypass_policy() const noexcept { return bypass_; }
    bool has_udp_encap() const noexcept { return udp_encap_; }

    // The next IKE message, or nullopt when nothing is waiting (EAGAIN). Datagrams that
    // are dropped (keepalive, shorter than an IKE header, truncated, ESP on the NAT-T
    // port) are skipped. Non-blocking: call it while the fd is readable or has_buffered().
    // The kernel is asked for up to kReceiveBatch datagrams at once (recvmmsg): one system
    // call per batch instead of one per datagram under load.
    std::optional<Datagram> receive();
    // Datagrams already taken from the kernel and not yet handed out: the fd may not be
    // readable while these wait, so a caller that stops draining early must come back.
    bool has_buffered() const noexcept { return next_slot_ < slots_filled_; }
    static constexpr std::size_t kReceiveBatch = 16;

    // Sends from the given local address (IP_PKTINFO; "any" lets the kernel choose),
    // prepending the non-ESP marker on the NAT-T port. False (and logged) on failure.
    bool send(const Endpoint& local, const Endpoint& remote, ByteView ike_message);

    const SocketStats& stats() const noexcept { return stats_; }

private:
    IkeSocket(int fd, IpAddress address, std::uint16_t port, bool natt) noexcept;
    void set_bypass_policy();
    void set_udp_encap();
    void prepare_receive_batch();
    std::optional<Datagram> take_slot(std::size_t slot);
    struct ReceiveSlots;  // recvmmsg's headers, addresses and control buffers

    int fd_ = -1;
    IpAddress address_;
    std::uint16_t port_ = 0;
    bool natt_ = false;
    bool bypass_ = false;
    bool udp_encap_ = false;
    SocketStats stats_;
    // kReceiveBatch buffers of the largest UDP datagram each, left uninitialised: only
    // the pages the kernel writes into become resident.
    std::unique_ptr<std::uint8_t[]> buffers_;
    std::unique_ptr<ReceiveSlots> slots_;
    std::size_t slots_filled_ = 0;  // datagrams the last recvmmsg returned
    std::size_t next_slot_ = 0;     // the next of them to hand out
};

}  // namespace ikev2d::net
