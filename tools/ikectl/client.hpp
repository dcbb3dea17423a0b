// ikectl's side of org.ikev2d.Manager1: a proxy generated from the XML, decoded into
// the status structs. Bus errors become ClientError with the text ikectl prints.
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "control/status.hpp"

namespace sdbus {
class IConnection;
}

namespace ikev2d::ikectl {

class ClientError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Client {
public:
    // bus_address "" = the system bus. Throws ClientError if the bus cannot be reached.
    explicit Client(const std::string& bus_address);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // Every call throws ClientError: "ikev2d is not running (...)", "permission
    // denied (...)" or the daemon's own error text.
    std::vector<control::IkeSaStatus> ike_sas();
    std::vector<control::SessionStatus> sessions();
    control::GlobalStats stats();
    std::vector<control::PoolStatus> pools();
    uint32_t disconnect(uint32_t index_or_tunnel_id);
    uint32_t disconnect_user(const std::string& username);
    std::string redirect(uint32_t index_or_tunnel_id, const std::string& gateway);  // "" or why not
    std::string reload();
    void set_debug(const std::string& category, int level);

    // SessionUp (reason nullptr) and SessionDown signals, handed to on_event until the
    // process is interrupted. The signal match is in place from the constructor on;
    // this checks first that the daemon answers (GetStats), then calls ready().
    using EventHandler = std::function<void(const control::SessionStatus&, const std::string* reason)>;
    [[noreturn]] void monitor(EventHandler on_event, const std::function<void()>& ready);

private:
    class Proxy;
    template <class F>
    auto call(F&& f) -> decltype(f());

    std::string bus_description_;
    std::unique_ptr<sdbus::IConnection> connection_;
    std::unique_ptr<Proxy> proxy_;
};

}  // namespace ikev2d::ikectl
