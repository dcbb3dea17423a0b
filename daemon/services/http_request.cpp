#include "services/http_request.hpp"

#include <algorithm>
#include <cctype>

namespace ikev2d::services {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::optional<std::string> webvpn_cookie(std::string_view value) {
    while (!value.empty()) {
        const auto semi = value.find(';');
        std::string_view pair = trim(value.substr(0, semi));
        value = semi == std::string_view::npos ? std::string_view() : value.substr(semi + 1);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && trim(pair.substr(0, eq)) == "webvpn")
            return std::string(trim(pair.substr(eq + 1)));
    }
    return std::nullopt;
}

}  // namespace

Result<HttpRequest, std::string> parse_http_request(std::string_view head) {
    if (head.size() > kMaxRequestHead) return unexpected(std::string("request head too large"));
    HttpRequest req;
    const auto line_end = head.find("\r\n");
    if (line_end == std::string_view::npos) return unexpected(std::string("no request line"));
    const std::string_view line = head.substr(0, line_end);
    const auto sp1 = line.find(' ');
    const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp1 == std::string_view::npos || sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
        return unexpected(std::string("malformed request line"));
    req.method = std::string(line.substr(0, sp1));
    std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = line.substr(sp2 + 1);
    if (version != "HTTP/1.1" && version != "HTTP/1.0") return unexpected(std::string("not HTTP/1.x"));
    if (target.empty() || target.front() != '/') return unexpected(std::string("target is not a path"));
    target = target.substr(0, target.find('?'));
    if (std::any_of(target.begin(), target.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; }))
        return unexpected(std::string("control characters in the target"));
    req.target = std::string(target);
    std::string_view rest = head.substr(line_end + 2);
    while (!rest.empty()) {
        const auto end = rest.find("\r\n");
        if (end == std::string_view::npos) return unexpected(std::string("header line without CRLF"));
        const std::string_view header = rest.substr(0, end);
        rest = rest.substr(end + 2);
        if (header.empty()) break;
        const auto colon = header.find(':');
        if (colon == std::string_view::npos || colon == 0) return unexpected(std::string("malformed header line"));
        if (iequals(header.substr(0, colon), "Cookie"))
            if (auto token = webvpn_cookie(header.substr(colon + 1))) req.token = std::move(token);
    }
    return req;
}

}  // namespace ikev2d::services
