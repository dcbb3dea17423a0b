// Memory per IKE SA of ikev2d's gateway code, in process: the real ike::Gateway with the
// fake kernel (the daemon has no fake-kernel mode, and this machine's kernel has no ESP
// to install Child SAs into), driven by tests/peer's initiator, one source address per
// client. Resident memory (VmRSS) is read before the first and after the last client.
//
//   memory_sessions --kind half-open|established --count N [--max-seconds S]
//
//   half-open    IKE_SA_INIT answered (SA, KE, Nonce): a half-open IKE SA each
//   established  IKE_SA_INIT + IKE_AUTH with a PSK: IKE SA + Child SA (in the fake
//                kernel's tables, which count too) + an address lease each
// Prints: MEMORY kind=.. count=N ok=N seconds=.. rss_before_kib=.. rss_after_kib=.. bytes_per_sa=..
// Stops making clients after S seconds (default 120): ok < count then says how far it got
// (exit status 0); ok < count with time left means the gateway refused some (status 1).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

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

// 100.64.0.0/10, one address per client.
Endpoint client(std::uint32_t n) {
    IpAddress a = IpAddress::v4(0x64400000u + n + 1);
    return Endpoint{a, 500};
}

[[noreturn]] void usage() {
    std::fprintf(stderr, "usage: memory_sessions --kind half-open|established --count N [--max-seconds S]\n");
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    std::string kind;
    long count = 0;
    double max_seconds = 120;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--kind") == 0) kind = argv[i + 1];
        else if (std::strcmp(argv[i], "--count") == 0) count = std::atol(argv[i + 1]);
        else if (std::strcmp(argv[i], "--max-seconds") == 0) max_seconds = std::atof(argv[i + 1]);
        else usage();
    }
    if ((kind != "half-open" && kind != "established") || count < 1 || count > 4'000'000 || max_seconds <= 0 ||
        argc % 2 == 0)
        usage();
    for (auto c : {log::Category::Protocol, log::Category::Platform, log::Category::Eap}) log::set_level(c, 0);

    GatewayHarness h(kConfig);
    peer::InitiatorConfig config;
    config.id = "client@bench.test";
    config.psk = "bench-psk-secret";
    config.key_exchange = peer::KeyExchange::create(peer::iana::kDhCurve25519);
    const bool establish = kind == "established";
    const long rss_before = bench::process_rss_kib(getpid()).value_or(-1);
    long ok = 0, tried = 0;
    std::string first_error;
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    for (long n = 0; n < count; ++n, ++tried) {
        if (n % 256 == 0 && elapsed() > max_seconds) break;
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
            !ini.child_spi_out().empty())
            ++ok;
        else if (first_error.empty())
            first_error = "IKE_AUTH: " + (answer.size() == 1 ? ini.error() : std::string("no single answer"));
    }
    const long rss_after = bench::process_rss_kib(getpid()).value_or(-1);
    std::printf("MEMORY kind=%s count=%ld ok=%ld seconds=%.1f rss_before_kib=%ld rss_after_kib=%ld bytes_per_sa=%.0f%s%s\n",
                kind.c_str(), count, ok, elapsed(), rss_before, rss_after,
                ok > 0 ? static_cast<double>(rss_after - rss_before) * 1024.0 / static_cast<double>(ok) : -1.0,
                first_error.empty() ? "" : " first_error=", first_error.c_str());
    return ok == tried ? 0 : 1;
}
