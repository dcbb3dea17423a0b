// util/log: the syslog priority of each kind of line, the IKEV2D_* journal fields,
// and the JOURNAL_STREAM check, through an injected journal-send function.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "util/log.hpp"

using namespace ikev2d;

namespace {

std::vector<std::map<std::string, std::string>> g_sent;

int capture(const struct iovec* iov, int n) {
    std::map<std::string, std::string> fields;
    for (int i = 0; i < n; ++i) {
        std::string f(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len);
        auto eq = f.find('=');
        REQUIRE(eq != std::string::npos);
        REQUIRE(fields.count(f.substr(0, eq)) == 0);
        fields[f.substr(0, eq)] = f.substr(eq + 1);
    }
    g_sent.push_back(fields);
    return 0;
}

struct Capture {
    Capture() {
        g_sent.clear();
        log::set_sink(nullptr);
        log::set_journal_send(&capture);
        log::set_level(log::Category::Platform, log::kExchange);
    }
    ~Capture() { log::set_journal_send(nullptr); }
};

int g_built = 0;
log::LogFields counted_fields() {
    ++g_built;
    return log::LogFields{};
}

}  // namespace

TEST_CASE("log: each kind of line gets its syslog priority") {
    Capture c;
    LOG_ERR(Platform, "kernel said no");
    LOG_ANNOUNCE(Platform, "started");
    LOG_EXCH(Platform, "exchange");
    REQUIRE(g_sent.size() == 3);
    CHECK(g_sent[0]["PRIORITY"] == "3");
    CHECK(g_sent[0]["MESSAGE"] == "IKEv2-PLAT-1: kernel said no");
    CHECK(g_sent[1]["PRIORITY"] == "5");
    CHECK(g_sent[1]["MESSAGE"] == "IKEv2-PLAT-1: started");
    CHECK(g_sent[2]["PRIORITY"] == "6");
    CHECK(g_sent[2]["IKEV2D_CATEGORY"] == "platform");
    CHECK(g_sent[2]["IKEV2D_LEVEL"] == "2");
    CHECK(g_sent[2].count("IKEV2D_USER") == 0);
}

TEST_CASE("log: session fields reach the journal") {
    Capture c;
    log::LogFields f;
    f.event = "session-up";
    f.session = 42;
    f.user = "alice";
    f.peer = "192.0.2.7:4500";
    f.spi_i = 0x0123456789abcdefull;
    f.spi_r = 0xfedcba9876543210ull;
    IKEV2D_LOG_FIELDS(Platform, log::kExchange, Info, f, "(%u): connection UP", 42u);
    REQUIRE(g_sent.size() == 1);
    auto& s = g_sent[0];
    CHECK(s["MESSAGE"] == "IKEv2-PLAT-2: (42): connection UP");
    CHECK(s["PRIORITY"] == "6");
    CHECK(s["IKEV2D_EVENT"] == "session-up");
    CHECK(s["IKEV2D_SESSION"] == "42");
    CHECK(s["IKEV2D_USER"] == "alice");
    CHECK(s["IKEV2D_PEER"] == "192.0.2.7:4500");
    CHECK(s["IKEV2D_SPI_I"] == "0123456789ABCDEF");
    CHECK(s["IKEV2D_SPI_R"] == "FEDCBA9876543210");
    CHECK(s.count("IKEV2D_BYTES_IN") == 0);  // accounting only when asked for
    CHECK(s["SYSLOG_IDENTIFIER"] == "ikev2d");
}

TEST_CASE("log: accounting fields") {
    Capture c;
    log::LogFields f;
    f.event = "session-accounting";
    f.user = "bob";
    f.accounting = true;
    f.assigned = "10.9.0.2";
    f.reason = "peer deleted the IKE SA";
    f.duration_s = 3600;
    f.bytes_in = 0;
    f.bytes_out = 123456789012ull;
    IKEV2D_LOG_FIELDS(Platform, log::kError, Notice, f, "accounting");
    REQUIRE(g_sent.size() == 1);
    auto& s = g_sent[0];
    CHECK(s["PRIORITY"] == "5");
    CHECK(s["IKEV2D_ASSIGNED_ADDRESS"] == "10.9.0.2");
    CHECK(s["IKEV2D_REASON"] == "peer deleted the IKE SA");
    CHECK(s["IKEV2D_DURATION_S"] == "3600");
    CHECK(s["IKEV2D_BYTES_IN"] == "0");
    CHECK(s["IKEV2D_BYTES_OUT"] == "123456789012");
}

TEST_CASE("log: fields are not built when the level is off") {
    Capture c;
    g_built = 0;
    IKEV2D_LOG_FIELDS(Platform, log::kDump, Info, counted_fields(), "off");
    CHECK(g_built == 0);
    CHECK(g_sent.empty());
    IKEV2D_LOG_FIELDS(Platform, log::kExchange, Info, counted_fields(), "on");
    CHECK(g_built == 1);
    CHECK(g_sent.size() == 1);
}

TEST_CASE("log: JOURNAL_STREAM must name the very stream") {
    char path[] = "/tmp/ikev2d-log-XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    unlink(path);
    struct stat st{};
    REQUIRE(fstat(fd, &st) == 0);
    const std::string same = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
    const std::string other = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino + 1);
    CHECK(log::stream_is_journal(same.c_str(), fd));
    CHECK_FALSE(log::stream_is_journal(other.c_str(), fd));
    CHECK_FALSE(log::stream_is_journal(nullptr, fd));
    CHECK_FALSE(log::stream_is_journal("garbage", fd));
    CHECK_FALSE(log::stream_is_journal((same + "x").c_str(), fd));
    close(fd);
}

TEST_CASE("log: a line on stderr is one write (stamp, text and newline together)") {
    // A packet-mode pipe (O_DIRECT) returns one write(2) per read(2): the first read
    // must hold the whole line, not only its time stamp.
    log::set_sink(nullptr);
    log::set_journal_send(nullptr);
    log::set_level(log::Category::Platform, log::kExchange);
    int fds[2];
    REQUIRE(pipe2(fds, O_DIRECT | O_NONBLOCK) == 0);
    std::fflush(stderr);
    const int saved = dup(STDERR_FILENO);
    REQUIRE(saved >= 0);
    REQUIRE(dup2(fds[1], STDERR_FILENO) == STDERR_FILENO);
    LOG_EXCH(Platform, "one write %d", 42);
    dup2(saved, STDERR_FILENO);
    close(saved);
    char buf[4096];
    const ssize_t n = read(fds[0], buf, sizeof buf);
    close(fds[0]);
    close(fds[1]);
    REQUIRE(n > 0);
    const std::string first(buf, static_cast<std::size_t>(n));
    const std::string text = "IKEv2-PLAT-2: one write 42\n";
    REQUIRE(first.size() >= text.size());
    CHECK(first.substr(first.size() - text.size()) == text);
    // Outside journald: "HH:MM:SS.mmm " in front.
    if (first.size() > text.size()) CHECK(first.size() == text.size() + 13);
}
