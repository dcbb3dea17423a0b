#include "config/toml_reader.hpp"

#include <algorithm>
#include <vector>

namespace ikev2d::config::detail {
namespace {

// Levenshtein distance, for "did you mean" hints on misspelt keys.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            diagonal = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
        }
    }
    return row[b.size()];
}

}  // namespace

void fail(const std::string& file, Where where, std::string reason) {
    throw ConfigException(ConfigError{file, where.line, where.column, std::move(reason)});
}

std::string_view type_name(const toml::node& n) noexcept {
    switch (n.type()) {
        case toml::node_type::string: return "a string";
        case toml::node_type::integer: return "an integer";
        case toml::node_type::floating_point: return "a floating-point number";
        case toml::node_type::boolean: return "a boolean";
        case toml::node_type::table: return "a table";
        case toml::node_type::array: return "an array";
        case toml::node_type::date: return "a date";
        case toml::node_type::time: return "a time";
        case toml::node_type::date_time: return "a date-time";
        default: return "nothing";
    }
}

TableReader::TableReader(const toml::table& table, std::string section, const std::string& file,
                         std::initializer_list<std::string_view> known_keys)
    : table_(table), section_(std::move(section)), file_(file) {
    for (auto&& [key, value] : table_) {
        bool known = false;
        for (auto k : known_keys) known = known || k == key.str();
        if (known) continue;
        std::string valid, hint;
        std::size_t best = 3;  // suggest only close matches
        for (auto k : known_keys) {
            if (!valid.empty()) valid += ", ";
            valid += k;
            if (auto d = edit_distance(key.str(), k); d < best) {
                best = d;
                hint = "; did you mean '" + std::string(k) + "'?";
            }
        }
        fail(file_, Where::of(key.source()),
             "unknown key '" + std::string(key.str()) + "' in " + section_ + hint + " (valid keys: " + valid + ")");
    }
}

Where TableReader::where(std::string_view key) const {
    if (const auto* n = node(key)) return Where::of(n->source());
    return where();
}

void TableReader::fail_at(Where w, std::string reason) const { fail(file_, w, section_ + ": " + std::move(reason)); }

void TableReader::fail_key(std::string_view key, std::string reason) const {
    fail(file_, where(key), section_ + " " + std::string(key) + ": " + std::move(reason));
}

void TableReader::wrong_type(std::string_view key, const toml::node& n, std::string_view expected) const {
    fail_key(key, "expected " + std::string(expected) + ", got " + std::string(type_name(n)));
}

std::optional<Located> TableReader::string(std::string_view key) const {
    const auto* n = node(key);
    if (!n) return std::nullopt;
    const auto* s = n->as_string();
    if (!s) wrong_type(key, *n, "a string");
    return Located{s->get(), Where::of(n->source())};
}

Located TableReader::required_string(std::string_view key) const {
    auto s = string(key);
    if (!s) fail_at(where(), "missing required key '" + std::string(key) + "'");
    return *s;
}

std::optional<bool> TableReader::boolean(std::string_view key) const {
    const auto* n = node(key);
    if (!n) return std::nullopt;
    const auto* b = n->as_boolean();
    if (!b) wrong_type(key, *n, "true or false");
    return b->get();
}

std::optional<std::int64_t> TableReader::integer(std::string_view key, std::int64_t min, std::int64_t max) const {
    const auto* n = node(key);
    if (!n) return std::nullopt;
    const auto* i = n->as_integer();
    if (!i) wrong_type(key, *n, "an integer");
    const std::int64_t v = i->get();
    if (v < min || v > max)
        fail_key(key, std::to_string(v) + " is out of range (" + std::to_string(min) + ".." + std::to_string(max) + ")");
    return v;
}

std::optional<std::vector<Located>> TableReader::strings(std::string_view key) const {
    const auto* n = node(key);
    if (!n) return std::nullopt;
    std::vector<Located> out;
    if (const auto* s = n->as_string()) {
        out.push_back({s->get(), Where::of(n->source())});
        return out;
    }
    const auto* arr = n->as_array();
    if (!arr) wrong_type(key, *n, "an array of strings");
    for (const auto& element : *arr) {
        const auto* s = element.as_string();
        if (!s)
            fail(file_, Where::of(element.source()),
                 section_ + " " + std::string(key) + ": expected an array of strings, found " +
                     std::string(type_name(element)) + " in it");
        out.push_back({s->get(), Where::of(element.source())});
    }
    return out;
}

const toml::table* TableReader::table(std::string_view key) const {
    const auto* n = node(key);
    if (!n) return nullptr;
    const auto* t = n->as_table();
    if (!t) wrong_type(key, *n, "a table ([" + std::string(key) + "])");
    return t;
}

std::vector<std::pair<Located, const toml::table*>> TableReader::named_tables(std::string_view key) const {
    std::vector<std::pair<Located, const toml::table*>> out;
    const auto* outer = table(key);
    if (!outer) return out;
    for (auto&& [name, value] : *outer) {
        const auto* t = value.as_table();
        if (!t)
            fail(file_, Where::of(name.source()),
                 "'" + std::string(key) + "." + std::string(name.str()) + "' must be a table: write [" +
                     std::string(key) + "." + std::string(name.str()) + "] and its keys below it");
        out.push_back({Located{std::string(name.str()), Where::of(name.source())}, t});
    }
    return out;
}

std::vector<const toml::table*> TableReader::table_array(std::string_view key) const {
    std::vector<const toml::table*> out;
    const auto* n = node(key);
    if (!n) return out;
    const auto* arr = n->as_array();
    if (!arr || !arr->is_array_of_tables()) wrong_type(key, *n, "an array of tables ([[" + std::string(key) + "]])");
    for (const auto& element : *arr) out.push_back(element.as_table());
    return out;
}

}  // namespace ikev2d::config::detail
