// The one interface through which the protocol code programs the kernel's IPsec
// data path (SAs, policies, routes) and hears about its events (expiry).
// XfrmKernel (xfrm_kernel.hpp) implements it over netlink; FakeKernel
// (fake_kernel.hpp) records calls for unit tests of the protocol.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "util/bytes.hpp"
#include "util/iana.hpp"
#include "util/ip_address.hpp"

namespace ikev2d::kernel {

// Traffic selector as the kernel sees it: one prefix each way, optional protocol/ports.
struct Selector {
    IpAddress src;
    std::uint8_t src_prefix = 0;
    IpAddress dst;
    std::uint8_t dst_prefix = 0;
    std::uint8_t proto = 0;  // 0 = any
    std::uint16_t sport = 0, dport = 0;  // 0 = any
    std::string to_string() const;  // "10.0.0.0/24 -> 10.2.2.5/32 proto 0"
    friend auto operator<=>(const Selector&, const Selector&) = default;
};

// One ESP SA in tunnel mode. Move-only because it carries keys.
struct SaConfig {
    IpAddress src, dst;  // outer (tunnel) addresses
    std::uint32_t spi = 0;  // host order
    std::uint32_t reqid = 0;  // ties the SA to its policies' templates
    bool inbound = false;
    iana::EncrId encr = iana::EncrId::AES_CBC;
    std::uint16_t encr_key_bits = 0;  // without salt (AES-GCM-16/256: 256); 0 = the fixed size (3DES, ChaCha20)
    SecureBytes encr_key;  // incl. the 4-byte salt for GCM/ChaCha20 (RFC 4106/7634)
    iana::IntegId integ = iana::IntegId::NONE;
    SecureBytes integ_key;
    bool esn = false;
    std::uint32_t replay_window = 32;
    std::optional<std::pair<std::uint16_t, std::uint16_t>> natt_ports;  // (sport, dport): ESPINUDP
    std::uint64_t soft_bytes = 0, hard_bytes = 0;  // 0 = unlimited
    std::uint32_t soft_seconds = 0, hard_seconds = 0;  // 0 = unlimited
    // Inner traffic of this SA; none: any (what a Child SA with several selector pairs,
    // e.g. a dual-stack client's IPv4 and IPv6 addresses, needs: its policies select).
    std::optional<Selector> selector;

    SaConfig clone() const;  // explicit deep copy (keys included)
};

struct PolicyConfig {
    enum class Dir { In, Out, Fwd };
    Selector selector;
    Dir dir = Dir::Out;
    IpAddress tmpl_src, tmpl_dst;  // tunnel endpoints of the template
    std::uint32_t reqid = 0;
    std::uint32_t priority = 0;  // lower = preferred (kernel semantics)
};
const char* to_string(PolicyConfig::Dir dir) noexcept;

struct SaCounters {
    std::uint64_t bytes = 0, packets = 0;
    std::uint64_t replay_errors = 0, integrity_errors = 0;
    std::uint32_t replay_window = 0;  // packets dropped as outside the window
    std::uint32_t seq = 0, oseq = 0;  // highest inbound / last outbound sequence number
    std::uint64_t add_time = 0, use_time = 0;  // seconds since the epoch; use_time 0 = never used
};

struct KernelEvent {
    enum class Kind { SoftExpire, HardExpire };
    Kind kind = Kind::SoftExpire;
    IpAddress dst;
    std::uint32_t spi = 0;
    std::uint8_t proto = 0;  // IPPROTO_ESP
    std::uint32_t reqid = 0;  // as the protocol code gave it to add_sa
};

// A failed kernel operation: errno plus what was attempted, e.g.
// "XFRM_MSG_NEWSA spi 0xc0000001: Invalid argument".
struct KernelError : std::runtime_error {
    KernelError(int err, const std::string& operation, const std::string& detail = {});
    int err;
};

// What one Child SA puts into the kernel at once: its SAs, then its policies.
struct InstallSet {
    std::vector<SaConfig> sas;  // an SaConfig whose SPI came from alloc_spi completes that larval SA
    std::vector<PolicyConfig> policies;
};

// KernelIpsec::install failed on one item of the set; the error names its request.
struct InstallError : KernelError {
    enum class Item { Sa, Policy };
    InstallError(const KernelError& cause, Item item, std::size_t index);
    Item item;
    std::size_t index;  // into InstallSet::sas or ::policies
};

// ---- MOBIKE (RFC 4555 3.5): an IKE SA's Child SAs move to new outer addresses ----
// Each ESP SA keeps its SPI, keys, replay state, lifetimes and counters; only its tunnel
// addresses and its UDP encapsulation change, and the policies' templates follow.
struct MoveSet {
    IpAddress old_local, old_remote;  // the tunnels' ends now (our inbound SAs are at old_local)
    IpAddress local, remote;          // and after the move
    // UDP encapsulation after the move as (our port, the peer's port); nullopt: plain ESP.
    std::optional<std::pair<std::uint16_t, std::uint16_t>> natt_ports;
    std::vector<std::uint32_t> inbound_spis, outbound_spis;  // host order
    // Policies whose template moves (Out: local -> remote; In and Fwd: remote -> local).
    std::vector<std::pair<Selector, PolicyConfig::Dir>> policies;
};
// ---- end MOBIKE ----

class KernelIpsec {
public:
    virtual ~KernelIpsec();

    // Inbound SPI for an SA whose destination is us (dst); leaves a larval SA.
    virtual std::uint32_t alloc_spi(const IpAddress& src, const IpAddress& dst, std::uint32_t reqid) = 0;
    // Installs an SA; completes the larval SA when its SPI came from alloc_spi.
    virtual void add_sa(const SaConfig&) = 0;
    virtual void del_sa(const IpAddress& dst, std::uint32_t spi) = 0;
    virtual SaCounters query_sa(const IpAddress& dst, std::uint32_t spi) = 0;
    virtual void add_policy(const PolicyConfig&) = 0;
    virtual void del_policy(const Selector&, PolicyConfig::Dir) = 0;
    // Installs all of set, SAs first, or nothing: when one request fails, those of the
    // set that succeeded are removed again and InstallError names the one that failed
    // (a larval SA of a failed SA may stay: it is the alloc_spi caller's to delete).
    // XfrmKernel sends the set as one netlink batch (one round trip); this default
    // calls add_sa / add_policy one by one.
    virtual void install(const InstallSet& set);
    // MOBIKE: moves all of set or (the kernel willing) nothing; throws KernelError naming
    // the request that failed, after putting back what had moved.
    virtual void move_sas(const MoveSet& set) = 0;
    // Removes every SA, policy and route this daemon (this or an earlier run) installed, nothing else.
    virtual void flush_own() = 0;
    // An `unreachable` route for an address pool: addresses no client holds are not
    // routed anywhere else (routes.hpp).
    virtual void add_pool_route(const IpAddress& prefix, std::uint8_t len) = 0;
    virtual void del_pool_route(const IpAddress& prefix, std::uint8_t len) = 0;
    // A route for a client's inner address along the path the kernel uses toward its
    // outer address `peer` from our address `local` (interface and next hop), so that LAN
    // hosts reach the client (the XFRM policy then steers the packets into ESP) whatever
    // the default route is. Throws KernelError when there is no usable path to peer.
    virtual void add_client_route(const IpAddress& client, const IpAddress& peer, const IpAddress& local) = 0;
    virtual void del_client_route(const IpAddress& client) = 0;
    // Readable when kernel events are pending; -1 if the implementation has none.
    virtual int event_fd() const { return -1; }
    // Reads pending events without blocking and hands each to the callback.
    virtual void process_events(std::function<void(const KernelEvent&)>) {}
};

// The netlink/XFRM implementation; throws KernelError when netlink is unavailable.
std::unique_ptr<KernelIpsec> make_xfrm_kernel();
// Another one with sockets of its own and no event socket, for the thread that installs
// Child SAs off the event loop (the kernel lane, ike/child_install.hpp): a netlink socket
// is never used by two threads at once.
std::unique_ptr<KernelIpsec> make_xfrm_installer();

}  // namespace ikev2d::kernel
