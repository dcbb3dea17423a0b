// A small HTTPS server for the client-services endpoint: GnuTLS with the gateway's
// certificate and key, on a thread of its own so that the event loop never waits on a
// client. Non-blocking sockets under poll(); bounded connections, request heads and time
// per connection; one request per connection (Connection: close).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "crypto/private_key.hpp"
#include "crypto/x509.hpp"

namespace ikev2d::services {

struct HttpsServerOptions {
    std::string address = "::";  // "::" = every address (dual stack), else one IPv4/IPv6 address
    std::uint16_t port = 443;    // 0: any free port (tests), see HttpsServer::port()
    std::size_t max_connections = 64;
    std::uint32_t connection_timeout_ms = 10000;  // handshake, request and answer together
};

class HttpsServer {
public:
    // The whole response to one request head (up to and including its blank line).
    using Handler = std::function<std::string(std::string_view head)>;

    // Binds and starts the thread; throws std::system_error / std::runtime_error.
    HttpsServer(const HttpsServerOptions& options, const std::vector<crypto::Certificate>& chain,
                const crypto::PrivateKey& key, Handler handler);
    ~HttpsServer();
    HttpsServer(const HttpsServer&) = delete;
    HttpsServer& operator=(const HttpsServer&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    std::uint64_t connections_refused() const noexcept { return refused_.load(); }

private:
    struct Impl;
    void run();

    std::unique_ptr<Impl> impl_;
    std::uint16_t port_ = 0;
    std::atomic<std::uint64_t> refused_{0};
    std::thread thread_;
};

}  // namespace ikev2d::services
