// libFuzzer target for the aggregate-auth XML parser (daemon/eap/xml.*) and the TLV
// framing around it (AnyConnectMethod::extract_xml). Any input must parse or be refused
// cleanly; an accepted tree must respect the limits it was parsed under; wipe() must
// blank every text and attribute value; and escape() must produce text that parses back
// to the original.
#include <cstdlib>
#include <string>

#include "eap/anyconnect.hpp"
#include "eap/xml.hpp"

using namespace ikev2d;
using namespace ikev2d::eap;

namespace {

void require(bool condition) {
    if (!condition) std::abort();
}

// Returns the number of elements; checks depth on the way down.
std::size_t walk(const xml::Element& e, int depth, const xml::Limits& limits) {
    require(depth <= limits.max_depth);
    require(!e.name.empty());
    (void)e.child("auth");
    (void)e.attribute("type");
    std::size_t n = 1;
    for (const auto& c : e.children) n += walk(*c, depth + 1, limits);
    return n;
}

bool all_zero(const std::string& s) {
    for (char c : s)
        if (c != '\0') return false;
    return true;
}

void check_wiped(const xml::Element& e) {
    require(all_zero(e.text));
    for (const auto& [name, value] : e.attributes) require(all_zero(value));
    for (const auto& c : e.children) check_wiped(*c);
}

void check_document(std::string_view doc, const xml::Limits& limits) {
    auto root = xml::parse(doc, limits);
    if (!root) {
        require(!root.error().empty());
        return;
    }
    require(doc.size() <= limits.max_input);
    require(walk(**root, 1, limits) <= limits.max_elements);
    xml::wipe(**root);
    check_wiped(**root);
}

// escape() output inside an element must read back as the same text. Only for text
// that XML can carry at all (expat refuses most control characters and invalid UTF-8,
// and normalises CR): then the parse may fail, but must not change the text.
void check_escape(std::string_view text) {
    if (text.find('\r') != std::string_view::npos) return;
    auto root = xml::parse("<a x=\"" + xml::escape(text) + "\">" + xml::escape(text) + "</a>");
    if (!root) return;
    require((*root)->text == text);
    // Attribute values normalise whitespace (XML 1.0 3.3.3): compare only without it.
    if (text.find_first_of("\t\n") == std::string_view::npos) require((*root)->attribute("x") == text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view doc(reinterpret_cast<const char*>(data), size);
    check_document(doc, xml::Limits{});
    check_document(doc, xml::Limits{512, 4, 16});  // tight limits: their checks must hold too
    if (size <= 4096) check_escape(doc);

    // The same bytes as the TLV area of an EAP-AnyConnect Response.
    auto extracted = AnyConnectMethod::extract_xml(ByteView(data, size));
    if (extracted) {
        require(extracted->size() <= size);
        check_document(*extracted, xml::Limits{});
    } else {
        require(!extracted.error().empty());
    }
    return 0;
}
