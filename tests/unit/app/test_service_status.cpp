// What systemd is told: the session count in STATUS=, only when it changes, and the
// reload/stop protocol (sd_notify(3); MONOTONIC_USEC as systemd 253 wants it).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "app/service_status.hpp"

using ikev2d::app::ServiceStatus;
using ikev2d::app::session_status;

namespace {

struct Recorder {
    std::vector<std::string> sent;
    ServiceStatus status{[this](const std::string& m) { sent.push_back(m); }, [] { return std::uint64_t{123456789}; }};
};

}  // namespace

TEST_CASE("session status text", "[app][status]") {
    CHECK(session_status(0, 0) == "0 sessions, 0 half-open");
    CHECK(session_status(1, 0) == "1 session, 0 half-open");
    CHECK(session_status(12, 3) == "12 sessions, 3 half-open");
}

TEST_CASE("READY carries the status; STATUS is sent again only when it changes", "[app][status]") {
    Recorder r;
    r.status.ready(0, 0);
    REQUIRE(r.sent == std::vector<std::string>{"READY=1\nSTATUS=0 sessions, 0 half-open"});
    r.status.update(0, 0);  // timer tick, nothing new
    CHECK(r.sent.size() == 1);
    r.status.update(0, 1);
    r.status.update(1, 0);
    r.status.update(1, 0);
    CHECK(r.sent == std::vector<std::string>{"READY=1\nSTATUS=0 sessions, 0 half-open", "STATUS=0 sessions, 1 half-open",
                                             "STATUS=1 session, 0 half-open"});
}

TEST_CASE("reload: RELOADING with MONOTONIC_USEC, then READY with the outcome", "[app][status]") {
    Recorder r;
    r.status.ready(2, 0);
    r.status.reloading();
    r.status.reloaded("/etc/ikev2d/ikev2d.conf:7:1: bad value");
    REQUIRE(r.sent.size() == 3);
    CHECK(r.sent[1] == "RELOADING=1\nMONOTONIC_USEC=123456789\nSTATUS=reloading the configuration");
    CHECK(r.sent[2] == "READY=1\nSTATUS=2 sessions, 0 half-open; reload refused: /etc/ikev2d/ikev2d.conf:7:1: bad value");
    r.status.reloading();
    r.status.reloaded("");
    CHECK(r.sent.back() == "READY=1\nSTATUS=2 sessions, 0 half-open");
}

TEST_CASE("stop is announced", "[app][status]") {
    Recorder r;
    r.status.ready(1, 0);
    r.status.stopping();
    CHECK(r.sent.back().rfind("STOPPING=1\n", 0) == 0);
}
