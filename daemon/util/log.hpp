// Logging by category and level, modelled on the ASA's debug commands:
// `debug crypto ikev2 protocol 127` ~ category Protocol, level 1..127.
// Output goes to stderr with a timestamp, or under journald (JOURNAL_STREAM names our
// stderr) straight to the journal with a syslog priority and IKEV2D_* fields
// (util/log_record.hpp). The priority is a separate mapping from the level: by
// default level 1 is ERR, 2 INFO, above DEBUG; LOG_ANNOUNCE and IKEV2D_LOG_FIELDS
// say it explicitly for lines that are always shown but are not errors.
//
// Secrets: anything that may contain keys, passwords or EAP data is logged only with
// log_secret(), which prints only when the category's level is >= kSecretLevel.
#pragma once

#include <atomic>
#include <cstdarg>
#include <string>
#include <string_view>

#include "util/log_record.hpp"

namespace ikev2d::log {

// Levels follow the seed's debug output: 1 errors, 2 exchanges, 3 progress,
// 4 message dumps, 5 state-machine trace; 127 = everything, including secrets.
inline constexpr int kError = 1;
inline constexpr int kExchange = 2;
inline constexpr int kInfo = 3;
inline constexpr int kDump = 4;
inline constexpr int kTrace = 5;
inline constexpr int kSecretLevel = 127;

const char* category_name(Category c) noexcept;
// "protocol", "platform", "eap" -> category; false if unknown.
bool parse_category(std::string_view name, Category& out) noexcept;

void set_level(Category c, int level) noexcept;
int level(Category c) noexcept;
inline bool enabled(Category c, int lvl) noexcept { return level(c) >= lvl; }

// Where lines go; tests capture them. Default writes to stderr.
using Sink = void (*)(Category, int level, std::string_view line);
void set_sink(Sink sink) noexcept;

// Where records go instead of journald/stderr (a capture in tests); nullptr = decide
// from JOURNAL_STREAM at the first line. A Sink set with set_sink() takes precedence.
void set_journal_send(JournalSendFn send) noexcept;
Priority default_priority(int level) noexcept;

void write(Category c, int lvl, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
void vwrite(Category c, int lvl, const char* fmt, va_list ap);
void write_at(Category c, int lvl, Priority prio, const char* fmt, ...) __attribute__((format(printf, 4, 5)));
void write_fields(Category c, int lvl, Priority prio, const LogFields& fields, const char* fmt, ...)
    __attribute__((format(printf, 5, 6)));

}  // namespace ikev2d::log

// Format arguments are evaluated only when the level is enabled.
#define IKEV2D_LOG(cat, lvl, ...)                                                    \
    do {                                                                             \
        if (::ikev2d::log::enabled(::ikev2d::log::Category::cat, (lvl)))             \
            ::ikev2d::log::write(::ikev2d::log::Category::cat, (lvl), __VA_ARGS__);  \
    } while (0)
// With an explicit priority (a Priority enumerator name: Notice, Warning, ...).
#define IKEV2D_LOG_AT(cat, lvl, prio, ...)                                                                   \
    do {                                                                                                     \
        if (::ikev2d::log::enabled(::ikev2d::log::Category::cat, (lvl)))                                     \
            ::ikev2d::log::write_at(::ikev2d::log::Category::cat, (lvl), ::ikev2d::log::Priority::prio,      \
                                    __VA_ARGS__);                                                            \
    } while (0)
// With journal fields: `fields` (a LogFields expression) is built only when the level is on.
#define IKEV2D_LOG_FIELDS(cat, lvl, prio, fields, ...)                                                       \
    do {                                                                                                     \
        if (::ikev2d::log::enabled(::ikev2d::log::Category::cat, (lvl)))                                     \
            ::ikev2d::log::write_fields(::ikev2d::log::Category::cat, (lvl), ::ikev2d::log::Priority::prio,  \
                                        (fields), __VA_ARGS__);                                              \
    } while (0)
// Always shown (level 1) but not an error: start, stop, reload, debug changes.
#define LOG_ANNOUNCE(cat, ...) IKEV2D_LOG_AT(cat, ::ikev2d::log::kError, Notice, __VA_ARGS__)
#define LOG_ERR(cat, ...) IKEV2D_LOG(cat, ::ikev2d::log::kError, __VA_ARGS__)
#define LOG_EXCH(cat, ...) IKEV2D_LOG(cat, ::ikev2d::log::kExchange, __VA_ARGS__)
#define LOG_INFO(cat, ...) IKEV2D_LOG(cat, ::ikev2d::log::kInfo, __VA_ARGS__)
#define LOG_DUMP(cat, ...) IKEV2D_LOG(cat, ::ikev2d::log::kDump, __VA_ARGS__)
#define LOG_TRACE(cat, ...) IKEV2D_LOG(cat, ::ikev2d::log::kTrace, __VA_ARGS__)
// For keys, passwords, EAP payloads: printed only at debug level 127 of that category.
#define LOG_SECRET(cat, ...) IKEV2D_LOG(cat, ::ikev2d::log::kSecretLevel, __VA_ARGS__)
