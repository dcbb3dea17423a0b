// A stand-in ikev2d for the reconnect test: the real DbusService over a minimal
// backend (the seed's statistics), kept on the bus at argv[1] by the daemon's own
// ReconnectingDbusService (control/dbus_reconnect.hpp), so that a restarted
// dbus-daemon at the same address gets org.ikev2d back. Prints "READY" once the name
// is owned the first time. It connects exactly as the daemon does, to "the system bus"
// (DbusService::connect_system_bus, off the loop), here pointed at the test's bus with
// DBUS_SYSTEM_BUS_ADDRESS. (sdbus-c++ 1.2's createSessionBusConnectionWithAddress leaks
// its sd_bus object on every failed connection attempt, i.e. on every retry while the bus
// is down; the system-bus path cleans up after itself.)
#include <signal.h>
#include <systemd/sd-event.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <sdbus-c++/sdbus-c++.h>

#include "control/dbus_reconnect.hpp"
#include "seed_table.hpp"

namespace {

using namespace ikev2d::control;

class StatsBackend final : public ControlBackend {
public:
    std::vector<IkeSaStatus> ike_sas() override { return {}; }
    std::vector<SessionStatus> sessions() override { return {}; }
    std::vector<PoolStatus> pools() override { return {}; }
    GlobalStats stats() override {
        auto g = seed::stats();
        g.started_at = 0;
        return g;
    }
    uint32_t disconnect_session(uint32_t) override { return 0; }
    uint32_t disconnect_user(const std::string&) override { return 0; }
    std::string redirect_session(uint32_t, const std::string&) override { return "no session"; }
    std::string reload() override { return ""; }
    bool set_debug(const std::string&, int) override { return false; }
};

int on_signal(sd_event_source* s, const struct signalfd_siginfo*, void*) {
    return sd_event_exit(sd_event_source_get_event(s), 0);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s BUS_ADDRESS\n", argv[0]);
        return 2;
    }
    sd_event* raw = nullptr;
    if (sd_event_new(&raw) < 0)
        return 1;
    std::unique_ptr<sd_event, decltype(&sd_event_unref)> loop(raw, &sd_event_unref);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, nullptr);
    sd_event_add_signal(loop.get(), nullptr, SIGTERM, on_signal, nullptr);
    sd_event_add_signal(loop.get(), nullptr, SIGINT, on_signal, nullptr);
    try {
        StatsBackend backend;
        setenv("DBUS_SYSTEM_BUS_ADDRESS", argv[1], 1);
        ReconnectingDbusService dbus(
            loop.get(), &DbusService::connect_system_bus,
            [&](std::unique_ptr<sdbus::IConnection> connection) {
                return std::make_unique<DbusService>(loop.get(), backend, ControlAccess{}, std::move(connection),
                                                     DbusService::BusName::Owned);
            },
            std::chrono::milliseconds(100), std::chrono::milliseconds(1000));
        // The connection is set up off the loop: READY once it is first on the bus.
        bool ready = false;
        dbus.on_connected([&](DbusService&) {
            if (ready) return;
            ready = true;
            std::printf("READY\n");
            std::fflush(stdout);
        });
        return sd_event_loop(loop.get()) < 0 ? 1 : 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "reconnect_server: %s\n", e.what());
        return 1;
    }
}
