#include "app/dae_listener.hpp"

#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "util/log.hpp"
#include "util/printable.hpp"

namespace ikev2d::app {

DaeResponder::DaeResponder(aaa::RadiusSettings settings, Find find, Disconnect disconnect, Change change)
    : settings_(std::move(settings)),
      find_(std::move(find)),
      disconnect_(std::move(disconnect)),
      change_(std::move(change)) {}

std::optional<Bytes> DaeResponder::answer(const IpAddress& source, ByteView datagram) {
    // RFC 5176 5.1: only from a known server, checked with that server's secret.
    const aaa::RadiusServer* server = nullptr;
    for (const auto& s : settings_.servers) {
        auto ip = IpAddress::parse(s.host);
        if (ip && *ip == source) {
            server = &s;
            break;
        }
    }
    if (!server) {
        ++refused_;
        LOG_INFO(Platform, "RADIUS dynamic authorization from %s, not a configured server: dropped",
                 source.to_string().c_str());
        return std::nullopt;
    }
    auto parsed = aaa::parse_dae_request(datagram, server->secret);
    if (!parsed) {
        ++refused_;
        LOG_INFO(Platform, "RADIUS dynamic authorization from %s dropped: %s", source.to_string().c_str(),
                 parsed.error().c_str());
        return std::nullopt;
    }
    const aaa::DaeRequest& r = parsed.value();
    auto nak = [&](aaa::DaeErrorCause cause, const char* why) {
        LOG_INFO(Platform, "RADIUS %s from %s refused: %s", r.kind == aaa::DaeKind::Disconnect ? "Disconnect" : "CoA",
                 server->name.c_str(), why);
        return aaa::dae_response(r, false, cause, server->secret);
    };
    if (r.nas_identifier && *r.nas_identifier != settings_.nas_identifier)
        return nak(aaa::DaeErrorCause::NasIdentificationMismatch, "NAS-Identifier is not ours");
    if (!r.identifies_a_session())
        return nak(aaa::DaeErrorCause::MissingAttribute, "no User-Name, Acct-Session-Id or Framed-IP-Address");
    if (r.unsupported_attribute) return nak(aaa::DaeErrorCause::UnsupportedAttribute, "an attribute the gateway does not act on");
    // Its traffic selectors and address came from its group: a live session keeps them.
    if (r.kind == aaa::DaeKind::CoA && r.filter_id)
        return nak(aaa::DaeErrorCause::UnsupportedAttribute, "Filter-Id: a live session does not change its group");
    const std::vector<std::uint32_t> sessions = find_(r);
    if (sessions.empty()) return nak(aaa::DaeErrorCause::SessionContextNotFound, "no such session");
    if (r.kind == aaa::DaeKind::CoA) {
        for (std::uint32_t id : sessions) {
            LOG_ANNOUNCE(Platform, "(%u): RADIUS CoA-Request from %s (user '%s'): session timeout %s, idle timeout %s",
                         id, server->name.c_str(), printable(r.user_name.value_or("")).c_str(),
                         r.session_timeout_s ? (std::to_string(*r.session_timeout_s) + " s").c_str() : "unchanged",
                         r.idle_timeout_s ? (std::to_string(*r.idle_timeout_s) + " s").c_str() : "unchanged");
            change_(id, r);
        }
        return aaa::dae_response(r, true, std::nullopt, server->secret);
    }
    for (std::uint32_t id : sessions) {
        LOG_ANNOUNCE(Platform, "(%u): RADIUS Disconnect-Request from %s (user '%s')", id, server->name.c_str(),
                   printable(r.user_name.value_or("")).c_str());
        disconnect_(id);
    }
    return aaa::dae_response(r, true, std::nullopt, server->secret);
}

DaeListener::DaeListener(net::EventLoop& loop, std::uint16_t port, DaeResponder responder)
    : responder_(std::move(responder)) {
    fd_ = ::socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error(std::string("DAE socket: ") + std::strerror(errno));
    const int off = 0;
    ::setsockopt(fd_, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);  // IPv4 servers too
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_any;
    a.sin6_port = htons(port);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        const int err = errno;
        ::close(fd_);
        throw std::runtime_error("DAE port " + std::to_string(port) + ": " + std::strerror(err));
    }
    source_ = loop.add_io(fd_, EPOLLIN, [this](std::uint32_t) { readable(); });
}

DaeListener::~DaeListener() {
    source_.reset();
    if (fd_ >= 0) ::close(fd_);
}

void DaeListener::readable() {
    // A bounded number per wake-up: a flood cannot keep the loop here.
    for (int i = 0; i < 64; ++i) {
        std::array<std::uint8_t, 4096> buf{};
        sockaddr_in6 from{};
        socklen_t len = sizeof from;
        const ssize_t n = ::recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
        if (n < 0) return;
        IpAddress source;
        if (IN6_IS_ADDR_V4MAPPED(&from.sin6_addr)) {
            source = IpAddress::from_bytes(ByteView(from.sin6_addr.s6_addr + 12, 4));
        } else {
            source = IpAddress::from_bytes(ByteView(from.sin6_addr.s6_addr, 16));
        }
        if (auto reply = responder_.answer(source, ByteView(buf.data(), static_cast<std::size_t>(n))))
            ::sendto(fd_, reply->data(), reply->size(), 0, reinterpret_cast<sockaddr*>(&from), len);
    }
}

}  // namespace ikev2d::app
