// Memory per IKE SA of ikev2d's gateway code, and the cost of its timer tick, in process:
// the real ike::Gateway with the fake kernel (the daemon has no fake-kernel mode, and
// this machine's kernel has no ESP to install Child SAs into), driven by tests/peer's
// initiator, one source address per client, on a fake clock.
//
//   memory_sessions --kind half-open|established --count N [--max-seconds S] [--dpd-interval S]
//
//   half-open    IKE_SA_INIT answered (SA, KE, Nonce): a half-open IKE SA each
//   established  IKE_SA_INIT + IKE_AUTH with a PSK: IKE SA + Child SA (two ESP SAs and
//                three policies in the fake kernel's tables) + an address lease each
//
// Established sessions run with DPD (default every 60 s): they come up spread over the
// first half interval of fake time while the timer ticks every 500 ms, then the clock
// runs on through an idle stretch (no SA due) and through the DPD round (every session
// probed once; the probes of one session in 64 are answered by its initiator, the
// others stay outstanding, as for peers that went away). Each tick's CPU time (of this
// thread, so that other load on the machine does not count) is measured.
//
// Prints one line: MEMORY kind=.. count=N ok=N seconds=.. rss_before_kib=.. rss_after_kib=..
// bytes_per_sa=.. (VmRSS growth per SA, everything in the process), and from mallinfo2:
// heap_bytes_per_sa, kernel_bytes_per_sa (the fake kernel's tables: not the daemon's
// cost), tools_bytes_per_sa (the kept initiators), gateway_bytes_per_sa (the heap left);
// for established with DPD also the ticks: idle_tick_us (median, nothing due),
// idle_visits, dpd_ticks, dpd_tick_us (median) and dpd_tick_max_us, visits_per_dpd_tick,
// ns_per_visit, dpd_sent, dpd_answered, retransmits, timer_entries.
// Stops making clients after S seconds (default 120): ok < count then says how far it got
// (exit status 0); ok < count with time left means the gateway refused some (status 1).
#include <malloc.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "../unit/ike/gateway_harness.hpp"
#include "codec.hpp"
#include "iana.hpp"
#include "initiator.hpp"
#include "key_exchange.hpp"
#include "proc_stats.hpp"
#include "util/log.hpp"

using namespace ikev2d;
using test_ike::GatewayHarness;

namespace {

// Limits out of the way (this measures memory, not admission); a pool for 100k+ clients.
const char* const kConfig = R"(
[global]
listen = ["192.0.2.1"]
half_open_cookie_threshold = 10000000
half_open_limit = 10000000
half_open_per_source_limit = 1000
auth_timeout_s = 3600
default_group = "psk"

[dpd]
interval_s = DPD_INTERVAL
retries = 3

[[ike_policy]]
priority = 10
encryption = ["aes-gcm-256"]
prf = ["sha256"]
groups = ["curve25519"]

[ipsec_proposal.default]
encryption = ["aes-gcm-256"]

[pool.p]
range = "10.64.0.1-10.71.255.254"

[group.psk]
pool = "p"
client_auth = "psk"
psk = "bench-psk-secret"
local_networks = ["0.0.0.0/0"]
)";

constexpr std::uint32_t kClientBase = 0x64400000u;  // 100.64.0.0/10, one address per client
constexpr long kAnswerOneIn = 64;                   // initiators kept to answer DPD
constexpr std::uint64_t kTickMs = 500;

Endpoint client(std::uint32_t n) { return Endpoint{IpAddress::v4(kClientBase + n + 1), 500}; }

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: memory_sessions --kind half-open|established --count N [--max-seconds S] [--dpd-interval S]\n");
    std::exit(2);
}

// malloc's bytes in use, including large blocks it mmaps (e.g. the timer heap's array).
std::size_t heap_in_use() {
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

// CPU time of this thread: a tick's cost, whatever else runs on the machine.
double thread_cpu_us() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

double median(std::vector<double> v) {
    if (v.empty()) return -1;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// The gateway's timer on the fake clock: one tick per 500 ms up to `until`, each timed.
struct Ticker {
    GatewayHarness& h;
    std::uint64_t next_tick_ms;
    std::vector<double> tick_us;

    void run_until(std::uint64_t until) {
        while (next_tick_ms <= until) {
            h.now_ms = next_tick_ms;
            const double t0 = thread_cpu_us();
            h.gateway->on_timer();
            tick_us.push_back(thread_cpu_us() - t0);
            next_tick_ms += kTickMs;
            after_tick();
        }
        h.now_ms = std::max(h.now_ms, until);
    }
    std::function<void()> after_tick = [] {};
};

}  // namespace

int main(int argc, char** argv) {
    std::string kind;
    long count = 0;
    double max_seconds = 120;
    long dpd_interval_s = 60;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--kind") == 0) kind = argv[i + 1];
        else if (std::strcmp(argv[i], "--count") == 0) count = std::atol(argv[i + 1]);
        else if (std::strcmp(argv[i], "--max-seconds") == 0) max_seconds = std::atof(argv[i + 1]);
        else if (std::strcmp(argv[i], "--dpd-interval") == 0) dpd_interval_s = std::atol(argv[i + 1]);
        else usage();
    }
    if ((kind != "half-open" && kind != "established") || count < 1 || count > 4'000'000 || max_seconds <= 0 ||
        dpd_interval_s < 0 || dpd_interval_s > 3600 || argc % 2 == 0)
        usage();
    for (auto c : {log::Category::Protocol, log::Category::Platform, log::Category::Eap}) log::set_level(c, 0);

    std::string toml = kConfig;
    toml.replace(toml.find("DPD_INTERVAL"), 12, std::to_string(dpd_interval_s));
    GatewayHarness h(toml);
    peer::InitiatorConfig config;
    config.id = "client@bench.test";
    config.psk = "bench-psk-secret";
    config.key_exchange = peer::KeyExchange::create(peer::iana::kDhCurve25519);
    const bool establish = kind == "established";
    const std::uint64_t dpd_ms = static_cast<std::uint64_t>(dpd_interval_s) * 1000;
    const bool with_dpd = establish && dpd_ms > 0;
    // The sessions come up over the first half DPD interval, so that their probes spread.
    const std::uint64_t start_ms = h.now_ms;
    const double spacing_ms = with_dpd ? static_cast<double>(dpd_ms) / 2 / static_cast<double>(count) : 0;
    Ticker ticker{h, start_ms + kTickMs, {}};
    std::map<std::uint32_t, peer::Initiator> kept;  // by client number: they answer DPD

    const long rss_before = bench::process_rss_kib(getpid()).value_or(-1);
    const std::size_t heap_before = heap_in_use();
    long ok = 0, tried = 0;
    std::string first_error;
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    for (long n = 0; n < count; ++n, ++tried) {
        if (n % 256 == 0 && elapsed() > max_seconds) break;
        if (with_dpd) ticker.run_until(start_ms + static_cast<std::uint64_t>(spacing_ms * static_cast<double>(n)));
        const Endpoint from = client(static_cast<std::uint32_t>(n));
        peer::Initiator ini(config);
        auto answer = h.deliver(from, ini.sa_init_request());
        if (answer.size() != 1) {
            if (first_error.empty()) first_error = "no single IKE_SA_INIT answer";
            continue;
        }
        if (!establish) {
            auto msg = peer::decode_message(answer.front());
            if (msg && peer::find(msg->payloads, peer::iana::kSA)) ++ok;
            else if (first_error.empty()) first_error = "IKE_SA_INIT answered without SA";
            continue;
        }
        if (ini.on_sa_init_response(answer.front()) != peer::Initiator::Step::Done) {
            if (first_error.empty()) first_error = "IKE_SA_INIT: " + ini.error();
            continue;
        }
        answer = h.deliver(from, ini.auth_request());
        if (answer.size() == 1 && ini.on_auth_response(answer.front()) == peer::Initiator::Step::Done &&
            !ini.child_spi_out().empty()) {
            ++ok;
            if (with_dpd && n % kAnswerOneIn == 0) kept.emplace(static_cast<std::uint32_t>(n), std::move(ini));
        } else if (first_error.empty()) {
            first_error = "IKE_AUTH: " + (answer.size() == 1 ? ini.error() : std::string("no single answer"));
        }
    }
    const double seconds = elapsed();

    // The timer: an idle stretch, then the DPD round.
    std::string timer_fields;
    if (with_dpd) {
        const ike::Counters& c = h.gateway->counters();
        const std::uint64_t first_due = start_ms + dpd_ms;
        ticker.tick_us.clear();
        const std::uint64_t visits0 = c.timer_sa_visits;
        ticker.run_until(first_due - 1);
        const std::vector<double> idle = ticker.tick_us;
        const std::uint64_t idle_visits = c.timer_sa_visits - visits0;

        long answered = 0;
        ticker.after_tick = [&] {
            std::vector<test_ike::Sent> probes = std::move(h.sent);
            h.sent.clear();
            for (const auto& p : probes) {
                if (!p.remote.addr.is_v4()) continue;
                auto it = kept.find(p.remote.addr.v4_host_order() - kClientBase - 1);
                if (it == kept.end()) continue;
                if (auto reply = it->second.answer_request(p.data)) {
                    h.deliver(p.remote, *reply);
                    ++answered;
                }
            }
        };
        h.sent.clear();
        ticker.tick_us.clear();
        const std::uint64_t visits1 = c.timer_sa_visits, sent1 = c.dpd_sent;
        ticker.run_until(first_due + dpd_ms / 2 + 1000);
        const std::vector<double>& round = ticker.tick_us;
        const std::uint64_t round_visits = c.timer_sa_visits - visits1;
        double round_us = 0;
        for (double t : round) round_us += t;
        char buf[512];
        std::snprintf(buf, sizeof buf,
                      " dpd_interval_s=%ld idle_ticks=%zu idle_tick_us=%.1f idle_visits=%llu dpd_ticks=%zu "
                      "dpd_tick_us=%.1f dpd_tick_max_us=%.1f visits_per_dpd_tick=%.1f ns_per_visit=%.0f dpd_sent=%llu "
                      "dpd_answered=%ld retransmits=%llu timer_entries=%zu",
                      dpd_interval_s, idle.size(), median(idle), static_cast<unsigned long long>(idle_visits),
                      round.size(), median(round), round.empty() ? -1.0 : *std::max_element(round.begin(), round.end()),
                      round.empty() ? 0.0 : static_cast<double>(round_visits) / static_cast<double>(round.size()),
                      round_visits ? round_us * 1000 / static_cast<double>(round_visits) : -1.0,
                      static_cast<unsigned long long>(c.dpd_sent - sent1), answered,
                      static_cast<unsigned long long>(c.retransmits), h.gateway->deadlines().size());
        timer_fields = buf;
    }

    const long rss_after = bench::process_rss_kib(getpid()).value_or(-1);
    const std::size_t heap_after = heap_in_use();
    // What the fake kernel and the kept initiators hold, by freeing it (after RSS was read).
    kept.clear();
    const std::size_t heap_without_tools = heap_in_use();
    h.kernel.flush_own();
    const std::size_t heap_without_kernel = heap_in_use();
    auto per_sa = [&](double bytes) { return ok > 0 ? bytes / static_cast<double>(ok) : -1.0; };
    const double heap_total = static_cast<double>(heap_after) - static_cast<double>(heap_before);
    const double tools = static_cast<double>(heap_after) - static_cast<double>(heap_without_tools);
    const double kernel = static_cast<double>(heap_without_tools) - static_cast<double>(heap_without_kernel);
    std::printf("MEMORY kind=%s count=%ld ok=%ld seconds=%.1f rss_before_kib=%ld rss_after_kib=%ld bytes_per_sa=%.0f "
                "heap_bytes_per_sa=%.0f kernel_bytes_per_sa=%.0f tools_bytes_per_sa=%.0f gateway_bytes_per_sa=%.0f%s%s%s\n",
                kind.c_str(), count, ok, seconds, rss_before, rss_after,
                per_sa(static_cast<double>(rss_after - rss_before) * 1024.0), per_sa(heap_total), per_sa(kernel),
                per_sa(tools), per_sa(heap_total - kernel - tools), timer_fields.c_str(),
                first_error.empty() ? "" : " first_error=", first_error.c_str());
    return ok == tried ? 0 : 1;
}
