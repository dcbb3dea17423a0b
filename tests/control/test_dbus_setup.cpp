// The daemon's loop never waits on D-Bus set-up (issue 11): against a bus that accepts
// the connection and never answers Hello (hanging_bus.hpp), ReconnectingDbusService
// returns at once, the loop's timers keep firing, the attempt is retried when the bus
// drops it, and shutting down does not wait for the hung attempt. The bus hangs only a
// few seconds, so that a blocking set-up (the old code) fails these tests in bounded time.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <memory>

#include <systemd/sd-event.h>

#include "control/dbus_reconnect.hpp"
#include "hanging_bus.hpp"

using namespace ikev2d::control;
using ikev2d::control::test::HangingBus;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

class NullBackend final : public ControlBackend {
public:
    std::vector<IkeSaStatus> ike_sas() override { return {}; }
    std::vector<SessionStatus> sessions() override { return {}; }
    GlobalStats stats() override { return {}; }
    std::vector<PoolStatus> pools() override { return {}; }
    uint32_t disconnect_session(uint32_t) override { return 0; }
    uint32_t disconnect_user(const std::string&) override { return 0; }
    std::string redirect_session(uint32_t, const std::string&) override { return "no session"; }
    std::string reload() override { return {}; }
    bool set_debug(const std::string&, int) override { return false; }
};

struct Loop {
    sd_event* raw = nullptr;
    Loop() { REQUIRE(sd_event_new(&raw) >= 0); }
    ~Loop() { sd_event_unref(raw); }

    // A timer due `after` from now that records when it fired (an IKE retransmit, say).
    void add_probe(milliseconds after, Clock::time_point* fired_at) {
        add(after, [](sd_event_source*, uint64_t, void* p) {
            *static_cast<Clock::time_point*>(p) = Clock::now();
            return 0;
        }, fired_at);
    }
    void exit_after(milliseconds after) {
        add(after, [](sd_event_source* s, uint64_t, void*) { return sd_event_exit(sd_event_source_get_event(s), 0); },
            nullptr);
    }
    void add(milliseconds after, sd_event_time_handler_t handler, void* data) {
        uint64_t now = 0;
        sd_event_now(raw, CLOCK_MONOTONIC, &now);
        REQUIRE(sd_event_add_time(raw, nullptr, CLOCK_MONOTONIC, now + static_cast<uint64_t>(after.count()) * 1000, 0,
                                  handler, data) >= 0);
    }
};

milliseconds since(Clock::time_point t) { return std::chrono::duration_cast<milliseconds>(Clock::now() - t); }

std::unique_ptr<ReconnectingDbusService> make_service(Loop& loop, NullBackend& backend) {
    return std::make_unique<ReconnectingDbusService>(
        loop.raw, &DbusService::connect_system_bus,
        [&](std::unique_ptr<sdbus::IConnection> connection) {
            return std::make_unique<DbusService>(loop.raw, backend, ControlAccess{}, std::move(connection),
                                                 DbusService::BusName::Owned);
        },
        milliseconds(50), milliseconds(200));
}

}  // namespace

TEST_CASE("the loop keeps serving while the bus accepts the connection and never answers Hello", "[dbus]") {
    HangingBus bus(milliseconds(3000));
    setenv("DBUS_SYSTEM_BUS_ADDRESS", bus.address().c_str(), 1);
    Loop loop;
    NullBackend backend;
    Clock::time_point probe_fired{};

    const auto start = Clock::now();
    auto dbus = make_service(loop, backend);
    const milliseconds construction = since(start);
    loop.add_probe(milliseconds(100), &probe_fired);
    loop.exit_after(milliseconds(1000));
    REQUIRE(sd_event_loop(loop.raw) >= 0);

    CHECK(construction < milliseconds(250));
    REQUIRE(probe_fired != Clock::time_point{});
    CHECK(probe_fired - start < milliseconds(500));  // due at 100 ms
    CHECK(dbus->service() == nullptr);               // the bus never answered
    CHECK(bus.hellos_ignored() >= 1);                // the set-up got as far as Hello
    // Shutting down does not wait for the hung attempt either.
    const auto stop = Clock::now();
    dbus.reset();
    CHECK(since(stop) < milliseconds(250));
    unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
}

TEST_CASE("an attempt the bus drops is retried with backoff, from the loop", "[dbus]") {
    HangingBus bus(milliseconds(150));  // closes each connection after 150 ms
    setenv("DBUS_SYSTEM_BUS_ADDRESS", bus.address().c_str(), 1);
    Loop loop;
    NullBackend backend;
    Clock::time_point probe_fired{};
    const auto start = Clock::now();
    auto dbus = make_service(loop, backend);
    loop.add_probe(milliseconds(50), &probe_fired);
    loop.exit_after(milliseconds(1500));
    REQUIRE(sd_event_loop(loop.raw) >= 0);
    CHECK(probe_fired - start < milliseconds(400));
    // 150 ms per hung attempt plus 50, 100, 200, 200 ... ms between attempts.
    CHECK(bus.connections() >= 3);
    CHECK(dbus->service() == nullptr);
    dbus.reset();
    unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
}
