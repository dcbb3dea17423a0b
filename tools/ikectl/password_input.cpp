#include "ikectl/password_input.hpp"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

#include "util/bytes.hpp"

namespace ikev2d::ikectl {

namespace {

// Restores the terminal's echo on every way out, exceptions included.
class EchoOff {
public:
    explicit EchoOff(int fd) : fd_(fd) {
        if (tcgetattr(fd_, &saved_) != 0)
            return;
        termios quiet = saved_;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        active_ = tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
    }
    ~EchoOff() {
        if (active_)
            tcsetattr(fd_, TCSAFLUSH, &saved_);
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    int fd_;
    termios saved_{};
    bool active_ = false;
};

}  // namespace

std::string read_password(const char* prompt) {
    const bool tty = isatty(STDIN_FILENO) == 1;
    std::string line;
    {
        std::unique_ptr<EchoOff> echo_off;
        if (tty) {
            std::fputs(prompt, stderr);
            std::fflush(stderr);
            echo_off = std::make_unique<EchoOff>(STDIN_FILENO);
        }
        // Byte by byte from the fd: no stdio buffer keeps a copy of the password.
        for (;;) {
            char c;
            const ssize_t n = ::read(STDIN_FILENO, &c, 1);
            if (n < 0) {
                secure_wipe(line.data(), line.size());
                throw std::runtime_error("cannot read the password");
            }
            if (n == 0 || c == '\n')
                break;
            if (line.size() == line.capacity()) {
                // Grow by hand so that no unwiped copy is left behind in freed memory.
                std::string bigger;
                bigger.reserve(line.capacity() * 2 + 16);
                bigger.assign(line);
                secure_wipe(line.data(), line.size());
                line.swap(bigger);
            }
            line.push_back(c);
        }
    }
    if (tty)
        std::fputc('\n', stderr);
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    if (line.empty())
        throw std::runtime_error("empty password");
    return line;
}

}  // namespace ikev2d::ikectl
