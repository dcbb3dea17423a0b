// The benchmark's IKEv2 load generator: many concurrent clients (tests/peer's initiator,
// see load_session.hpp for the modes) against one gateway, from sockets bound to
// consecutive source addresses (which must exist here: run.sh makes them in a network
// namespace). Bounded in count and time; stops by itself.
//
//   ike_load --gateway IP [--port 500] --source FIRST_IP [--sources N]
//            --mode init|psk|cert-eap|childless|gtc [--count N] [--duration S] [--rate R]
//            [--concurrency C] [--timeout S] [--retransmit S] [--gateway-pid PID]
//            [--label TEXT] [--psk SECRET] [--user NAME --password SECRET] [--group N]
//
// Clients are started at `rate` per second (0: as fast as `concurrency` clients in flight
// allow) until `count` were started or `duration` passed; each gets `timeout` seconds,
// its requests are retransmitted every `retransmit` seconds. With --gateway-pid the
// gateway's CPU seconds (/proc/PID/stat) and resident memory are read before and after.
// Prints one machine-readable line:
// --group: the DH group offered and used: 31 (X25519, the default) or 19 (ECP-256).
//   IKE_LOAD label=.. mode=.. ok=N failed=N timeouts=N child_ok=N child_refused=N
//            wall_s=.. gw_cpu_s=.. gen_cpu_s=.. per_wall=.. per_gw_cpu=.. gen_ceiling=..
//            lat_p50_ms=.. lat_p99_ms=.. lat_max_ms=.. rss_before_kib=.. rss_after_kib=..
//            retransmits=N first_error="..."
// per_wall = ok / wall_s, per_gw_cpu = ok / gw_cpu_s, gen_ceiling = ok / gen_cpu_s (what
// this generator could drive with one core of its own). Exit status 0 when at least one
// client got through, 1 otherwise, 2 on bad usage.
#include <arpa/inet.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "key_exchange.hpp"
#include "codec.hpp"
#include "iana.hpp"
#include "load_session.hpp"
#include "proc_stats.hpp"
#include "udp.hpp"

using namespace bench;
using adversarial::Address;
using adversarial::UdpSocket;
using adversarial::now_s;

namespace {

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: ike_load --gateway IP [--port 500] --source FIRST_IP [--sources N] "
                 "--mode init|psk|cert-eap|childless|gtc [--count N] [--duration S] [--rate R] [--concurrency C] "
                 "[--timeout S] [--retransmit S] [--gateway-pid PID] [--label TEXT] [--psk SECRET] "
                 "[--user NAME --password SECRET] [--group N]\n");
    std::exit(2);
}

struct Options {
    std::string gateway, source, label = "gateway", psk = "bench-psk-secret", user = "bench", password = "bench-password";
    std::uint16_t port = 500;
    int sources = 1;
    LoadMode mode = LoadMode::Init;
    long count = 1000, concurrency = 64;
    double duration = 10, rate = 0, timeout = 10, retransmit = 1;
    pid_t gateway_pid = 0;
    std::uint16_t group = peer::iana::kDhCurve25519;
};

Options parse(int argc, char** argv) {
    Options o;
    bool have_mode = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage();
            return argv[++i];
        };
        try {
            if (a == "--gateway") o.gateway = value();
            else if (a == "--port") o.port = static_cast<std::uint16_t>(std::stoi(value()));
            else if (a == "--source") o.source = value();
            else if (a == "--sources") o.sources = std::stoi(value());
            else if (a == "--mode") {
                auto m = parse_mode(value());
                if (!m) usage();
                o.mode = *m;
                have_mode = true;
            } else if (a == "--count") o.count = std::stol(value());
            else if (a == "--duration") o.duration = std::stod(value());
            else if (a == "--rate") o.rate = std::stod(value());
            else if (a == "--concurrency") o.concurrency = std::stol(value());
            else if (a == "--timeout") o.timeout = std::stod(value());
            else if (a == "--retransmit") o.retransmit = std::stod(value());
            else if (a == "--gateway-pid") o.gateway_pid = static_cast<pid_t>(std::stol(value()));
            else if (a == "--label") o.label = value();
            else if (a == "--psk") o.psk = value();
            else if (a == "--user") o.user = value();
            else if (a == "--password") o.password = value();
            else if (a == "--group") o.group = static_cast<std::uint16_t>(std::stoi(value()));
            else usage();
        } catch (const std::logic_error&) {
            usage();
        }
    }
    if (o.gateway.empty() || o.source.empty() || !have_mode || o.sources < 1 || o.sources > 1000 || o.count < 1 ||
        o.concurrency < 1 || o.duration <= 0 || o.timeout <= 0 || o.retransmit <= 0 || o.rate < 0)
        usage();
    return o;
}

struct InFlight {
    LoadSession session;
    std::size_t socket;
    double started, last_send;
};

struct Totals {
    long started = 0, ok = 0, failed = 0, timeouts = 0, child_ok = 0, child_refused = 0, retransmits = 0;
    std::vector<float> latencies_ms;
    std::string first_error;
};

double percentile(std::vector<float>& v, double p) {
    if (v.empty()) return 0;
    const auto k = static_cast<std::size_t>(std::min<double>(static_cast<double>(v.size() - 1), p * static_cast<double>(v.size())));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

std::string quoted(std::string s) {
    std::replace(s.begin(), s.end(), '"', '\'');
    return "\"" + s + "\"";
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    const Address gw = Address::parse(o.gateway, o.port);
    in_addr first{};
    if (inet_pton(AF_INET, o.source.c_str(), &first) != 1) usage();
    std::vector<std::unique_ptr<UdpSocket>> socks;
    for (int i = 0; i < o.sources; ++i) {
        in_addr a{htonl(ntohl(first.s_addr) + static_cast<std::uint32_t>(i))};
        char text[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &a, text, sizeof text);
        socks.push_back(std::make_unique<UdpSocket>(Address::parse(text, 0)));
    }
    // epoll, not poll: with 64 sockets, polling them all per wakeup costs more than the IKE work.
    const int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) {
        std::perror("epoll_create1");
        return 1;
    }
    for (std::size_t i = 0; i < socks.size(); ++i) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = i;
        epoll_ctl(ep, EPOLL_CTL_ADD, socks[i]->fd(), &ev);
    }
    std::vector<epoll_event> ready(socks.size());

    peer::InitiatorConfig config;
    config.id = "client@bench.test";
    config.psk = o.psk;
    config.eap_user = o.user;
    config.eap_password = o.password;
    // One key pair for all clients: the gateway still makes its own per SA.
    config.groups = {o.group};
    config.key_exchange = peer::KeyExchange::create(o.group);
    if (!config.key_exchange) usage();

    std::unordered_map<std::uint64_t, InFlight> flying;
    flying.reserve(static_cast<std::size_t>(std::min(o.concurrency, o.count)) * 2);
    Totals t;
    t.latencies_ms.reserve(static_cast<std::size_t>(std::min<long>(o.count, 10'000'000)));
    auto finish = [&](std::unordered_map<std::uint64_t, InFlight>::iterator it, LoadSession::State state, double now) {
        InFlight& f = it->second;
        if (state == LoadSession::State::Established) {
            ++t.ok;
            t.latencies_ms.push_back(static_cast<float>((now - f.started) * 1000));
            if (o.mode != LoadMode::Init && o.mode != LoadMode::Childless) {
                if (f.session.has_child()) ++t.child_ok;
                else ++t.child_refused;
            }
        } else {
            ++t.failed;
            if (t.first_error.empty()) t.first_error = f.session.error();
        }
        flying.erase(it);
    };

    const std::optional<double> gw_cpu_before = o.gateway_pid ? process_cpu_seconds(o.gateway_pid) : std::nullopt;
    const std::optional<long> rss_before = o.gateway_pid ? process_rss_kib(o.gateway_pid) : std::nullopt;
    const double gen_cpu_before = own_cpu_seconds();
    const double start = now_s(), stop_starting = start + o.duration;
    double last_done = start, next_scan = start;
    peer::Bytes buffer(65536);
    while (true) {
        double now = now_s();
        const bool may_start = t.started < o.count && now < stop_starting;
        if (!may_start && flying.empty()) break;
        if (!may_start && now > stop_starting + o.timeout + 1) break;  // a bound whatever happens
        // Start clients: paced by rate, limited by concurrency.
        long due = o.count;
        if (o.rate > 0) due = std::min<long>(o.count, static_cast<long>((now - start) * o.rate) + 1);
        while (may_start && t.started < due && static_cast<long>(flying.size()) < o.concurrency) {
            LoadSession s(o.mode, config);
            const std::size_t sock = static_cast<std::size_t>(t.started % o.sources);
            socks[sock]->send_to(gw, s.request());
            const std::uint64_t spi = s.spi_i();
            flying.emplace(spi, InFlight{std::move(s), sock, now, now});
            ++t.started;
        }
        const bool more_now = may_start && t.started < due && static_cast<long>(flying.size()) < o.concurrency;
        const int nready = epoll_wait(ep, ready.data(), static_cast<int>(ready.size()), more_now ? 0 : 1);
        for (int r = 0; r < nready; ++r) {
            const std::size_t i = ready[static_cast<std::size_t>(r)].data.u64;
            {
                for (int n = 0; n < 256; ++n) {
                    auto packet = socks[i]->receive_now(buffer);
                    if (!packet) break;
                    auto header = peer::decode_header(*packet);
                    if (!header) continue;
                    auto it = flying.find(header->spi_i);
                    if (it == flying.end()) continue;
                    bool resend = false;
                    const LoadSession::State state = it->second.session.on_packet(*packet, resend);
                    now = now_s();
                    if (state != LoadSession::State::Waiting) {
                        finish(it, state, now);
                        last_done = now;
                    } else if (resend) {
                        socks[it->second.socket]->send_to(gw, it->second.session.request());
                        it->second.last_send = now;
                    }
                }
            }
        }
        now = now_s();
        if (now >= next_scan) {  // retransmits and timeouts
            next_scan = now + 0.05;
            for (auto it = flying.begin(); it != flying.end();) {
                InFlight& f = it->second;
                if (now - f.started > o.timeout) {
                    ++t.timeouts;
                    if (t.first_error.empty()) t.first_error = "no answer within the timeout";
                    it = flying.erase(it);
                    continue;
                }
                if (now - f.last_send >= o.retransmit) {
                    socks[f.socket]->send_to(gw, f.session.request());
                    f.last_send = now;
                    ++t.retransmits;
                }
                ++it;
            }
        }
    }
    close(ep);
    const double wall = std::max(last_done - start, 1e-6);
    const double gen_cpu = own_cpu_seconds() - gen_cpu_before;
    const std::optional<double> gw_cpu_after = o.gateway_pid ? process_cpu_seconds(o.gateway_pid) : std::nullopt;
    const std::optional<long> rss_after = o.gateway_pid ? process_rss_kib(o.gateway_pid) : std::nullopt;
    const double gw_cpu = gw_cpu_before && gw_cpu_after ? *gw_cpu_after - *gw_cpu_before : -1;
    const double ok = static_cast<double>(t.ok);
    std::printf("IKE_LOAD label=%s mode=%s ok=%ld failed=%ld timeouts=%ld child_ok=%ld child_refused=%ld wall_s=%.3f "
                "gw_cpu_s=%.2f gen_cpu_s=%.3f per_wall=%.0f per_gw_cpu=%.0f gen_ceiling=%.0f lat_p50_ms=%.1f "
                "lat_p99_ms=%.1f lat_max_ms=%.1f rss_before_kib=%ld rss_after_kib=%ld retransmits=%ld first_error=%s\n",
                o.label.c_str(), mode_name(o.mode), t.ok, t.failed, t.timeouts, t.child_ok, t.child_refused, wall,
                gw_cpu, gen_cpu, ok / wall, gw_cpu > 0 ? ok / gw_cpu : -1.0, gen_cpu > 0 ? ok / gen_cpu : -1.0,
                percentile(t.latencies_ms, 0.5), percentile(t.latencies_ms, 0.99), percentile(t.latencies_ms, 1.0),
                rss_before.value_or(-1), rss_after.value_or(-1), t.retransmits, quoted(t.first_error).c_str());
    return t.ok > 0 ? 0 : 1;
}
