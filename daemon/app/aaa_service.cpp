#include "app/aaa_service.hpp"

#include <sys/epoll.h>

#include <ctime>

#include "util/log.hpp"

namespace ikev2d::app {
namespace {

constexpr std::chrono::milliseconds kInterimTick{5000};

std::uint64_t unix_now() { return static_cast<std::uint64_t>(std::time(nullptr)); }

bool group_accounts(const config::Config& c, const std::string& group) {
    const config::GroupConfig* g = c.group(group);
    return g != nullptr && g->radius_accounting;
}

// Every identifying attribute the request carries must match (RFC 5176 3).
bool names(const aaa::DaeRequest& r, const control::SessionStatus& s, const std::string& session_id) {
    if (r.user_name && *r.user_name != s.username) return false;
    if (r.acct_session_id && *r.acct_session_id != session_id) return false;
    if (r.framed_ip && r.framed_ip->to_string() != s.assigned_ip) return false;
    if (r.calling_station_id && *r.calling_station_id != s.public_ip) return false;
    return true;
}

}  // namespace

AaaService::AaaService(net::EventLoop& loop, ike::Gateway& gateway, GatewayControl& control,
                       std::shared_ptr<const config::Config> config, std::uint64_t boot_unix)
    : loop_(loop), gateway_(gateway), control_(control), config_(std::move(config)) {
    const aaa::RadiusSettings& settings = *config_->radius;
    client_ = std::make_shared<aaa::RadiusClient>(settings);
    io_ = std::make_unique<util::WorkerPool>(kIoThreads);
    gateway_.set_radius(client_, io_.get());
    io_source_ = loop_.add_io(io_->completion_fd(), EPOLLIN, [this](std::uint32_t) { io_->run_completions(); });
    accounting_ = std::make_unique<RadiusAccounting>(client_, *io_, settings.interim_interval_s, boot_unix);
    if (settings.dae_port != 0) {
        DaeResponder responder(
            settings,
            [this](const aaa::DaeRequest& r) {
                std::vector<std::uint32_t> ids;
                for (const auto& s : control_.sessions())
                    if (names(r, s, accounting_->session_id(s.index))) ids.push_back(s.index);
                return ids;
            },
            [this](std::uint32_t id) { gateway_.disconnect(id, "RADIUS Disconnect-Request"); },
            [this](std::uint32_t id, const aaa::DaeRequest& r) {
                gateway_.change_session_limits(id, r.session_timeout_s, r.idle_timeout_s);
            });
        dae_ = std::make_unique<DaeListener>(loop_, settings.dae_port, std::move(responder));
    }
    if (settings.interim_interval_s) arm_interim_timer();
    LOG_INFO(Platform, "RADIUS: %zu server(s), first %s; dynamic authorization %s", settings.servers.size(),
             settings.servers.front().name.c_str(),
             settings.dae_port ? ("on UDP port " + std::to_string(settings.dae_port)).c_str() : "off");
}

AaaService::~AaaService() { gateway_.set_radius(nullptr); }

void AaaService::arm_interim_timer() {
    interim_timer_ = loop_.add_timer(kInterimTick, [this] {
        accounting_->send_interims(unix_now(), [this](std::uint32_t id) -> std::optional<control::SessionStatus> {
            for (const auto& [spi, sa] : gateway_.sas())
                if (sa->unique_id == id && sa->state == ike::IkeSaState::Established && !sa->rekeyed_to)
                    return control_.session_of(*sa);
            return std::nullopt;
        });
        arm_interim_timer();
    });
}

void AaaService::session_up(const ike::IkeSa& sa, const control::SessionStatus& session) {
    if (group_accounts(*config_, sa.group))
        accounting_->session_up(session, sa.radius ? sa.radius->classes : std::vector<Bytes>{}, unix_now());
}

void AaaService::session_down(const control::SessionStatus& session, const std::string& reason) {
    accounting_->session_down(session, reason);  // only the sessions it started
}

void AaaService::reconfigure(std::shared_ptr<const config::Config> config) {
    config_ = std::move(config);
    // Jobs in flight keep the old client (they hold a reference); new ones use the new one.
    client_ = std::make_shared<aaa::RadiusClient>(*config_->radius);
    gateway_.set_radius(client_, io_.get());
    accounting_->set_client(client_);
}

}  // namespace ikev2d::app
