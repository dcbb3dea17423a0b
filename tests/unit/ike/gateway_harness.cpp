#include "gateway_harness.hpp"

#include <stdexcept>

#include "crypto/private_key.hpp"
#include "crypto/self_signed.hpp"

namespace test_ike {

const char* const kTestConfig = R"(
[global]
listen = ["192.0.2.1"]
half_open_cookie_threshold = 100
auth_timeout_s = 30
fragment_mtu = 1280
default_group = "eap"

[dpd]
interval_s = 10
retries = 2

[[ike_policy]]
priority = 10
encryption = ["aes-256", "aes-128"]
integrity = ["sha256"]
prf = ["sha256"]
groups = ["ecp256", "curve25519"]

[ipsec_proposal.default]
encryption = ["aes-gcm-256", "aes-gcm-128"]

[pool.p]
range = "10.2.2.1-10.2.2.6"

[group.eap]
pool = "p"
client_auth = "eap"
eap_methods = ["mschapv2", "md5"]
dns = ["198.51.100.53"]
local_networks = ["0.0.0.0/0"]
idle_timeout_s = 0  # tests of the limits set their own (test_session_limits.cpp)

[group.psk]
pool = "p"
client_auth = "psk"
psk = "a long and secret pre-shared key"
local_networks = ["198.51.100.0/24"]
idle_timeout_s = 0

[user.alice]
group = "eap"
password = "Correct-Horse-7"

# A PSK identity's user entry names its group and needs no password.
[user."site@psk.test"]
group = "psk"
)";

GatewayHarness::GatewayHarness(const std::string& toml) {
    auto loaded = config::load_string(toml, "test.conf");
    if (!loaded) throw std::runtime_error("test config: " + loaded.error().to_string());
    auto cfg = std::make_shared<config::Config>(std::move(loaded.value()));
    cfg->trustpoint.identity = "gw.ikev2d.test";
    config = cfg;
    auto creds = std::make_shared<ike::Credentials>();
    crypto::PrivateKey key = crypto::PrivateKey::generate(crypto::KeyType::ECDSA_P256);
    crypto::SelfSignedOptions opts;
    opts.identities = {"gw.ikev2d.test"};
    creds->chain.push_back(crypto::make_self_signed(key, opts));
    creds->key = std::move(key);
    for (const auto& ca : config->trustpoint.ca_certificates) creds->trusted.add_trusted_file(ca);
    for (const auto& crl : config->trustpoint.crls) creds->trusted.add_crl_file(crl);
    credentials = creds;
    gateway = std::make_unique<ike::Gateway>(
        config, credentials, kernel,
        [this](const Endpoint& l, const Endpoint& r, ByteView d) { sent.push_back({l, r, Bytes(d.begin(), d.end())}); },
        ike::Gateway::Clock{[this] { return now_ms; }, [this] { return now_ms / 1000; }}, executor);
    // Child SA installs are jobs too (the daemon's kernel lane), on the same fake kernel.
    gateway->set_kernel_lane(kernel, executor);
}

std::vector<Bytes> GatewayHarness::deliver(const Endpoint& from, const std::vector<Bytes>& packets) {
    sent.clear();
    for (const auto& p : packets) {
        gateway->handle_datagram(from.port == 500 ? local : local_natt, from, p);
        if (auto_complete) run_jobs();
    }
    last_sent = sent;
    std::vector<Bytes> out;
    for (auto& s : sent) out.push_back(std::move(s.data));
    sent.clear();
    return out;
}

std::vector<Bytes> GatewayHarness::advance(std::uint64_t ms) {
    sent.clear();
    std::uint64_t end = now_ms + ms;
    while (now_ms < end) {
        now_ms = std::min(end, now_ms + 500);
        gateway->on_timer();
        if (auto_complete) run_jobs();
    }
    last_sent = sent;
    std::vector<Bytes> out;
    for (auto& s : sent) out.push_back(std::move(s.data));
    sent.clear();
    return out;
}

void GatewayHarness::run_jobs() {
    // Completions may post more work (a job per step); a bound keeps a bug from spinning.
    for (int round = 0; round < 16 && executor.in_flight() > 0; ++round) executor.run_pending();
}

std::vector<Bytes> GatewayHarness::complete_jobs() {
    sent.clear();
    run_jobs();
    last_sent = sent;
    std::vector<Bytes> out;
    for (auto& s : sent) out.push_back(std::move(s.data));
    sent.clear();
    return out;
}

}  // namespace test_ike
