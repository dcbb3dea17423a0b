// Shared by the RADIUS tests: a UDP socket on 127.0.0.1 (a server that never answers, or
// the receiving end of radclient's requests), and the text of the private FreeRADIUS's
// accounting detail files (tests/aaa/with-freeradius.sh sets IKEV2D_RADIUS_DIR).
#pragma once

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace radius_test {

struct LoopbackUdp {
    int fd = -1;
    std::uint16_t port = 0;
    LoopbackUdp() {
        fd = ::socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        socklen_t len = sizeof a;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
    }
    ~LoopbackUdp() { ::close(fd); }
    LoopbackUdp(const LoopbackUdp&) = delete;
    LoopbackUdp& operator=(const LoopbackUdp&) = delete;
};

inline std::string detail_files_text() {
    std::string all;
    const char* dir = std::getenv("IKEV2D_RADIUS_DIR");
    REQUIRE(dir != nullptr);
    const auto root = std::filesystem::path(dir) / "log" / "radacct";
    if (!std::filesystem::exists(root)) return all;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
        if (!e.is_regular_file()) continue;
        std::ifstream in(e.path());
        std::stringstream ss;
        ss << in.rdbuf();
        all += ss.str();
    }
    return all;
}

}  // namespace radius_test
