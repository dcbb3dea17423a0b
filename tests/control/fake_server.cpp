// A stand-in ikev2d for the D-Bus tests: exports the real DbusService on the bus at
// argv[1] over a fake ControlBackend holding the seed's SA table, and appends every
// control call it receives to the file argv[2], one line each, so the test can check
// that ikectl's commands reach the backend. Prints "READY" once the name is owned.
#include <signal.h>
#include <systemd/sd-event.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

#include <sdbus-c++/sdbus-c++.h>

#include "control/dbus_service.hpp"
#include "seed_table.hpp"

namespace {

using namespace ikev2d::control;

class FakeBackend final : public ControlBackend {
public:
    explicit FakeBackend(std::string log_path) : log_path_(std::move(log_path)) {}
    DbusService* service = nullptr;

    std::vector<IkeSaStatus> ike_sas() override {
        auto sa = seed::ike_sa();
        sa.established_at = 0;  // not time-dependent: "Life/Active Time: 86400/0 sec"
        return {sa};
    }
    std::vector<SessionStatus> sessions() override { return {seed::session()}; }
    GlobalStats stats() override {
        auto g = seed::stats();
        g.started_at = 0;
        return g;
    }
    uint32_t disconnect_session(uint32_t id) override {
        log("disconnect_session " + std::to_string(id));
        const bool match = id == 2 || id == 55182129;
        if (match && service)
            service->emit_session_down(seed::session(), "administrator");
        return match ? 1 : 0;
    }
    uint32_t disconnect_user(const std::string& user) override {
        log("disconnect_user " + user);
        return user == "Anu" ? 1 : 0;
    }
    std::string reload() override {
        log("reload");
        // The first reload succeeds, later ones report a configuration error.
        return reloads_++ == 0 ? "" : "/etc/ikev2d/ikev2d.conf:3: unknown key 'lisen'";
    }
    bool set_debug(const std::string& category, int level) override {
        log("set_debug " + category + " " + std::to_string(level));
        if (category == "explode")
            throw std::runtime_error("backend failure");  // must become a D-Bus error
        return category == "protocol" || category == "platform" || category == "eap";
    }

private:
    void log(const std::string& line) {
        std::ofstream f(log_path_, std::ios::app);
        f << line << '\n';
    }
    std::string log_path_;
    int reloads_ = 0;
};

int on_signal(sd_event_source* s, const struct signalfd_siginfo*, void*) {
    return sd_event_exit(sd_event_source_get_event(s), 0);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s BUS_ADDRESS CALL_LOG\n", argv[0]);
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
        FakeBackend backend(argv[2]);
        DbusService service(loop.get(), backend, sdbus::createSessionBusConnectionWithAddress(argv[1]));
        backend.service = &service;
        service.emit_session_up(seed::session());
        std::printf("READY\n");
        std::fflush(stdout);
        return sd_event_loop(loop.get()) < 0 ? 1 : 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fake_server: %s\n", e.what());
        return 1;
    }
}
