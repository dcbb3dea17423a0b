// xfrm-smoke: XfrmKernel end to end on a kernel with ESP (run by xfrm_smoke.sh in the
// test VM). Two network namespaces joined by veth play gateway and client; this
// program opens one XfrmKernel in each (setns before construction binds its sockets to
// that namespace), installs matching tunnel-mode SAs and policies, pings through them,
// checks the packets in query_sa() counters and that flush_own() leaves nothing behind.
//
//   xfrm-smoke <gateway netns path> <client netns path>
//
// Topology (set up by the script): gw0 192.0.2.1 <-> cl0 192.0.2.2; the gateway's LAN
// address 10.1.0.1 and the client's virtual IP 10.2.2.5 live on the namespaces' lo.
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernel/kernel_ipsec.hpp"

using namespace ikev2d;
using namespace ikev2d::kernel;

namespace {

int failures = 0;

#define EXPECT(cond, ...)                                                   \
    do {                                                                    \
        if (cond) {                                                         \
            std::printf("  ok   %s\n", #cond);                               \
        } else {                                                            \
            ++failures;                                                     \
            std::printf("  FAIL %s (line %d) ", #cond, __LINE__);           \
            std::printf(__VA_ARGS__);                                       \
            std::printf("\n");                                              \
        }                                                                   \
    } while (0)

IpAddress ip(const char* text) { return IpAddress::from_string(text); }

class FileDescriptor {
public:
    explicit FileDescriptor(int fd = -1) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) close(fd_);
    }
    FileDescriptor(FileDescriptor&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    FileDescriptor& operator=(FileDescriptor&&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

void enter_netns(const FileDescriptor& ns) {
    if (setns(ns.get(), CLONE_NEWNET) != 0) throw std::runtime_error(std::string("setns: ") + std::strerror(errno));
}

// What the daemon's net/ layer does for NAT-T: a UDP 4500 socket with UDP_ENCAP so
// that the kernel decapsulates ESP-in-UDP arriving on it.
FileDescriptor natt_socket() {
    FileDescriptor fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (fd.get() < 0) throw std::runtime_error("socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(4500);
    if (bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error(std::string("bind 4500: ") + std::strerror(errno));
    int type = UDP_ENCAP_ESPINUDP;
    if (setsockopt(fd.get(), IPPROTO_UDP, UDP_ENCAP, &type, sizeof type) != 0)
        throw std::runtime_error(std::string("UDP_ENCAP: ") + std::strerror(errno));
    return fd;
}

struct Side {
    const char* name;
    const char* netns;  // for `ip -n`
    FileDescriptor ns;
    std::unique_ptr<KernelIpsec> kernel;
    IpAddress outer;
    Selector local_to_remote;  // inner traffic leaving this side
};

struct Suite {
    const char* title;
    iana::EncrId encr;
    std::uint16_t key_bits;
    std::size_t salt;
    iana::IntegId integ;
    std::size_t integ_key;
    bool esn;
    bool natt;
};

SecureBytes pattern_key(std::size_t size, std::uint8_t seed) {
    SecureBytes key(size);
    for (std::size_t i = 0; i < size; ++i) key[i] = static_cast<std::uint8_t>(seed * 31 + i * 7);
    return key;
}

SaConfig make_sa(const Suite& suite, const Side& from, const Side& to, std::uint32_t spi, std::uint32_t reqid,
                 bool inbound, std::uint8_t key_seed) {
    SaConfig sa;
    sa.src = from.outer;
    sa.dst = to.outer;
    sa.spi = spi;
    sa.reqid = reqid;
    sa.inbound = inbound;
    sa.encr = suite.encr;
    sa.encr_key_bits = suite.key_bits;
    sa.encr_key = pattern_key(suite.key_bits / 8 + suite.salt, key_seed);
    sa.integ = suite.integ;
    if (suite.integ_key) sa.integ_key = pattern_key(suite.integ_key, key_seed + 1);
    sa.esn = suite.esn;
    sa.replay_window = suite.esn ? 128 : 32;
    if (suite.natt) sa.natt_ports = std::make_pair<std::uint16_t, std::uint16_t>(4500, 4500);
    sa.selector = from.local_to_remote;
    return sa;
}

// Policies of one side: out (local -> remote) and in + fwd (remote -> local).
void add_policies(Side& side, const Side& peer, std::uint32_t reqid) {
    PolicyConfig out{side.local_to_remote, PolicyConfig::Dir::Out, side.outer, peer.outer, reqid, 1000};
    side.kernel->add_policy(out);
    for (auto dir : {PolicyConfig::Dir::In, PolicyConfig::Dir::Fwd}) {
        PolicyConfig in{peer.local_to_remote, dir, peer.outer, side.outer, reqid, 1000};
        side.kernel->add_policy(in);
    }
}

std::string run(const std::string& command) {
    std::string output;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return "popen failed";
    char chunk[512];
    while (std::fgets(chunk, sizeof chunk, pipe)) output += chunk;
    pclose(pipe);
    return output;
}

void run_suite(const Suite& suite, Side& gw, Side& cl, std::uint32_t reqid) {
    std::printf("== %s\n", suite.title);
    std::vector<FileDescriptor> encap_sockets;
    if (suite.natt) {
        enter_netns(gw.ns);
        encap_sockets.push_back(natt_socket());
        enter_netns(cl.ns);
        encap_sockets.push_back(natt_socket());
    }

    // Inbound SPIs come from ALLOCSPI, so add_sa must complete the larval SAs (UPDSA).
    const std::uint32_t gw_in_spi = gw.kernel->alloc_spi(cl.outer, gw.outer, reqid);
    const std::uint32_t cl_in_spi = cl.kernel->alloc_spi(gw.outer, cl.outer, reqid);
    gw.kernel->add_sa(make_sa(suite, cl, gw, gw_in_spi, reqid, true, 1));
    gw.kernel->add_sa(make_sa(suite, gw, cl, cl_in_spi, reqid, false, 2));
    cl.kernel->add_sa(make_sa(suite, cl, gw, gw_in_spi, reqid, false, 1));
    cl.kernel->add_sa(make_sa(suite, gw, cl, cl_in_spi, reqid, true, 2));
    add_policies(gw, cl, reqid);
    add_policies(cl, gw, reqid);
    // The pool is unreachable but for the client's address, routed along the path to the
    // client's outer address (the gateway has no default route here).
    gw.kernel->add_pool_route(ip("10.2.2.0"), 24);
    gw.kernel->add_client_route(ip("10.2.2.5"), cl.outer, gw.outer);

    const std::string ping = run(std::string("ip netns exec ") + cl.netns + " ping -c 3 -i 0.2 -W 2 -I 10.2.2.5 10.1.0.1");
    EXPECT(ping.find(" 0% packet loss") != std::string::npos, "ping:\n%s", ping.c_str());
    if (suite.natt) {
        const std::string states = run(std::string("ip -n ") + gw.netns + " xfrm state");
        EXPECT(states.find("encap type espinudp sport 4500 dport 4500") != std::string::npos, "%s", states.c_str());
    }
    if (suite.esn) {
        const std::string states = run(std::string("ip -n ") + gw.netns + " xfrm state");
        EXPECT(states.find("esn") != std::string::npos, "%s", states.c_str());
    }

    const SaCounters gw_in = gw.kernel->query_sa(gw.outer, gw_in_spi);
    const SaCounters gw_out = gw.kernel->query_sa(cl.outer, cl_in_spi);
    const SaCounters cl_out = cl.kernel->query_sa(gw.outer, gw_in_spi);
    const SaCounters cl_in = cl.kernel->query_sa(cl.outer, cl_in_spi);
    std::printf("  counters: gw in %llu pkts %llu B seq %u, gw out %llu pkts oseq %u, cl out %llu pkts, cl in %llu pkts\n",
                static_cast<unsigned long long>(gw_in.packets), static_cast<unsigned long long>(gw_in.bytes), gw_in.seq,
                static_cast<unsigned long long>(gw_out.packets), gw_out.oseq,
                static_cast<unsigned long long>(cl_out.packets), static_cast<unsigned long long>(cl_in.packets));
    EXPECT(gw_in.packets >= 3, "gw inbound packets %llu", static_cast<unsigned long long>(gw_in.packets));
    EXPECT(gw_in.bytes >= 3 * 84, "gw inbound bytes %llu", static_cast<unsigned long long>(gw_in.bytes));
    EXPECT(gw_in.seq >= 3, "gw inbound seq %u", gw_in.seq);
    EXPECT(gw_out.packets >= 3, "gw outbound packets %llu", static_cast<unsigned long long>(gw_out.packets));
    EXPECT(gw_out.oseq >= 3, "gw outbound oseq %u", gw_out.oseq);
    EXPECT(cl_out.packets >= 3, "client outbound packets %llu", static_cast<unsigned long long>(cl_out.packets));
    EXPECT(cl_in.packets >= 3, "client inbound packets %llu", static_cast<unsigned long long>(cl_in.packets));
    EXPECT(gw_in.integrity_errors == 0 && gw_in.replay_errors == 0, "gw inbound errors");
    EXPECT(gw_in.use_time != 0, "gw inbound use_time");

    gw.kernel->flush_own();
    cl.kernel->flush_own();
    for (const Side* side : {&gw, &cl}) {
        const std::string left = run(std::string("ip -n ") + side->netns + " xfrm state; ip -n " + side->netns +
                                     " xfrm policy; ip -n " + side->netns + " route show proto 29");
        EXPECT(left.empty(), "%s still has:\n%s", side->name, left.c_str());
    }
}

// Soft then hard expiry of a short-lived SA arrive through event_fd/process_events.
void check_expire_events(Side& gw, Side& cl) {
    std::printf("== expire events\n");
    const Suite gcm{"", iana::EncrId::AES_GCM_16, 128, 4, iana::IntegId::NONE, 0, false, false};
    SaConfig sa = make_sa(gcm, gw, cl, 0x2000beef, 77, false, 9);
    sa.soft_seconds = 1;
    sa.hard_seconds = 2;
    gw.kernel->add_sa(sa);
    bool soft = false, hard = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!hard && std::chrono::steady_clock::now() < deadline) {
        pollfd p{gw.kernel->event_fd(), POLLIN, 0};
        if (poll(&p, 1, 500) <= 0) continue;
        gw.kernel->process_events([&](const KernelEvent& event) {
            std::printf("  event %s spi 0x%08x reqid %u\n", event.kind == KernelEvent::Kind::HardExpire ? "hard" : "soft",
                        event.spi, event.reqid);
            if (event.spi != 0x2000beef || event.reqid != 77 || event.proto != IPPROTO_ESP) return;
            if (event.kind == KernelEvent::Kind::SoftExpire) soft = true;
            if (event.kind == KernelEvent::Kind::HardExpire) hard = true;
        });
    }
    EXPECT(soft, "no soft expire event within 10 s");
    EXPECT(hard, "no hard expire event within 10 s");
    gw.kernel->flush_own();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s <gateway netns path> <client netns path>\n", argv[0]);
        return 2;
    }
    try {
        Side gw{"gateway", "", FileDescriptor(open(argv[1], O_RDONLY | O_CLOEXEC)), nullptr, ip("192.0.2.1"),
                {ip("10.1.0.0"), 24, ip("10.2.2.5"), 32}};
        Side cl{"client", "", FileDescriptor(open(argv[2], O_RDONLY | O_CLOEXEC)), nullptr, ip("192.0.2.2"),
                {ip("10.2.2.5"), 32, ip("10.1.0.0"), 24}};
        if (gw.ns.get() < 0 || cl.ns.get() < 0) throw std::runtime_error("cannot open the netns paths");
        // `ip -n NAME` wants the name, the basename of /run/netns/NAME.
        std::string gw_name = std::strrchr(argv[1], '/') ? std::strrchr(argv[1], '/') + 1 : argv[1];
        std::string cl_name = std::strrchr(argv[2], '/') ? std::strrchr(argv[2], '/') + 1 : argv[2];
        gw.netns = gw_name.c_str();
        cl.netns = cl_name.c_str();
        enter_netns(gw.ns);
        gw.kernel = make_xfrm_kernel();
        enter_netns(cl.ns);
        cl.kernel = make_xfrm_kernel();

        const Suite suites[] = {
            {"AES-GCM-16/128", iana::EncrId::AES_GCM_16, 128, 4, iana::IntegId::NONE, 0, false, false},
            {"AES-CBC-256 + HMAC-SHA2-256-128, ESN", iana::EncrId::AES_CBC, 256, 0, iana::IntegId::HMAC_SHA2_256_128, 32,
             true, false},
            {"AES-GCM-16/256 in UDP 4500 (NAT-T)", iana::EncrId::AES_GCM_16, 256, 4, iana::IntegId::NONE, 0, false, true},
            {"ChaCha20-Poly1305", iana::EncrId::CHACHA20_POLY1305, 256, 4, iana::IntegId::NONE, 0, false, false},
        };
        std::uint32_t reqid = 1;
        for (const auto& suite : suites) run_suite(suite, gw, cl, reqid++);
        check_expire_events(gw, cl);
    } catch (const std::exception& e) {
        std::printf("FAIL: %s\n", e.what());
        return 1;
    }
    std::printf(failures == 0 ? "xfrm-smoke: all passed\n" : "xfrm-smoke: %d failure(s)\n", failures);
    return failures == 0 ? 0 : 1;
}
