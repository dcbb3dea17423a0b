// What every exchange handler needs from the gateway around it: configuration,
// credentials, the kernel, address pools, counters and the clock. Handlers reach the
// kernel only through kernel::KernelIpsec.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/address_pool.hpp"
#include "config/config.hpp"
#include "crypto/cert_store.hpp"
#include "crypto/private_key.hpp"
#include "crypto/x509.hpp"
#include "ike/reqid_allocator.hpp"
#include "kernel/kernel_ipsec.hpp"

namespace ikev2d::ike {

struct IkeSa;

// The gateway's own identity and trust anchors.
struct Credentials {
    std::vector<crypto::Certificate> chain;  // [0] = our certificate, then intermediates
    std::optional<crypto::PrivateKey> key;
    crypto::CertStore trusted;  // CAs for client certificates
};

struct Counters {
    std::uint64_t ike_sa_created = 0, ike_sa_established = 0, ike_sa_failed = 0, auth_failures = 0;
    std::uint64_t retransmits = 0, fragments_sent = 0, fragments_received = 0;
    std::uint64_t dpd_sent = 0, dpd_timeouts = 0, cookies_sent = 0, invalid_packets = 0;
};

struct GatewayContext {
    std::shared_ptr<const config::Config> config;
    std::shared_ptr<const Credentials> credentials;
    kernel::KernelIpsec* kernel = nullptr;
    std::map<std::string, config::AddressPool>* pools = nullptr;
    Counters* counters = nullptr;
    std::function<std::uint64_t()> now_ms;
    std::function<std::uint64_t()> now_unix;
    // INITIAL_CONTACT (RFC 7296 2.4): the gateway closes the user's older IKE SAs, before
    // the new one takes an address, so that a restarted client gets its address back.
    std::function<void(const IkeSa&)> replace_older_sas;
    ReqidAllocator reqids;  // of live Child SAs; reused after release
    std::uint32_t next_child_id = 1;
};

}  // namespace ikev2d::ike
