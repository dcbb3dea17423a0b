// Log records in the journal's native protocol: MESSAGE, PRIORITY and the IKEV2D_*
// fields of util/log_record.hpp, one iovec each.
#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>

#include <array>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "util/log_record.hpp"

namespace ikev2d::log {
namespace {

const char* category_field(Category c) {
    switch (c) {
        case Category::Protocol: return "protocol";
        case Category::Platform: return "platform";
        case Category::Eap: return "eap";
        default: return "?";
    }
}

// Collects "NAME=value" fields; the strings stay put (reserved) while the iovecs point at them.
class Fields {
public:
    Fields() { strings_.reserve(kMax); }
    void text(const char* name, std::string_view value) {
        if (value.empty() || strings_.size() == kMax) return;
        strings_.push_back(std::string(name) + "=" + std::string(value));
    }
    void number(const char* name, std::uint64_t value) {
        text(name, std::to_string(value));
    }
    void spi(const char* name, std::uint64_t value) {
        if (value == 0) return;
        char buf[17];
        std::snprintf(buf, sizeof buf, "%016" PRIX64, value);
        text(name, buf);
    }
    int send(JournalSendFn fn) {
        std::array<iovec, kMax> iov{};
        for (std::size_t i = 0; i < strings_.size(); ++i) iov[i] = {strings_[i].data(), strings_[i].size()};
        return fn(iov.data(), static_cast<int>(strings_.size()));
    }

private:
    static constexpr std::size_t kMax = 20;
    std::vector<std::string> strings_;
};

}  // namespace

int send_to_journal(const Record& r, JournalSendFn send) {
    Fields f;
    f.text("MESSAGE", r.line);
    f.number("PRIORITY", static_cast<std::uint64_t>(r.priority));
    f.text("SYSLOG_IDENTIFIER", "ikev2d");
    f.text("IKEV2D_CATEGORY", category_field(r.category));
    f.number("IKEV2D_LEVEL", static_cast<std::uint64_t>(r.level < 0 ? 0 : r.level));
    if (const LogFields* x = r.fields) {
        f.text("IKEV2D_EVENT", x->event);
        if (x->session != 0) f.number("IKEV2D_SESSION", x->session);
        f.text("IKEV2D_USER", x->user);
        f.text("IKEV2D_PEER", x->peer);
        f.spi("IKEV2D_SPI_I", x->spi_i);
        f.spi("IKEV2D_SPI_R", x->spi_r);
        if (x->accounting) {
            f.text("IKEV2D_ASSIGNED_ADDRESS", x->assigned);
            f.text("IKEV2D_REASON", x->reason);
            f.number("IKEV2D_DURATION_S", x->duration_s);
            f.number("IKEV2D_BYTES_IN", x->bytes_in);
            f.number("IKEV2D_BYTES_OUT", x->bytes_out);
        }
    }
    return f.send(send);
}

JournalSendFn system_journal_send() noexcept { return &sd_journal_sendv; }

bool stream_is_journal(const char* journal_stream, int fd) noexcept {
    if (!journal_stream) return false;
    unsigned long long dev = 0, ino = 0;
    char extra = 0;
    if (std::sscanf(journal_stream, "%llu:%llu%c", &dev, &ino, &extra) != 2) return false;
    struct stat st{};
    if (fstat(fd, &st) != 0) return false;
    return static_cast<unsigned long long>(st.st_dev) == dev && static_cast<unsigned long long>(st.st_ino) == ino;
}

}  // namespace ikev2d::log
