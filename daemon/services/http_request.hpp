// The head of an HTTP/1.x request to the client-services endpoint: the request line and
// the `webvpn` cookie (OpenConnect's name for the AnyConnect session token). Nothing
// else of the request is used; bodies are not read.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace ikev2d::services {

inline constexpr std::size_t kMaxRequestHead = 8192;

struct HttpRequest {
    std::string method;
    std::string target;                 // as sent (origin form), query removed
    std::optional<std::string> token;   // the webvpn cookie's value
};

// `head` is everything up to and including the blank line ending the headers.
Result<HttpRequest, std::string> parse_http_request(std::string_view head);

}  // namespace ikev2d::services
