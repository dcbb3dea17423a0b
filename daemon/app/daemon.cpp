#include "app/daemon.hpp"

#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sys/epoll.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "app/credentials_loader.hpp"
#include "app/aaa_service.hpp"
#include "app/session_accounting.hpp"
#include "ike/session_end.hpp"
#include "control/dbus_reconnect.hpp"
#include "control/dbus_service.hpp"
#include "ikev2d_build_config.h"
#include "util/bytes.hpp"
#include "util/log.hpp"

namespace ikev2d::app {
namespace {

std::uint64_t monotonic_ms() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000u + static_cast<std::uint64_t>(ts.tv_nsec) / 1000000u;
}

std::uint64_t unix_now() { return static_cast<std::uint64_t>(std::time(nullptr)); }

// The smallest prefix covering a pool, for its route.
std::pair<IpAddress, std::uint8_t> pool_prefix(const config::PoolConfig& pool) {
    IpAddress a = pool.first;
    unsigned max = static_cast<unsigned>(a.size() * 8), len = 0;
    while (len < max) {
        std::uint8_t m = static_cast<std::uint8_t>(0x80u >> (len % 8));
        if ((pool.first.bytes[len / 8] & m) != (pool.last.bytes[len / 8] & m)) break;
        ++len;
    }
    for (unsigned bit = len; bit < max; ++bit) a.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
    return {a, static_cast<std::uint8_t>(len)};
}

// A configuration that lets nobody in (the packaged template) is valid, but says so.
void warn_if_nobody_can_log_in(const config::Config& config) {
    if (config.groups.empty())
        IKEV2D_LOG_AT(Platform, log::kError, Warning,
                      "%s defines no [group.<name>]: every IKE_AUTH is refused until one is added "
                      "(then systemctl reload ikev2d)", config.source.c_str());
}

}  // namespace

Daemon::Daemon(Options options)
    : options_(std::move(options)),
      forwarding_(options_.state_dir) {
    for (const auto& [cat, level] : options_.debug) {
        log::Category c;
        if (log::parse_category(cat, c)) log::set_level(c, level);
        else std::fprintf(stderr, "ikev2d: unknown debug category '%s' (protocol, platform, eap)\n", cat.c_str());
    }
    if (options_.config_path) config_path_ = *options_.config_path;
    else if (!options_.demo) config_path_ = std::string(IKEV2D_SYSCONFDIR) + "/ikev2d.conf";
}

Daemon::~Daemon() = default;

control::DbusService* Daemon::dbus_service() const { return dbus_ ? dbus_->service() : nullptr; }

Daemon::Loaded Daemon::load() {
    Loaded l;
    if (options_.demo) {
        l.config = std::make_shared<config::Config>(config::embedded_default(options_.state_dir));
    } else {
        auto r = config::load_file(config_path_);
        if (!r) throw std::runtime_error(r.error().to_string());
        l.config = std::make_shared<config::Config>(std::move(r.value()));
    }
    l.credentials = load_credentials(*l.config, options_.check_config ? SelfSigned::ReadOnly : SelfSigned::Create);
    return l;
}

std::string Daemon::reload() {
    status_.reloading();
    std::string error;
    try {
        Loaded l = load();
        // First what can still fail (a DAE port in use), so that a refused reload changes nothing.
        std::unique_ptr<AaaService> fresh_aaa;
        if (l.config->radius && !aaa_)
            fresh_aaa = std::make_unique<AaaService>(loop_, *gateway_, *control_, l.config, started_unix_);
        gateway_->replace_config(l.config, l.credentials);
        if (fresh_aaa) aaa_ = std::move(fresh_aaa);
        else if (!l.config->radius) aaa_.reset();
        else aaa_->reconfigure(l.config);
        apply_to_host(*l.config);
        client_services_->set_config(l.config);  // the profiles; the port stays until a restart
        dbus_access_ = control::ControlAccess{l.config->control.admin_gid};
        if (auto* dbus = dbus_service()) dbus->set_access(dbus_access_);
        LOG_ANNOUNCE(Platform, "configuration reloaded from %s", l.config->source.c_str());
        warn_if_nobody_can_log_in(*l.config);
    } catch (const std::exception& e) {
        error = e.what();
        IKEV2D_LOG_AT(Platform, log::kError, Warning, "reload refused, keeping the running configuration: %s", error.c_str());
    }
    status_.reloaded(error);
    return error;
}

void Daemon::apply_to_host(const config::Config& config) {
    install_pool_routes(config);
    forwarding_.apply(config);
}

void Daemon::install_pool_routes(const config::Config& config) {
    std::vector<std::pair<IpAddress, std::uint8_t>> wanted;
    for (const auto& pool : config.pools) wanted.push_back(pool_prefix(pool));
    for (const auto& route : pool_routes_) {
        if (std::find(wanted.begin(), wanted.end(), route) != wanted.end()) continue;
        try {
            kernel_->del_pool_route(route.first, route.second);
        } catch (const std::exception& e) {
            LOG_INFO(Platform, "removing pool route: %s", e.what());
        }
    }
    for (const auto& route : wanted) {
        if (std::find(pool_routes_.begin(), pool_routes_.end(), route) != pool_routes_.end()) continue;
        try {
            kernel_->add_pool_route(route.first, route.second);
        } catch (const std::exception& e) {
            LOG_ERR(Platform, "unreachable route for pool %s/%u: %s", route.first.to_string().c_str(), route.second, e.what());
        }
    }
    pool_routes_ = std::move(wanted);
}

void Daemon::send(const Endpoint& local, const Endpoint& remote, ByteView data) {
    for (auto& sock : sockets_) {
        if (sock->port() == local.port && sock->family() == local.addr.family) {
            if (!sock->send(local, remote, data))
                LOG_INFO(Platform, "send to %s failed", remote.to_string().c_str());
            return;
        }
    }
    LOG_ERR(Platform, "no socket for local endpoint %s", local.to_string().c_str());
}

void Daemon::arm_gateway_timer() {
    std::uint64_t now = monotonic_ms(), when = gateway_->next_deadline_ms();
    gateway_timer_due_ms_ = when;
    gateway_timer_ = loop_.add_timer(std::chrono::milliseconds(when > now ? when - now : 0), [this] {
        gateway_->on_timer();
        status_.update(sessions_, gateway_->half_open());
        arm_gateway_timer();
    });
}

void Daemon::pet_watchdog() {
    sd_notify(0, "WATCHDOG=1");
    watchdog_timer_ = loop_.add_timer(std::chrono::milliseconds(watchdog_ms_), [this] { pet_watchdog(); });
}

void Daemon::stop() {
    status_.stopping();
    LOG_ANNOUNCE(Platform, "stopping: deleting all IKE SAs");
    if (gateway_) gateway_->shutdown();
    for (const auto& route : pool_routes_) {
        try {
            kernel_->del_pool_route(route.first, route.second);
        } catch (const std::exception&) {
        }
    }
    pool_routes_.clear();
    forwarding_.restore();
    // No install may run after the clean-up: the lane finishes the one it runs, drops the rest.
    if (kernel_lane_) kernel_lane_->stop();
    try {
        kernel_->flush_own();
    } catch (const std::exception& e) {
        LOG_ERR(Platform, "cleaning kernel state: %s", e.what());
    }
    loop_.exit(0);
}

int Daemon::check_config() {
    if (options_.demo) {
        // embedded_default() makes the demo password file: nothing to check, nothing to write.
        std::printf("<embedded default>: built in, nothing to check\n");
        return 0;
    }
    try {
        Loaded loaded = load();
        std::printf("%s: configuration OK\n", loaded.config->source.c_str());
        if (loaded.config->groups.empty())
            std::printf("%s: no [group.<name>]: every login will be refused until one is added\n",
                        loaded.config->source.c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ikev2d: %s\n", e.what());
        return 1;
    }
}

void Daemon::announce_demo() const {
    const std::string path = config::demo_password_path(options_.state_dir);
    std::printf("ikev2d: --demo: running on the embedded demo configuration, user 'demo'.\n");
    // The password goes to a person at a terminal, never to a log (journald reads stdout).
    std::string password;
    if (::isatty(STDOUT_FILENO)) std::ifstream(path) >> password;
    if (!password.empty()) std::printf("ikev2d: demo password: %s  (kept in %s)\n", password.c_str(), path.c_str());
    else std::printf("ikev2d: the demo password is in %s\n", path.c_str());
    secure_wipe(password.data(), password.size());
    std::fflush(stdout);
}

int Daemon::run() {
    if (options_.check_config) return check_config();
    if (!options_.demo && !std::filesystem::exists(config_path_)) {
        std::fprintf(stderr,
                     "ikev2d: %s: no such file. Write the configuration there (see man 5 ikev2d.conf), "
                     "name one with --config FILE, or try the embedded demo configuration with --demo.\n",
                     config_path_.c_str());
        return 1;
    }
    Loaded loaded;
    try {
        loaded = load();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ikev2d: %s\n", e.what());
        return 1;
    }
    if (options_.demo) announce_demo();
    try {
        kernel_ = kernel::make_xfrm_kernel();
        kernel_->flush_own();  // whatever an earlier run left behind
        apply_to_host(*loaded.config);
        sockets_ = net::IkeSocket::open_all(loaded.config->global.listen, loaded.config->global.ike_port,
                                            loaded.config->global.natt_port);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ikev2d: %s\n", e.what());
        return 1;
    }

    try {
        workers_ = std::make_unique<util::WorkerPool>(loaded.config->global.workers);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ikev2d: worker threads: %s\n", e.what());
        return 1;
    }
    try {
        lane_kernel_ = kernel::make_xfrm_installer();
        kernel_lane_ = std::make_unique<util::SerialWorker>();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ikev2d: kernel lane: %s\n", e.what());
        return 1;
    }
    kernel_lane_completions_ = loop_.add_io(kernel_lane_->completion_fd(), EPOLLIN, [this](std::uint32_t) {
        kernel_lane_->run_completions();
    });
    // Finished jobs come back as an event, between datagrams, never inside a handler.
    worker_completions_ = loop_.add_io(workers_->completion_fd(), EPOLLIN, [this](std::uint32_t) {
        workers_->run_completions();
    });
    ike::Gateway::Clock clock{monotonic_ms, unix_now};
    gateway_ = std::make_unique<ike::Gateway>(
        loaded.config, loaded.credentials, *kernel_,
        [this](const Endpoint& l, const Endpoint& r, ByteView d) { send(l, r, d); }, clock, *workers_);
    gateway_->set_kernel_lane(*lane_kernel_, *kernel_lane_);
    started_unix_ = unix_now();
    control_ = std::make_unique<GatewayControl>(*gateway_, [this] { return reload(); }, started_unix_, unix_now);

    for (auto& sock : sockets_) {
        net::IkeSocket* s = sock.get();
        sources_.push_back(loop_.add_io(s->fd(), EPOLLIN, [this, s](std::uint32_t) {
            // Drain the socket: many datagrams may be queued (and some already taken from
            // the kernel in a batch: the fd is not readable for those).
            for (int i = 0; i < 64 || s->has_buffered(); ++i) {
                auto d = s->receive();
                if (!d) break;
                gateway_->handle_datagram(d->local, d->remote, d->data);
            }
            // A datagram may have armed an earlier deadline (a retransmission, a fragment timeout).
            if (gateway_->next_deadline_ms() < gateway_timer_due_ms_) arm_gateway_timer();
        }));
    }
    if (kernel_->event_fd() >= 0) {
        kernel_events_ = loop_.add_io(kernel_->event_fd(), EPOLLIN, [this](std::uint32_t) {
            kernel_->process_events([](const kernel::KernelEvent& ev) {
                LOG_INFO(Platform, "kernel: %s expire of SA 0x%08x",
                         ev.kind == kernel::KernelEvent::Kind::HardExpire ? "hard" : "soft", ev.spi);
            });
        });
    }
    sources_.push_back(loop_.add_signal(SIGTERM, [this] { stop(); }));
    sources_.push_back(loop_.add_signal(SIGINT, [this] { stop(); }));
    sources_.push_back(loop_.add_signal(SIGHUP, [this] { reload(); }));
    std::signal(SIGPIPE, SIG_IGN);
    arm_gateway_timer();

    dbus_access_ = control::ControlAccess{loaded.config->control.admin_gid};
    if (options_.dbus) {
        try {
            // The bus set-up runs off the loop; the service is made on the loop once the
            // connection owns the name.
            dbus_ = std::make_unique<control::ReconnectingDbusService>(
                loop_.raw(), &control::DbusService::connect_system_bus,
                [this](std::unique_ptr<sdbus::IConnection> connection) {
                    return std::make_unique<control::DbusService>(loop_, *control_, dbus_access_, std::move(connection),
                                                                  control::DbusService::BusName::Owned);
                });
        } catch (const std::exception& e) {
            LOG_ERR(Platform, "D-Bus status not available: %s", e.what());
        }
    }
    if (loaded.config->radius) {
        try {
            aaa_ = std::make_unique<AaaService>(loop_, *gateway_, *control_, loaded.config, started_unix_);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "ikev2d: RADIUS: %s\n", e.what());
            return 1;
        }
    }
    client_services_ = std::make_unique<services::ClientServices>(loaded.config);
    if (const auto& cs = loaded.config->client_services; cs.port != 0) {
        try {
            if (loaded.credentials->chain.empty() || !loaded.credentials->key) throw std::runtime_error("no gateway certificate");
            services::HttpsServerOptions o;
            o.port = cs.port;
            o.max_connections = cs.max_connections;
            client_services_https_ = std::make_unique<services::HttpsServer>(
                o, loaded.credentials->chain, *loaded.credentials->key,
                [cs = client_services_.get()](std::string_view head) { return cs->respond(head); });
        } catch (const std::exception& e) {
            std::fprintf(stderr, "ikev2d: client services on TCP port %u: %s\n", cs.port, e.what());
            return 1;
        }
    }
    gateway_->on_session_up = [this](const ike::IkeSa& sa) {
        if (!sa.client_services_token.empty()) client_services_->session_up(sa.client_services_token, sa.group);
        ++sessions_;
        status_.update(sessions_, gateway_->half_open());
        const control::SessionStatus session = control_->session_of(sa);
        if (aaa_) aaa_->session_up(sa, session);
        if (auto* dbus = dbus_service()) dbus->emit_session_up(session);
    };
    gateway_->on_session_down = [this](const ike::IkeSa& sa, const std::string& reason) {
        if (!sa.client_services_token.empty()) client_services_->session_down(sa.client_services_token);
        if (sessions_ > 0) --sessions_;
        status_.update(sessions_, gateway_->half_open());
        const control::SessionStatus session = control_->session_of(sa);
        log_session_accounting(sa, session, reason);
        if (aaa_) aaa_->session_down(session, reason);
        // D-Bus gets the fixed reason (ike/session_end.hpp); the log line above has the whole text.
        if (auto* dbus = dbus_service()) dbus->emit_session_down(session, ike::session_end_name(ike::session_end_of(reason)));
    };
    std::uint64_t watchdog_usec = 0;
    if (sd_watchdog_enabled(0, &watchdog_usec) > 0 && watchdog_usec > 0) {
        watchdog_ms_ = watchdog_usec / 2000;
        pet_watchdog();
    }
    LOG_ANNOUNCE(Platform, "ikev2d %s started (%s), %zu IKE sockets, %u worker threads per lane", IKEV2D_VERSION,
                 loaded.config->source.c_str(), sockets_.size(), workers_->size());
    warn_if_nobody_can_log_in(*loaded.config);
    status_.ready(sessions_, gateway_->half_open());
    int r = loop_.run();
    client_services_https_.reset();
    dbus_.reset();
    return r < 0 ? 1 : 0;
}

}  // namespace ikev2d::app
