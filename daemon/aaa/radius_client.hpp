// The RADIUS client (RFC 2865 authentication, RFC 2866 accounting, RFC 3579 EAP): what
// the gateway asks and what it takes from the answers. The packets, the
// Message-Authenticator, retransmission and failover between servers are radcli's (a
// maintained library); the blocking calls here run on worker threads, never on the
// event loop, and are safe to call from several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aaa/radius_settings.hpp"
#include "util/bytes.hpp"
#include "util/ip_address.hpp"

namespace ikev2d::aaa {

// Refuses what radcli cannot carry (its server syntax splits on ':', ',' and blanks),
// with the reason; nullopt when the settings are usable.
std::optional<std::string> settings_problem(const RadiusSettings& settings);

struct AccessRequest {
    std::string user_name;
    Bytes eap_message;                         // sent as EAP-Message attributes of 253 bytes
    Bytes state;                               // the State of the last Access-Challenge
    std::optional<std::string> user_password;  // PAP (hidden by radcli with the secret)
    std::string calling_station_id;            // the client's outer address
    std::string called_station_id;             // the gateway's
    std::uint32_t nas_port = 0;                // the IKE SA's unique id
};

struct AccessReply {
    enum class Code { Accept, Reject, Challenge, NoAnswer, Error };
    Code code = Code::Error;
    Bytes eap_message;  // the EAP-Message attributes, joined
    Bytes state;
    std::optional<IpAddress> framed_ip;
    std::string framed_pool;
    std::vector<Bytes> classes;  // Class, echoed in accounting
    std::optional<std::uint32_t> session_timeout_s;
    std::optional<std::uint32_t> idle_timeout_s;
    std::optional<std::uint32_t> interim_interval_s;
    std::string filter_id;  // the group
    std::string redirect_gateway;  // Cisco-AVPair "ikev2d:redirect=<gateway>" (ike/redirect.hpp)
    std::vector<IpAddress> dns;
    SecureBytes mppe_send_key, mppe_recv_key;
    std::string reply_message;
    std::string detail;  // why NoAnswer/Error, for logs (no secrets)
};

enum class AcctStatus : std::uint32_t { Start = 1, Stop = 2, InterimUpdate = 3 };

struct AccountingRequest {
    AcctStatus status = AcctStatus::Start;
    std::string session_id;
    std::string user_name;
    std::optional<IpAddress> framed_ip;
    std::string calling_station_id;
    std::uint32_t nas_port = 0;
    std::uint64_t input_octets = 0, output_octets = 0;  // sent with Gigawords above 2^32
    std::uint32_t input_packets = 0, output_packets = 0;
    std::uint32_t session_time_s = 0;
    std::optional<std::uint32_t> terminate_cause;  // RFC 2866 5.10 value, with Stop
    std::vector<Bytes> classes;
};

class RadiusClient {
public:
    // Throws std::invalid_argument with settings_problem()'s reason.
    explicit RadiusClient(RadiusSettings settings);
    ~RadiusClient();
    RadiusClient(const RadiusClient&) = delete;
    RadiusClient& operator=(const RadiusClient&) = delete;

    // Blocking (up to servers x retries x timeout): call it on a worker thread.
    AccessReply authenticate(const AccessRequest& request);
    // Blocking; true when a server acknowledged the record, else `detail` says why.
    bool account(const AccountingRequest& request, std::string& detail);

    const RadiusSettings& settings() const { return settings_; }

private:
    struct Handle;
    std::unique_ptr<Handle> acquire();
    void release(std::unique_ptr<Handle> handle);

    RadiusSettings settings_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Handle>> idle_;  // radcli handles are not shared between threads
};

}  // namespace ikev2d::aaa
