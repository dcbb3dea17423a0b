// The gateway under test with a fake kernel, a fake clock and a capture of what it
// sends; configured from TOML like the daemon.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "ike/gateway.hpp"
#include "kernel/fake_kernel.hpp"
#include "util/worker_pool.hpp"

namespace test_ike {

using namespace ikev2d;

// A configuration for the tests: PSK group "psk", EAP group "eap" (the default), pool 10.2.2.0/29.
extern const char* const kTestConfig;

struct Sent {
    Endpoint local, remote;
    Bytes data;
};

class GatewayHarness {
public:
    explicit GatewayHarness(const std::string& toml = kTestConfig);

    // Feeds datagrams from `from` and returns what the gateway sent back. With
    // auto_complete (the default) the gateway's worker jobs run after each datagram, as
    // if the workers were instant; without it they wait for complete_jobs().
    std::vector<Bytes> deliver(const Endpoint& from, const std::vector<Bytes>& packets);
    std::vector<Bytes> deliver(const Endpoint& from, const Bytes& packet) { return deliver(from, std::vector<Bytes>{packet}); }
    // Advances the clock and runs the timers; returns what was sent meanwhile.
    std::vector<Bytes> advance(std::uint64_t ms);
    // Runs the worker jobs posted so far, and those their completions post; returns what
    // was sent meanwhile.
    std::vector<Bytes> complete_jobs();
    std::size_t jobs_in_flight() const { return executor.in_flight(); }

    kernel::FakeKernel kernel;
    util::ManualExecutor executor;  // before the gateway: it outlives it
    bool auto_complete = true;
    std::uint64_t now_ms = 1'000'000;
    std::vector<Sent> sent;
    std::vector<Sent> last_sent;  // what the last deliver/advance/complete_jobs sent, with its endpoints
    std::shared_ptr<const config::Config> config;
    std::shared_ptr<const ike::Credentials> credentials;
    std::unique_ptr<ike::Gateway> gateway;
    Endpoint local{IpAddress::from_string("192.0.2.1"), 500};
    Endpoint local_natt{IpAddress::from_string("192.0.2.1"), 4500};

private:
    void run_jobs();
};

}  // namespace test_ike
