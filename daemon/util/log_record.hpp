// What one log line carries besides its text: the syslog priority (a separate
// mapping from the debug category and level) and the structured fields the journal
// stores (IKEV2D_*), so that `journalctl -u ikev2d IKEV2D_USER=alice` finds a user's
// sessions. No macros here: util/log_journal.cpp includes <syslog.h> as well.
#pragma once

#include <cstdint>
#include <string_view>

struct iovec;

namespace ikev2d::log {

enum class Category { Protocol = 0, Platform = 1, Eap = 2, Count = 3 };

// The syslog priorities (RFC 5424 severities), spelled out because <syslog.h>'s
// LOG_ERR would clash with our LOG_ERR macro.
enum class Priority : int { Err = 3, Warning = 4, Notice = 5, Info = 6, Debug = 7 };

// Fields attached to a line; empty views and zero numbers are not sent. The views
// must outlive the call (temporaries in the logging statement do).
struct LogFields {
    std::string_view event;       // IKEV2D_EVENT: session-up, session-down, auth-failed, ...
    std::uint32_t session = 0;    // IKEV2D_SESSION: the IKE SA's unique id
    std::string_view user;        // IKEV2D_USER
    std::string_view peer;        // IKEV2D_PEER: address:port (Endpoint::to_string)
    std::uint64_t spi_i = 0;      // IKEV2D_SPI_I, IKEV2D_SPI_R: 16 hex digits
    std::uint64_t spi_r = 0;
    // Session accounting (IKEV2D_EVENT=session-accounting); sent when `accounting`.
    bool accounting = false;
    std::string_view assigned;    // IKEV2D_ASSIGNED_ADDRESS
    std::string_view reason;      // IKEV2D_REASON
    std::uint64_t duration_s = 0;  // IKEV2D_DURATION_S
    std::uint64_t bytes_in = 0;   // IKEV2D_BYTES_IN, IKEV2D_BYTES_OUT
    std::uint64_t bytes_out = 0;
};

// One line as the journal receives it.
struct Record {
    Category category;
    int level;
    Priority priority;
    std::string_view line;       // "IKEv2-PLAT-2: ..." (MESSAGE=)
    const LogFields* fields;     // may be null
};

// sd_journal_sendv's signature; tests inject a capture.
using JournalSendFn = int (*)(const struct iovec* iov, int n);

// Sends the record as journal fields through `send`; returns its result.
int send_to_journal(const Record& record, JournalSendFn send);
// The real sd_journal_sendv.
JournalSendFn system_journal_send() noexcept;

// True when JOURNAL_STREAM ("<device>:<inode>", set by systemd) names the stream on
// `fd`, i.e. that fd is connected to journald (systemd.exec(5)): then lines go to
// the journal with their fields instead of to the stream.
bool stream_is_journal(const char* journal_stream, int fd) noexcept;

}  // namespace ikev2d::log
