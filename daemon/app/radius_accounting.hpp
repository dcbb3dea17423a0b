// RADIUS accounting (RFC 2866) for the sessions of groups with accounting = "radius":
// Start when a session comes up, Interim-Update every interim interval, Stop when it
// goes with the kernel's counters and the terminate cause. radcli blocks, so every
// request runs on the AAA executor; the loop only builds it and logs the outcome.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "aaa/radius_client.hpp"
#include "control/status.hpp"
#include "util/worker_pool.hpp"

namespace ikev2d::app {

class RadiusAccounting {
public:
    // boot_unix makes Acct-Session-Id unique across restarts (unique ids start at 1 again).
    RadiusAccounting(std::shared_ptr<aaa::RadiusClient> client, util::Executor& io, unsigned interim_s,
                     std::uint64_t boot_unix);

    static std::string session_id(std::uint64_t boot_unix, std::uint32_t unique_id);
    std::string session_id(std::uint32_t unique_id) const { return session_id(boot_unix_, unique_id); }

    // `classes`: the Class attributes of the session's Access-Accept, echoed in every record.
    void session_up(const control::SessionStatus& session, std::vector<Bytes> classes, std::uint64_t now_unix);
    void session_down(const control::SessionStatus& session, const std::string& reason);
    // Interim-Update for every tracked session whose interval has passed; `status_of`
    // gives a session's current view (nullopt: gone).
    template <class StatusOf>
    void send_interims(std::uint64_t now_unix, StatusOf status_of) {
        if (interim_s_ == 0) return;
        for (auto& [id, t] : tracked_) {
            if (now_unix < t.next_interim_unix) continue;
            t.next_interim_unix = now_unix + interim_s_;
            if (auto s = status_of(id)) send(aaa::AcctStatus::InterimUpdate, *s, std::nullopt, t.classes);
        }
    }
    // After a reload: requests from now on go to these servers.
    void set_client(std::shared_ptr<aaa::RadiusClient> client) { client_ = std::move(client); }
    bool tracks(std::uint32_t unique_id) const { return tracked_.count(unique_id) > 0; }
    std::size_t requests_in_flight() const { return in_flight_; }
    std::uint64_t failures() const { return failures_; }

private:
    struct Tracked {
        std::uint64_t next_interim_unix = 0;
        std::vector<Bytes> classes;
    };
    void send(aaa::AcctStatus status, const control::SessionStatus& s, std::optional<std::uint32_t> cause,
              const std::vector<Bytes>& classes);

    std::shared_ptr<aaa::RadiusClient> client_;
    util::Executor& io_;
    unsigned interim_s_;
    std::uint64_t boot_unix_;
    std::map<std::uint32_t, Tracked> tracked_;
    std::size_t in_flight_ = 0;
    std::uint64_t failures_ = 0;
};

}  // namespace ikev2d::app
