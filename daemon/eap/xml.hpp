// A small, bounded XML tree for the aggregate-auth documents of EAP-AnyConnect.
// Parsing is done by expat; DOCTYPEs (and so entity definitions) are refused, and
// depth, element count and text size are capped, because the input is untrusted.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace ikev2d::eap::xml {

struct Element {
    std::string name;
    std::map<std::string, std::string> attributes;
    std::string text;  // concatenated character data directly inside this element
    std::vector<std::unique_ptr<Element>> children;

    // First direct child with this name, or nullptr.
    const Element* child(std::string_view child_name) const;
    // Attribute value or "" when absent.
    std::string attribute(std::string_view attr) const;
};

struct Limits {
    std::size_t max_input = 64 * 1024;
    int max_depth = 16;
    std::size_t max_elements = 1024;
};

// The root element, or why the document was refused.
Result<std::unique_ptr<Element>, std::string> parse(std::string_view document, const Limits& limits = {});

// Overwrites all text and attribute values in the tree (it may hold a password).
void wipe(Element& root) noexcept;

// Escapes &, <, >, " and ' for text and attribute values.
std::string escape(std::string_view text);

}  // namespace ikev2d::eap::xml
