// Test helper: a "bus" on a unix socket that accepts connections, completes the SASL
// handshake as dbus-daemon does (DATA / OK <guid> / AGREE_UNIX_FD) and then reads and
// never answers: the client's Hello waits forever, as with a wedged dbus-daemon. Each
// connection is closed after `hang`, or when the helper is destroyed.
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace ikev2d::control::test {

class HangingBus {
public:
    explicit HangingBus(std::chrono::milliseconds hang) : hang_(hang) {
        char dir_template[] = "/tmp/ikev2d-hanging-bus.XXXXXX";
        if (!mkdtemp(dir_template)) throw std::runtime_error("mkdtemp");
        dir_ = dir_template;
        path_ = dir_ + "/bus";
        listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path_.c_str());
        if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 ||
            listen(listen_fd_, 16) < 0)
            throw std::runtime_error(std::string("hanging bus: ") + std::strerror(errno));
        thread_ = std::thread([this] { run(); });
    }
    ~HangingBus() {
        stop_ = true;
        thread_.join();
        close(listen_fd_);
        unlink(path_.c_str());
        rmdir(dir_.c_str());
    }
    HangingBus(const HangingBus&) = delete;
    HangingBus& operator=(const HangingBus&) = delete;

    std::string address() const { return "unix:path=" + path_; }
    int connections() const { return connections_; }
    // Connections that finished the handshake and sent a message (the Hello) after BEGIN.
    int hellos_ignored() const { return hellos_; }

private:
    struct Client {
        int fd;
        std::chrono::steady_clock::time_point accepted;
        std::string pending;  // handshake bytes not yet a full line
        bool begun = false;
        bool counted = false;
    };

    void run() {
        std::vector<Client> clients;
        while (!stop_) {
            std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
            for (const auto& c : clients) fds.push_back({c.fd, POLLIN, 0});
            poll(fds.data(), fds.size(), 20);
            if (fds[0].revents & POLLIN) {
                const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
                if (fd >= 0) {
                    clients.push_back({fd, std::chrono::steady_clock::now(), {}, false, false});
                    ++connections_;
                }
            }
            for (std::size_t i = 0; i < clients.size(); ++i) {
                if (i + 1 < fds.size() && (fds[i + 1].revents & (POLLIN | POLLHUP))) {
                    if (!serve(clients[i])) clients[i].accepted = {};  // closed by the client
                }
            }
            const auto now = std::chrono::steady_clock::now();
            for (auto it = clients.begin(); it != clients.end();) {
                if (it->accepted == std::chrono::steady_clock::time_point{} || now - it->accepted >= hang_) {
                    close(it->fd);
                    it = clients.erase(it);
                } else {
                    ++it;
                }
            }
        }
        for (const auto& c : clients) close(c.fd);
    }

    // False when the client closed the connection.
    bool serve(Client& c) {
        char buffer[4096];
        const ssize_t n = recv(c.fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n == 0) return false;
        if (n < 0) return true;
        if (c.begun) {
            if (!c.counted) {
                c.counted = true;
                ++hellos_;
            }
            return true;  // swallowed: never answered
        }
        c.pending.append(buffer, static_cast<std::size_t>(n));
        std::size_t end;
        while (!c.begun && (end = c.pending.find("\r\n")) != std::string::npos) {
            std::string line = c.pending.substr(0, end);
            c.pending.erase(0, end + 2);
            if (!line.empty() && line[0] == '\0') line.erase(0, 1);
            std::string reply;
            if (line.rfind("AUTH", 0) == 0)
                reply = line.find(' ', 5) != std::string::npos ? kOk : "DATA\r\n";  // with or without initial response
            else if (line.rfind("DATA", 0) == 0)
                reply = kOk;
            else if (line == "NEGOTIATE_UNIX_FD")
                reply = "AGREE_UNIX_FD\r\n";
            else if (line == "BEGIN")
                c.begun = true;
            if (!reply.empty()) (void)!send(c.fd, reply.data(), reply.size(), MSG_NOSIGNAL);
        }
        if (c.begun && !c.pending.empty() && !c.counted) {  // the Hello came with BEGIN
            c.counted = true;
            ++hellos_;
        }
        return true;
    }

    static constexpr const char* kOk = "OK 0123456789abcdef0123456789abcdef\r\n";
    std::chrono::milliseconds hang_;
    std::string dir_, path_;
    int listen_fd_ = -1;
    std::atomic<bool> stop_{false};
    std::atomic<int> connections_{0}, hellos_{0};
    std::thread thread_;
};

}  // namespace ikev2d::control::test
