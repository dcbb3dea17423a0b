// What the AnyConnect client-services endpoint answers (docs/anyconnect-client-services.md):
// a group's XML profile, and its profile manifest, to holders of a live session token
// (the `webvpn` cookie); 403 without a body to anyone else. Thread-safe: the event loop
// reports sessions and reloads, the HTTPS thread asks.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "config/config.hpp"
#include "services/http_request.hpp"
#include "services/session_tokens.hpp"

namespace ikev2d::services {

// The manifest's own path (ours: where Cisco serves one, if anywhere, is unverified).
inline constexpr std::string_view kManifestPath = "/CACHE/stc/profiles/vpn-profile-manifest.xml";

class ClientServices {
public:
    explicit ClientServices(std::shared_ptr<const config::Config> config);

    void set_config(std::shared_ptr<const config::Config> config);
    // A session came up with (or ended holding) an AnyConnect session token.
    void session_up(ByteView token, const std::string& group);
    void session_down(ByteView token);
    std::size_t live_tokens() const { return tokens_.size(); }

    // The whole HTTP response (head and body) to one request head.
    std::string respond(std::string_view head) const;

private:
    std::shared_ptr<const config::Config> config() const;

    mutable std::mutex config_mutex_;
    std::shared_ptr<const config::Config> config_;
    SessionTokens tokens_;
};

}  // namespace ikev2d::services
