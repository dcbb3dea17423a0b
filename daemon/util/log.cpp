#include "util/log.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <time.h>
#include <unistd.h>

namespace ikev2d::log {
namespace {

// Default: errors and exchange summaries, like an ASA without debug commands.
std::atomic<int> g_levels[static_cast<int>(Category::Count)] = {kExchange, kExchange, kExchange};
std::atomic<Sink> g_sink{nullptr};
std::atomic<JournalSendFn> g_journal_send{nullptr};

// Under systemd the journal stamps each line; on a terminal or in a file we do.
bool journal_attached() {
    static const bool attached = std::getenv("JOURNAL_STREAM") != nullptr;
    return attached;
}

// journald itself, when our stderr is its stream (checked once).
JournalSendFn detected_journal() {
    static const JournalSendFn fn =
        stream_is_journal(std::getenv("JOURNAL_STREAM"), STDERR_FILENO) ? system_journal_send() : nullptr;
    return fn;
}

// One fwrite per line: stderr is unbuffered, so stamp, text and newline each written
// apart were three write(2) calls per line (under load, a tenth of the gateway's time
// in PSK handshakes, six lines each); one call also keeps a line whole when the stream
// is shared.
void stderr_sink(Category, int, std::string_view line) {
    char out[2300];
    std::size_t used = 0;
    if (!journal_attached()) {
        timespec ts{};
        clock_gettime(CLOCK_REALTIME, &ts);
        tm local{};
        localtime_r(&ts.tv_sec, &local);
        const int n = std::snprintf(out, sizeof out, "%02d:%02d:%02d.%03ld ", local.tm_hour, local.tm_min,
                                    local.tm_sec, ts.tv_nsec / 1000000);
        if (n > 0) used = static_cast<std::size_t>(n) < sizeof out ? static_cast<std::size_t>(n) : 0;
    }
    const std::size_t text = std::min(line.size(), sizeof out - 1 - used);
    std::memcpy(out + used, line.data(), text);
    used += text;
    out[used++] = '\n';
    std::fwrite(out, 1, used, stderr);
}

}  // namespace

const char* category_name(Category c) noexcept {
    switch (c) {
        case Category::Protocol: return "IKEv2-PROTO";
        case Category::Platform: return "IKEv2-PLAT";
        case Category::Eap: return "IKEv2-EAP";
        default: return "?";
    }
}

bool parse_category(std::string_view name, Category& out) noexcept {
    if (name == "protocol") { out = Category::Protocol; return true; }
    if (name == "platform") { out = Category::Platform; return true; }
    if (name == "eap") { out = Category::Eap; return true; }
    return false;
}

void set_level(Category c, int lvl) noexcept { g_levels[static_cast<int>(c)].store(lvl); }
int level(Category c) noexcept { return g_levels[static_cast<int>(c)].load(std::memory_order_relaxed); }
void set_sink(Sink sink) noexcept { g_sink.store(sink); }

void set_journal_send(JournalSendFn send) noexcept { g_journal_send.store(send); }

Priority default_priority(int lvl) noexcept {
    if (lvl <= kError) return Priority::Err;
    if (lvl == kExchange) return Priority::Info;
    return Priority::Debug;
}

namespace {

void emit(Category c, int lvl, Priority prio, const LogFields* fields, const char* fmt, va_list ap) {
    char body[2048];
    int n = std::vsnprintf(body, sizeof body, fmt, ap);
    if (n < 0) return;
    char line[2200];
    int m = std::snprintf(line, sizeof line, "%s-%d: %s", category_name(c), lvl > 9 ? 9 : lvl, body);
    if (m < 0) return;
    std::size_t len = static_cast<std::size_t>(m) < sizeof line ? static_cast<std::size_t>(m) : sizeof line - 1;
    const std::string_view text(line, len);
    if (Sink sink = g_sink.load()) return sink(c, lvl, text);
    JournalSendFn journal = g_journal_send.load();
    if (!journal) journal = detected_journal();
    if (journal && send_to_journal(Record{c, lvl, prio, text, fields}, journal) >= 0) return;
    stderr_sink(c, lvl, text);
}

}  // namespace

void vwrite(Category c, int lvl, const char* fmt, va_list ap) { emit(c, lvl, default_priority(lvl), nullptr, fmt, ap); }

void write_at(Category c, int lvl, Priority prio, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    emit(c, lvl, prio, nullptr, fmt, ap);
    va_end(ap);
}

void write_fields(Category c, int lvl, Priority prio, const LogFields& fields, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    emit(c, lvl, prio, &fields, fmt, ap);
    va_end(ap);
}

void write(Category c, int lvl, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vwrite(c, lvl, fmt, ap);
    va_end(ap);
}

}  // namespace ikev2d::log
