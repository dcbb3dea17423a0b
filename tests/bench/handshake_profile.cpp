// The gateway's own cost per handshake, in process and without the network: ikev2d's
// ike::Gateway with the fake kernel, configured as tests/bench/lib/gateways.sh configures
// the benchmark's daemon (logging at the default levels, to stderr), driven by the load
// generator's clients (load_session.hpp) for one mode, one client at a time, from 64
// source addresses. Meant to run under callgrind, counting only the gateway's side:
//
//   valgrind --tool=callgrind --collect-atstart=no
//     --toggle-collect='*gateway_turn*'
//     build/tests/bench/handshake_profile --mode psk --count 200 2>/dev/null
//
// (tests/bench/callgrind_handshakes.sh does that for every mode and divides by the
// count.) Without valgrind it prints the gateway's CPU time per handshake (thread CPU
// time around handle_datagram, so the client's work is not in it).
//
//   handshake_profile --mode init|psk|childless|cert-eap-rsa|cert-eap-ecdsa --count N
//                     [--warmup W] [--refuse-child]
//   handshake_profile --floor x25519|rsa|ecdsa --count N
//
//   --warmup W      W handshakes first, not counted (callgrind's counters are zeroed after them)
//   --refuse-child  the kernel refuses every Child SA, as on the benchmark's host (no ESP)
//   --floor         instead of handshakes, N times the crypto bound's operations
//                   (crypto_bound.cpp): an X25519 key pair and shared secret (nettle), or
//                   a GnuTLS RSA-2048 / ECDSA P-256 SHA-256 signature over 400 bytes, each in
//                   floor_operation() (callgrind: --toggle-collect='*floor_operation*')
// Prints: HANDSHAKES mode=.. count=N ok=N gateway_cpu_us=.. (per handshake)
#include <time.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_ZERO_STATS
#endif

#include <gnutls/abstract.h>
#include <nettle/curve25519.h>

#include "config/config.hpp"
#include "crypto/private_key.hpp"
#include "crypto/self_signed.hpp"
#include "ike/gateway.hpp"
#include "util/worker_pool.hpp"
#include "kernel/fake_kernel.hpp"
#include "load_session.hpp"

using namespace ikev2d;
using bench::LoadMode;
using bench::LoadSession;

namespace {

// As lib/gateways.sh writes it for ikev2d (state_dir, listen address and files aside).
const char* const kConfig = R"(
[global]
listen = ["192.0.2.1"]
half_open_cookie_threshold = 10000000
half_open_limit = 10000000
half_open_per_source_limit = 10000000
source_work_ms_per_s = 1000
source_work_burst_ms = 60000
auth_timeout_s = 600
retransmit_base_ms = 4000
forwarding = false
default_group = "bench"

[dpd]
interval_s = 0

[[ike_policy]]
priority = 10
encryption = ["aes-gcm-256"]
prf = ["sha256"]
groups = ["curve25519"]

[ipsec_proposal.default]
encryption = ["aes-gcm-256"]

[pool.bench]
range = "10.64.0.1-10.71.255.254"

[group.bench]
pool = "bench"
%AUTH%
ipsec_proposal = "default"
local_networks = ["10.99.0.0/16"]

[user.bench]
group = "bench"
password = "bench-password"
)";

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: handshake_profile --mode init|psk|childless|cert-eap-rsa|cert-eap-ecdsa --count N "
                 "[--warmup W] [--refuse-child]\n       handshake_profile --floor x25519|rsa|ecdsa --count N\n");
    std::exit(2);
}

class Bench {
public:
    Bench(const std::string& mode, bool refuse_child) : refuse_child_(refuse_child) {
        const bool eap = mode.rfind("cert-eap", 0) == 0;
        std::string toml = kConfig;
        toml.replace(toml.find("%AUTH%"), 6,
                     eap ? "client_auth = \"eap\"\neap_methods = [\"mschapv2\"]"
                         : "client_auth = \"psk\"\npsk = \"bench-psk-secret\"");
        auto loaded = config::load_string(toml, "handshake_profile.conf");
        if (!loaded) throw std::runtime_error("config: " + loaded.error().to_string());
        auto cfg = std::make_shared<config::Config>(std::move(loaded.value()));
        cfg->trustpoint.identity = "gw.bench.test";
        auto creds = std::make_shared<ike::Credentials>();
        crypto::PrivateKey key = mode == "cert-eap-rsa" ? crypto::PrivateKey::generate(crypto::KeyType::RSA, 2048)
                                                        : crypto::PrivateKey::generate(crypto::KeyType::ECDSA_P256);
        crypto::SelfSignedOptions opts;
        opts.identities = {"gw.bench.test"};
        creds->chain.push_back(crypto::make_self_signed(key, opts));
        creds->key = std::move(key);
        gateway_ = std::make_unique<ike::Gateway>(
            cfg, creds, kernel_,
            [this](const Endpoint&, const Endpoint&, ByteView d) { sent_.emplace_back(d.begin(), d.end()); },
            ike::Gateway::Clock{[this] { return now_ms_; }, [this] { return now_ms_ / 1000; }}, executor_);
        if (mode == "init") mode_ = LoadMode::Init;
        else if (mode == "psk") mode_ = LoadMode::Psk;
        else if (mode == "childless") mode_ = LoadMode::Childless;
        else mode_ = LoadMode::CertEap;
        credentials_.id = "client@bench.test";
        credentials_.psk = "bench-psk-secret";
        credentials_.eap_user = "bench";
        credentials_.eap_password = "bench-password";
        // One key pair for all clients, as the load generator does.
        credentials_.key_exchange = peer::KeyExchange::create(31);
    }

    // One handshake from the n-th client; true when it completed.
    bool run(unsigned n) {
        const Endpoint from{IpAddress::v4(0x0a4d0101u + n % 64), 500};  // 10.77.1.1-64
        const Endpoint local{IpAddress::v4(0xc0000201u), 500};
        LoadSession session(mode_, credentials_);
        Bytes request = session.request();
        for (int round = 0; round < 10; ++round) {
            if (refuse_child_) kernel_.fail_next(kernel::FakeKernel::Op::AddSa, ENOSYS);
            sent_.clear();
            const double start = thread_cpu_seconds();
            gateway_turn(local, from, request);
            gateway_seconds_ += thread_cpu_seconds() - start;
            now_ms_ += 1;
            if (sent_.empty()) return false;
            bool resend = false;
            LoadSession::State state = LoadSession::State::Waiting;
            for (const auto& a : sent_) state = session.on_packet(a, resend);
            if (state == LoadSession::State::Established) return true;
            if (state == LoadSession::State::Failed || !resend) {
                if (error_.empty()) error_ = session.error();
                return false;
            }
            request = session.request();
        }
        return false;
    }

    double gateway_seconds() const { return gateway_seconds_; }
    void reset_time() { gateway_seconds_ = 0; }
    const std::string& error() const { return error_; }

private:
    bool refuse_child_;
    LoadMode mode_ = LoadMode::Init;
    kernel::FakeKernel kernel_;
    std::uint64_t now_ms_ = 1'000'000;
    std::vector<Bytes> sent_;
    // The gateway's whole share of a datagram: the handler and the jobs it posted (the
    // daemon runs those on its worker pool; here on this thread, so that callgrind's
    // --toggle-collect='*gateway_turn*' and the thread CPU time count them).
    __attribute__((noinline)) void gateway_turn(const Endpoint& local, const Endpoint& from, ByteView request) {
        gateway_->handle_datagram(local, from, request);
        while (executor_.run_pending() > 0) {
        }
    }

    util::ManualExecutor executor_;  // before the gateway: it outlives it
    std::unique_ptr<ike::Gateway> gateway_;
    peer::InitiatorConfig credentials_;
    double gateway_seconds_ = 0;
    std::string error_;
};

// One operation of the crypto bound, as crypto_bound.cpp times it.
struct Floor {
    std::uint8_t secret[CURVE25519_SIZE] = {1}, pub[CURVE25519_SIZE] = {}, peer[CURVE25519_SIZE] = {9},
                 shared[CURVE25519_SIZE] = {};
    gnutls_privkey_t key = nullptr;
    gnutls_sign_algorithm_t algo = GNUTLS_SIGN_UNKNOWN;
    std::vector<unsigned char> octets = std::vector<unsigned char>(400, 0x42);
    explicit Floor(const std::string& what) {
        if (what == "x25519") return;
        const bool rsa = what == "rsa";
        if (gnutls_privkey_init(&key) < 0 ||
            gnutls_privkey_generate(key, rsa ? GNUTLS_PK_RSA : GNUTLS_PK_ECDSA,
                                    rsa ? 2048 : GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0) < 0)
            throw std::runtime_error("gnutls_privkey_generate failed");
        algo = rsa ? GNUTLS_SIGN_RSA_SHA256 : GNUTLS_SIGN_ECDSA_SHA256;
    }
    ~Floor() {
        if (key) gnutls_privkey_deinit(key);
    }
    Floor(const Floor&) = delete;
    Floor& operator=(const Floor&) = delete;
};

__attribute__((noinline)) void floor_operation(Floor& f) {
    if (!f.key) {
        curve25519_mul_g(f.pub, f.secret);
        curve25519_mul(f.shared, f.secret, f.peer);
        f.secret[0] ^= f.shared[1];
        return;
    }
    gnutls_datum_t d{f.octets.data(), static_cast<unsigned>(f.octets.size())}, sig{};
    if (gnutls_privkey_sign_data2(f.key, f.algo, 0, &d, &sig) < 0) throw std::runtime_error("signing failed");
    gnutls_free(sig.data);
}

}  // namespace

int main(int argc, char** argv) {
    std::string mode, floor;
    long count = 0, warmup = 5;
    bool refuse_child = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--refuse-child") refuse_child = true;
        else if (i + 1 >= argc) usage();
        else if (arg == "--mode") mode = argv[++i];
        else if (arg == "--floor") floor = argv[++i];
        else if (arg == "--count") count = std::atol(argv[++i]);
        else if (arg == "--warmup") warmup = std::atol(argv[++i]);
        else usage();
    }
    if (!floor.empty()) {
        if ((floor != "x25519" && floor != "rsa" && floor != "ecdsa") || count < 1) usage();
        Floor f(floor);
        for (long i = 0; i < count; ++i) floor_operation(f);
        std::printf("FLOOR op=%s count=%ld\n", floor.c_str(), count);
        return 0;
    }
    if ((mode != "init" && mode != "psk" && mode != "childless" && mode != "cert-eap-rsa" &&
         mode != "cert-eap-ecdsa") ||
        count < 1 || warmup < 0)
        usage();
    Bench bench(mode, refuse_child);
    unsigned n = 0;
    for (long i = 0; i < warmup; ++i) bench.run(n++);
    bench.reset_time();
    CALLGRIND_ZERO_STATS;
    long ok = 0;
    for (long i = 0; i < count; ++i) ok += bench.run(n++) ? 1 : 0;
    std::printf("HANDSHAKES mode=%s count=%ld ok=%ld gateway_cpu_us=%.1f%s%s\n", mode.c_str(), count, ok,
                bench.gateway_seconds() * 1e6 / static_cast<double>(count), bench.error().empty() ? "" : " error=",
                bench.error().c_str());
    return ok == count ? 0 : 1;
}
