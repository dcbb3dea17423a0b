#include "eap/xml.hpp"

#include <expat.h>

#include "util/bytes.hpp"

namespace ikev2d::eap::xml {
namespace {

// RAII for the expat parser.
struct ParserDeleter {
    void operator()(XML_ParserStruct* p) const noexcept { XML_ParserFree(p); }
};
using ParserPtr = std::unique_ptr<XML_ParserStruct, ParserDeleter>;

struct Builder {
    XML_Parser parser{nullptr};
    Limits limits;
    std::unique_ptr<Element> root;
    std::vector<Element*> stack;
    std::size_t elements{0};
    std::string error;

    void abort(std::string why) {
        if (error.empty()) error = std::move(why);
        XML_StopParser(parser, XML_FALSE);
    }

    static void on_start(void* self_ptr, const XML_Char* name, const XML_Char** attrs) {
        auto* self = static_cast<Builder*>(self_ptr);
        if (++self->elements > self->limits.max_elements) return self->abort("too many XML elements");
        if (static_cast<int>(self->stack.size()) >= self->limits.max_depth) return self->abort("XML nested too deeply");
        if (self->stack.empty() && self->root) return self->abort("more than one root element");
        auto element = std::make_unique<Element>();
        element->name = name;
        for (int i = 0; attrs[i] && attrs[i + 1]; i += 2) element->attributes.emplace(attrs[i], attrs[i + 1]);
        Element* raw = element.get();
        if (self->stack.empty())
            self->root = std::move(element);
        else
            self->stack.back()->children.push_back(std::move(element));
        self->stack.push_back(raw);
    }

    static void on_end(void* self_ptr, const XML_Char*) {
        auto* self = static_cast<Builder*>(self_ptr);
        if (!self->stack.empty()) self->stack.pop_back();
    }

    static void on_text(void* self_ptr, const XML_Char* s, int len) {
        auto* self = static_cast<Builder*>(self_ptr);
        if (self->stack.empty() || len <= 0) return;
        self->stack.back()->text.append(s, static_cast<std::size_t>(len));
    }

    static void on_doctype(void* self_ptr, const XML_Char*, const XML_Char*, const XML_Char*, int) {
        static_cast<Builder*>(self_ptr)->abort("XML DOCTYPE is not accepted");
    }
};

}  // namespace

const Element* Element::child(std::string_view child_name) const {
    for (const auto& c : children)
        if (c->name == child_name) return c.get();
    return nullptr;
}

std::string Element::attribute(std::string_view attr) const {
    auto it = attributes.find(std::string(attr));
    return it == attributes.end() ? std::string() : it->second;
}

Result<std::unique_ptr<Element>, std::string> parse(std::string_view document, const Limits& limits) {
    if (document.size() > limits.max_input)
        return unexpected("XML document of " + std::to_string(document.size()) + " bytes is too large");
    ParserPtr parser(XML_ParserCreate("UTF-8"));
    if (!parser) return unexpected(std::string("cannot create an XML parser"));
    Builder builder;
    builder.parser = parser.get();
    builder.limits = limits;
    XML_SetUserData(parser.get(), &builder);
    XML_SetElementHandler(parser.get(), &Builder::on_start, &Builder::on_end);
    XML_SetCharacterDataHandler(parser.get(), &Builder::on_text);
    XML_SetStartDoctypeDeclHandler(parser.get(), &Builder::on_doctype);
    const XML_Status status =
        XML_Parse(parser.get(), document.data(), static_cast<int>(document.size()), XML_TRUE);
    if (!builder.error.empty()) return unexpected(builder.error);
    if (status != XML_STATUS_OK)
        return unexpected(std::string("invalid XML at line ") +
                          std::to_string(XML_GetCurrentLineNumber(parser.get())) + ": " +
                          XML_ErrorString(XML_GetErrorCode(parser.get())));
    if (!builder.root) return unexpected(std::string("XML document without a root element"));
    return std::move(builder.root);
}

void wipe(Element& root) noexcept {
    auto wipe_string = [](std::string& v) {
        if (!v.empty()) secure_wipe(v.data(), v.size());
    };
    wipe_string(root.text);
    for (auto& [name, value] : root.attributes) wipe_string(value);
    for (auto& c : root.children) wipe(*c);
}

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace ikev2d::eap::xml
