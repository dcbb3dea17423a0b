// A stand-in ikev2d for the D-Bus tests: exports the real DbusService on the bus at
// argv[1] over a fake ControlBackend holding the seed's SA table, and appends every
// control call it receives to the file argv[2], one line each, so the test can check
// that ikectl's commands reach the backend. Prints "READY" once the name is owned.
// Options after the two arguments:
//   --admin-gid N      members of group N may change state (ControlAccess::admin_gid)
// SIGUSR1 makes it emit SessionUp for the seed's session (for `ikectl monitor`).
//   --hostile-strings  the session's and IKE SA's peer-supplied strings hold invalid
//                      UTF-8 and control bytes, as a hostile client could send them
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
    bool hostile_strings = false;

    std::vector<IkeSaStatus> ike_sas() override {
        auto sa = seed::ike_sa();
        sa.established_at = 0;  // not time-dependent: "Life/Active Time: 86400/0 sec"
        if (hostile_strings) {
            sa.remote_id = std::string("evil\xff\x1b[2Jid\0x", 13);
            sa.eap_identity = "\xc3\x28user\x7f";
        }
        return {sa};
    }
    std::vector<SessionStatus> sessions() override {
        auto s = seed::session();
        if (hostile_strings) {
            // An APPLICATION_VERSION with a lone continuation byte, an overlong '/', a
            // terminal escape and a UTF-16 surrogate; an AnyConnect user name with a
            // truncated sequence and a newline; valid non-ASCII stays as it is.
            s.client_version = "4.10\x80\xc0\xaf\x1b[31m\xed\xa0\x80";
            s.username = "b\xc3\xa4" "d\xe2\x82\nuser";
        }
        return {s};
    }
    GlobalStats stats() override {
        auto g = seed::stats();
        g.started_at = 0;
        return g;
    }
    std::vector<PoolStatus> pools() override {
        return {{"webvpn1", "10.2.2.1", "10.2.2.10", 10, 1},
                {"v6pool", "fd00:2::1", "fd00:2::ffff", 65535, 0}};
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
    std::string redirect_session(uint32_t id, const std::string& gateway) override {
        log("redirect_session " + std::to_string(id) + " " + gateway);
        if (id != 2) return "no session with index/tunnel id " + std::to_string(id);
        return gateway == "198.51.100.2" ? "" : "'" + gateway + "' is neither an IPv4 or IPv6 address nor a host name";
    }
    std::string reload() override {
        log("reload");
        // The first reload succeeds, later ones report a configuration error.
        return reloads_++ == 0 ? "" : "/etc/ikev2d/ikev2d.conf:3: unknown key 'lisen'";
    }
    bool set_debug(const std::string& category, int level) override {
        log("set_debug " + category + " " + std::to_string(level));
        if (category == "platform" && level == 66)
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

int on_usr1(sd_event_source*, const struct signalfd_siginfo*, void* service) {
    static_cast<DbusService*>(service)->emit_session_up(seed::session());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    ControlAccess access;
    bool hostile_strings = false;
    for (int i = 3; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--admin-gid" && i + 1 < argc)
            access.admin_gid = static_cast<gid_t>(std::stoul(argv[++i]));
        else if (arg == "--hostile-strings")
            hostile_strings = true;
        else
            argc = 0;
    }
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s BUS_ADDRESS CALL_LOG [--admin-gid N] [--hostile-strings]\n", argv[0]);
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
    sigaddset(&mask, SIGUSR1);
    sigprocmask(SIG_BLOCK, &mask, nullptr);
    sd_event_add_signal(loop.get(), nullptr, SIGTERM, on_signal, nullptr);
    sd_event_add_signal(loop.get(), nullptr, SIGINT, on_signal, nullptr);
    try {
        FakeBackend backend(argv[2]);
        backend.hostile_strings = hostile_strings;
        DbusService service(loop.get(), backend, access, sdbus::createSessionBusConnectionWithAddress(argv[1]));
        backend.service = &service;
        sd_event_add_signal(loop.get(), nullptr, SIGUSR1, on_usr1, &service);
        service.emit_session_up(seed::session());
        std::printf("READY\n");
        std::fflush(stdout);
        return sd_event_loop(loop.get()) < 0 ? 1 : 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fake_server: %s\n", e.what());
        return 1;
    }
}
