#include "ikectl/json_writer.hpp"

#include <cstdio>
#include <stdexcept>

namespace ikev2d::ikectl {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid (overlong
// forms, surrogates and code points above U+10FFFF are invalid, RFC 3629).
size_t utf8_sequence_length(std::string_view s, size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (b0 < 0x80)
        return 1;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07;
    } else {
        return 0;
    }
    if (i + len > s.size())
        return 0;
    for (size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

}  // namespace

std::string JsonWriter::escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out.push_back('"');
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            const size_t len = utf8_sequence_length(s, i);
            if (len == 0) {
                out += "\\ufffd";
                ++i;
            } else {
                out.append(s.substr(i, len));
                i += len;
            }
            continue;
        }
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7F) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out.push_back(static_cast<char>(c));
                }
        }
        ++i;
    }
    out.push_back('"');
    return out;
}

void JsonWriter::newline() {
    out_.push_back('\n');
    out_.append(stack_.size() * 2, ' ');
}

void JsonWriter::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (stack_.empty()) {
        if (!out_.empty())
            throw std::logic_error("JsonWriter: second top-level value");
        return;
    }
    if (stack_.back().is_object)
        throw std::logic_error("JsonWriter: value without key inside an object");
    if (!stack_.back().empty)
        out_.push_back(',');
    stack_.back().empty = false;
    newline();
}

void JsonWriter::key(std::string_view k) {
    if (stack_.empty() || !stack_.back().is_object || after_key_)
        throw std::logic_error("JsonWriter: key outside an object");
    if (!stack_.back().empty)
        out_.push_back(',');
    stack_.back().empty = false;
    newline();
    out_ += escape(k);
    out_ += ": ";
    after_key_ = true;
}

void JsonWriter::begin_object() {
    before_value();
    out_.push_back('{');
    stack_.push_back({true});
}

void JsonWriter::begin_array() {
    before_value();
    out_.push_back('[');
    stack_.push_back({false});
}

void JsonWriter::end_object() {
    if (stack_.empty() || !stack_.back().is_object || after_key_)
        throw std::logic_error("JsonWriter: end_object without matching begin_object");
    const bool empty = stack_.back().empty;
    stack_.pop_back();
    if (!empty)
        newline();
    out_.push_back('}');
}

void JsonWriter::end_array() {
    if (stack_.empty() || stack_.back().is_object)
        throw std::logic_error("JsonWriter: end_array without matching begin_array");
    const bool empty = stack_.back().empty;
    stack_.pop_back();
    if (!empty)
        newline();
    out_.push_back(']');
}

void JsonWriter::value(std::string_view s) {
    before_value();
    out_ += escape(s);
}

void JsonWriter::value(uint64_t n) {
    before_value();
    out_ += std::to_string(n);
}

void JsonWriter::value(int64_t n) {
    before_value();
    out_ += std::to_string(n);
}

void JsonWriter::value(bool b) {
    before_value();
    out_ += b ? "true" : "false";
}

std::string JsonWriter::finish() {
    if (!stack_.empty() || after_key_ || out_.empty())
        throw std::logic_error("JsonWriter: unbalanced document");
    out_.push_back('\n');
    return std::move(out_);
}

}  // namespace ikev2d::ikectl
