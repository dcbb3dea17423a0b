// Logging by category and level, modelled on the ASA's debug commands:
// `debug crypto ikev2 protocol 127` ~ category Protocol, level 1..127.
// Output goes to stderr (journald picks it up under systemd) with a category prefix.
//
// Secrets: anything that may contain keys, passwords or EAP data is logged only with
// log_secret(), which prints only when the category's level is >= kSecretLevel.
#pragma once

#include <atomic>
#include <cstdarg>
#include <string>
#include <string_view>

namespace ikev2d::log {

enum class Category { Protocol = 0, Platform = 1, Eap = 2, Count = 3 };

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

void write(Category c, int lvl, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
void vwrite(Category c, int lvl, const char* fmt, va_list ap);

}  // namespace ikev2d::log

// Format arguments are evaluated only when the level is enabled.
#define IKEV2D_LOG(cat, lvl, ...)                                                    \
    do {                                                                             \
        if (::ikev2d::log::enabled(::ikev2d::log::Category::cat, (lvl)))             \
            ::ikev2d::log::write(::ikev2d::log::Category::cat, (lvl), __VA_ARGS__);  \
    } while (0)
#define LOG_ERR(cat, ...) IKEV2D_LOG(cat, ::ikev2d::log::kError, __VA_ARGS__)
#define LOG_EXCH(cat, ...) IKEV2D_LOG(cat, ::ikev2d::log::kExchange, __VA_ARGS__)
#define LOG_INFO(cat, ...) IKEV2D_LOG(cat, ::ikev2d::log::kInfo, __VA_ARGS__)
#define LOG_DUMP(cat, ...) IKEV2D_LOG(cat, ::ikev2d::log::kDump, __VA_ARGS__)
#define LOG_TRACE(cat, ...) IKEV2D_LOG(cat, ::ikev2d::log::kTrace, __VA_ARGS__)
// For keys, passwords, EAP payloads: printed only at debug level 127 of that category.
#define LOG_SECRET(cat, ...) IKEV2D_LOG(cat, ::ikev2d::log::kSecretLevel, __VA_ARGS__)
