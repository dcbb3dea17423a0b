#include "services/https_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <list>
#include <stdexcept>
#include <system_error>

#include "services/http_request.hpp"
#include "util/log.hpp"
#include "util/thread_signals.hpp"

namespace ikev2d::services {
namespace {

struct Fd {
    int fd = -1;
    Fd() = default;
    explicit Fd(int f) : fd(f) {}
    Fd(Fd&& o) noexcept : fd(std::exchange(o.fd, -1)) {}
    Fd& operator=(Fd&& o) noexcept {
        if (this != &o) {
            reset();
            fd = std::exchange(o.fd, -1);
        }
        return *this;
    }
    ~Fd() { reset(); }
    void reset() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

std::uint64_t now_ms() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

void check_gnutls(int rc, const char* what) {
    if (rc < 0) throw std::runtime_error(std::string("client services: ") + what + ": " + gnutls_strerror(rc));
}

Fd listen_socket(const HttpsServerOptions& o) {
    sockaddr_storage ss{};
    socklen_t len = 0;
    int family = AF_INET6;
    if (o.address.find(':') != std::string::npos) {
        auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(o.port);
        if (inet_pton(AF_INET6, o.address.c_str(), &a->sin6_addr) != 1)
            throw std::runtime_error("client services: bad listen address '" + o.address + "'");
        len = sizeof *a;
    } else {
        family = AF_INET;
        auto* a = reinterpret_cast<sockaddr_in*>(&ss);
        a->sin_family = AF_INET;
        a->sin_port = htons(o.port);
        if (inet_pton(AF_INET, o.address.c_str(), &a->sin_addr) != 1)
            throw std::runtime_error("client services: bad listen address '" + o.address + "'");
        len = sizeof *a;
    }
    Fd s(::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (s.fd < 0) throw std::system_error(errno, std::generic_category(), "client services: socket");
    int one = 1, zero = 0;
    ::setsockopt(s.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (family == AF_INET6) ::setsockopt(s.fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    if (::bind(s.fd, reinterpret_cast<sockaddr*>(&ss), len) != 0)
        throw std::system_error(errno, std::generic_category(), "client services: bind port " + std::to_string(o.port));
    if (::listen(s.fd, 64) != 0) throw std::system_error(errno, std::generic_category(), "client services: listen");
    return s;
}

std::uint16_t bound_port(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return 0;
    if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
}

struct Connection {
    enum class Phase { Handshake, Reading, Writing } phase = Phase::Handshake;
    Fd fd;
    gnutls_session_t session = nullptr;
    std::string in, out;
    std::size_t sent = 0;
    std::uint64_t deadline_ms = 0;
    bool done = false;
    ~Connection() {
        if (session) gnutls_deinit(session);
    }
};

}  // namespace

struct HttpsServer::Impl {
    HttpsServerOptions options;
    Handler handler;
    gnutls_certificate_credentials_t credentials = nullptr;
    Fd listener, wake;
    std::list<Connection> connections;
    ~Impl() {
        connections.clear();
        if (credentials) gnutls_certificate_free_credentials(credentials);
    }

    void accept_all(std::atomic<std::uint64_t>& refused);
    void step(Connection& c);
    short wanted_events(const Connection& c) const {
        return gnutls_record_get_direction(c.session) == 1 ? POLLOUT : POLLIN;
    }
};

HttpsServer::HttpsServer(const HttpsServerOptions& options, const std::vector<crypto::Certificate>& chain,
                         const crypto::PrivateKey& key, Handler handler)
    : impl_(std::make_unique<Impl>()) {
    if (chain.empty()) throw std::runtime_error("client services: no gateway certificate");
    impl_->options = options;
    impl_->handler = std::move(handler);
    check_gnutls(gnutls_certificate_allocate_credentials(&impl_->credentials), "credentials");
    // The key is copied into the credentials (GnuTLS keeps its own copies of both).
    gnutls_x509_privkey_t x509_key = nullptr;
    check_gnutls(gnutls_privkey_export_x509(key.native(), &x509_key), "exporting the gateway key");
    std::vector<gnutls_x509_crt_t> certs;
    for (const auto& c : chain) certs.push_back(c.native());
    const int rc = gnutls_certificate_set_x509_key(impl_->credentials, certs.data(), static_cast<int>(certs.size()), x509_key);
    gnutls_x509_privkey_deinit(x509_key);
    check_gnutls(rc, "setting the certificate and key");
    impl_->listener = listen_socket(options);
    port_ = bound_port(impl_->listener.fd);
    impl_->wake = Fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (impl_->wake.fd < 0) throw std::system_error(errno, std::generic_category(), "client services: eventfd");
    const util::ProcessSignalsBlocked inherited;  // the thread starts with them blocked
    thread_ = std::thread([this] {
        util::block_process_signals();
        run();
    });
}

HttpsServer::~HttpsServer() {
    const std::uint64_t one = 1;
    if (::write(impl_->wake.fd, &one, sizeof one) < 0) { /* the thread then ends at its next timeout */ }
    if (thread_.joinable()) thread_.join();
}

void HttpsServer::Impl::accept_all(std::atomic<std::uint64_t>& refused) {
    for (;;) {
        Fd fd(::accept4(listener.fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (fd.fd < 0) return;  // EAGAIN, or an error for this one client only
        if (connections.size() >= options.max_connections) {
            ++refused;  // closed at once: the bound holds whoever connects
            continue;
        }
        Connection& c = connections.emplace_back();
        c.fd = std::move(fd);
        c.deadline_ms = now_ms() + options.connection_timeout_ms;
        if (gnutls_init(&c.session, GNUTLS_SERVER | GNUTLS_NONBLOCK) < 0 || gnutls_set_default_priority(c.session) < 0 ||
            gnutls_credentials_set(c.session, GNUTLS_CRD_CERTIFICATE, credentials) < 0) {
            c.done = true;
            continue;
        }
        gnutls_certificate_server_set_request(c.session, GNUTLS_CERT_IGNORE);
        gnutls_transport_set_int(c.session, c.fd.fd);
        gnutls_handshake_set_timeout(c.session, 0);
    }
}

void HttpsServer::Impl::step(Connection& c) {
    for (;;) {
        switch (c.phase) {
            case Connection::Phase::Handshake: {
                const int rc = gnutls_handshake(c.session);
                if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) return;
                if (rc < 0) {
                    LOG_INFO(Platform, "client services: TLS handshake failed: %s", gnutls_strerror(rc));
                    c.done = true;
                    return;
                }
                c.phase = Connection::Phase::Reading;
                break;
            }
            case Connection::Phase::Reading: {
                char buffer[2048];
                const ssize_t n = gnutls_record_recv(c.session, buffer, sizeof buffer);
                if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) return;
                if (n <= 0) {
                    c.done = true;  // closed or an error before a whole request
                    return;
                }
                c.in.append(buffer, static_cast<std::size_t>(n));
                const auto end = c.in.find("\r\n\r\n");
                if (end == std::string::npos) {
                    if (c.in.size() > kMaxRequestHead) c.done = true;  // no answer to an endless head
                    break;
                }
                if (end + 4 > kMaxRequestHead) {
                    c.done = true;
                    return;
                }
                try {
                    c.out = handler(std::string_view(c.in).substr(0, end + 4));
                } catch (const std::exception& e) {
                    LOG_ERR(Platform, "client services: handler failed: %s", e.what());
                    c.out = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                }
                c.phase = Connection::Phase::Writing;
                break;
            }
            case Connection::Phase::Writing: {
                if (c.sent < c.out.size()) {
                    const ssize_t n = gnutls_record_send(c.session, c.out.data() + c.sent, c.out.size() - c.sent);
                    if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) return;
                    if (n < 0) {
                        c.done = true;
                        return;
                    }
                    c.sent += static_cast<std::size_t>(n);
                    break;
                }
                const int rc = gnutls_bye(c.session, GNUTLS_SHUT_WR);
                if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) return;
                c.done = true;
                return;
            }
        }
    }
}

void HttpsServer::run() {
    Impl& s = *impl_;
    std::vector<pollfd> fds;
    std::vector<Connection*> order;
    for (;;) {
        fds.clear();
        order.clear();
        fds.push_back({s.wake.fd, POLLIN, 0});
        fds.push_back({s.listener.fd, POLLIN, 0});
        std::uint64_t next_deadline = UINT64_MAX;
        for (auto& c : s.connections) {
            fds.push_back({c.fd.fd, s.wanted_events(c), 0});
            order.push_back(&c);
            next_deadline = std::min(next_deadline, c.deadline_ms);
        }
        const std::uint64_t now = now_ms();
        const int timeout = next_deadline == UINT64_MAX ? -1 : static_cast<int>(next_deadline > now ? next_deadline - now : 0);
        if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) {
            LOG_ERR(Platform, "client services: poll: %s", std::strerror(errno));
            return;
        }
        if (fds[0].revents != 0) return;  // asked to stop
        for (std::size_t i = 0; i < order.size(); ++i)
            if (fds[i + 2].revents != 0) s.step(*order[i]);
        if (fds[1].revents & POLLIN) {
            std::uint64_t before = refused_.load();
            s.accept_all(refused_);
            for (auto& c : s.connections)
                if (c.phase == Connection::Phase::Handshake && !c.done && c.in.empty()) s.step(c);
            if (refused_.load() != before)
                LOG_INFO(Platform, "client services: %llu connections refused at the limit of %zu",
                         static_cast<unsigned long long>(refused_.load() - before), s.options.max_connections);
        }
        const std::uint64_t after = now_ms();
        s.connections.remove_if([after](const Connection& c) { return c.done || after >= c.deadline_ms; });
    }
}

}  // namespace ikev2d::services
