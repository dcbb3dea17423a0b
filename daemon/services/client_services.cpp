#include "services/client_services.hpp"

#include "eap/anyconnect.hpp"
#include "util/log.hpp"

namespace ikev2d::services {
namespace {

std::string status_only(const char* status) {
    return std::string("HTTP/1.1 ") + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
}

std::string xml_response(const std::string& body) {
    return "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n" + body;
}

}  // namespace

ClientServices::ClientServices(std::shared_ptr<const config::Config> config) : config_(std::move(config)) {}

void ClientServices::set_config(std::shared_ptr<const config::Config> config) {
    std::lock_guard lock(config_mutex_);
    config_ = std::move(config);
}

std::shared_ptr<const config::Config> ClientServices::config() const {
    std::lock_guard lock(config_mutex_);
    return config_;
}

void ClientServices::session_up(ByteView token, const std::string& group) { tokens_.add(token, group); }
void ClientServices::session_down(ByteView token) { tokens_.remove(token); }

std::string ClientServices::respond(std::string_view head) const {
    auto request = parse_http_request(head);
    if (!request) {
        LOG_INFO(Platform, "client services: bad request: %s", request.error().c_str());
        return status_only("400 Bad Request");
    }
    // No token, no answer beyond 403: not even whether a path exists.
    const auto group_name = request->token ? tokens_.group_of(as_bytes(*request->token)) : std::nullopt;
    if (!group_name) {
        LOG_INFO(Platform, "client services: %s without a live session token: 403", request->method.c_str());
        return status_only("403 Forbidden");
    }
    if (request->method != "GET") return status_only("405 Method Not Allowed");
    const auto cfg = config();
    const config::GroupConfig* group = cfg ? cfg->group(*group_name) : nullptr;
    if (!group || !group->anyconnect_profile_xml) return status_only("404 Not Found");
    if (request->target == kManifestPath) {
        std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
                           eap::profile_manifest_xml(group->anyconnect_profile_name, group->anyconnect_profile_sha1);
        return xml_response(body);
    }
    if (request->target == std::string(eap::kProfilePathPrefix) + group->anyconnect_profile_name) {
        LOG_INFO(Platform, "client services: profile %s sent (group %s)", group->anyconnect_profile_name.c_str(),
                 group_name->c_str());
        return xml_response(*group->anyconnect_profile_xml);
    }
    return status_only("404 Not Found");
}

}  // namespace ikev2d::services
