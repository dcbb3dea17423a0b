// A small streaming JSON writer for ikectl --json: pretty-printed (two-space indent),
// strings escaped per RFC 8259, invalid UTF-8 replaced by U+FFFD so that the output
// is always valid JSON whatever a peer put in its identity.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ikev2d::ikectl {

class JsonWriter {
public:
    void begin_object();
    void end_object();
    void begin_array();
    void end_array();
    void key(std::string_view k);  // inside an object, before each value
    void value(std::string_view s);
    void value(const char* s) { value(std::string_view(s)); }
    void value(uint64_t n);
    void value(int64_t n);
    void value(bool b);

    // The document, with a final newline. Throws std::logic_error if unbalanced.
    std::string finish();

    static std::string escape(std::string_view s);  // quoted JSON string

private:
    void before_value();
    void newline();

    struct Level {
        bool is_object;
        bool empty = true;
    };
    std::string out_;
    std::vector<Level> stack_;
    bool after_key_ = false;
};

}  // namespace ikev2d::ikectl
