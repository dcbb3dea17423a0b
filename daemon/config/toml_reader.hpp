// Typed, position-aware access to one TOML table for the config loader (internal to
// daemon/config). Every error carries the file, line and column of the offending key or
// value; errors are thrown as ConfigException and turned into a Result by load_string().
#pragma once

#include <cstdint>
#include <exception>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "config/config.hpp"

namespace ikev2d::config::detail {

class ConfigException : public std::exception {
public:
    explicit ConfigException(ConfigError e) : error_(std::move(e)), text_(error_.to_string()) {}
    const char* what() const noexcept override { return text_.c_str(); }
    const ConfigError& error() const noexcept { return error_; }

private:
    ConfigError error_;
    std::string text_;
};

// A place in the file, kept so that checks made later (references, overlaps) can still
// point at the line that caused them.
struct Where {
    int line = 0, column = 0;
    static Where of(const toml::source_region& region) noexcept {
        return {static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
    }
};

[[noreturn]] void fail(const std::string& file, Where where, std::string reason);

// A string value with the place it came from.
struct Located {
    std::string value;
    Where where;
};

class TableReader {
public:
    // section: how the table is named in messages, e.g. "[group.staff]".
    // known_keys: every key the table may have; any other key is an error right away.
    TableReader(const toml::table& table, std::string section, const std::string& file,
                std::initializer_list<std::string_view> known_keys);

    const std::string& section() const noexcept { return section_; }
    Where where() const noexcept { return Where::of(table_.source()); }
    // Where the key's value is, or the table's place when the key is absent.
    Where where(std::string_view key) const;
    bool has(std::string_view key) const { return table_.contains(key); }

    std::optional<Located> string(std::string_view key) const;
    Located required_string(std::string_view key) const;
    std::optional<bool> boolean(std::string_view key) const;
    // Rejects values outside [min, max] naming the range.
    std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max) const;
    // An array of strings; a single string is accepted as a one-element array.
    std::optional<std::vector<Located>> strings(std::string_view key) const;
    // A sub-table whose values are tables: [pool.a], [pool.b] -> ("a", table), ("b", table).
    std::vector<std::pair<Located, const toml::table*>> named_tables(std::string_view key) const;
    // An array of tables ([[ike_policy]]).
    std::vector<const toml::table*> table_array(std::string_view key) const;
    const toml::table* table(std::string_view key) const;

    [[noreturn]] void fail_at(Where where, std::string reason) const;
    [[noreturn]] void fail_key(std::string_view key, std::string reason) const;

private:
    const toml::node* node(std::string_view key) const { return table_.get(key); }
    [[noreturn]] void wrong_type(std::string_view key, const toml::node& n, std::string_view expected) const;

    const toml::table& table_;
    std::string section_;
    const std::string& file_;
};

std::string_view type_name(const toml::node& n) noexcept;

}  // namespace ikev2d::config::detail
