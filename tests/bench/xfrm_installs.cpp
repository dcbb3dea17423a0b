// Kernel installs per second of what ikev2d installs for one session: an inbound SPI
// (XFRM_MSG_ALLOCSPI), the inbound and outbound ESP SA (AES-GCM-16/256, tunnel mode) and
// the out/in/fwd policies, through the daemon's own XfrmKernel (daemon/kernel) exactly
// as ike/child_install.cpp calls it (alloc_spi, then one install() of the SAs and
// policies: one netlink batch); or the same SAs and policies as an `ip -batch` file,
// for `ip -batch` to install (the comparison run.sh makes in the qemu guest, whose kernel
// has ESP). Run it in a fresh network namespace: it leaves everything installed.
//
//   xfrm_installs --count N [--first K]                      install sessions K..K+N-1
//       through XfrmKernel, print XFRM_INSTALLS via=ikev2d count=N seconds=.. per_second=..
//   xfrm_installs --count N [--first K] --one-by-one 1       the same one request at a time
//       (as before installs were batched), printing via=ikev2d-one-by-one
//   xfrm_installs --count N [--first K] --emit-batch FILE    write the `ip -batch` lines instead
//
// Session n: gateway 10.77.0.1, client 10.78.0.0 + n, virtual IP 10.64.0.0 + n, local
// network 10.99.0.0/16, reqid n + 1.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "kernel/kernel_ipsec.hpp"

using namespace ikev2d;
using namespace ikev2d::kernel;

namespace {

constexpr std::uint32_t kHardSeconds = 31680;  // 28800 s + 10 %, as child_install.cpp sets

struct Session {
    IpAddress gw = IpAddress::from_string("10.77.0.1"), client, vip, lan = IpAddress::from_string("10.99.0.0");
    std::uint32_t reqid = 0, spi_in = 0, spi_out = 0;
};

Session session(std::uint32_t n) {
    Session s;
    s.client = IpAddress::v4(0x0a4e0000u + n);  // 10.78.0.0 + n
    s.vip = IpAddress::v4(0x0a400000u + n);     // 10.64.0.0 + n
    s.reqid = n + 1;
    s.spi_in = 0xc1000000u + n;
    s.spi_out = 0xc2000000u + n;
    return s;
}

Selector selector(const IpAddress& src, std::uint8_t src_len, const IpAddress& dst, std::uint8_t dst_len) {
    Selector sel;
    sel.src = src;
    sel.src_prefix = src_len;
    sel.dst = dst;
    sel.dst_prefix = dst_len;
    return sel;
}

SaConfig sa(const Session& s, bool inbound) {
    SaConfig c;
    c.inbound = inbound;
    c.src = inbound ? s.client : s.gw;
    c.dst = inbound ? s.gw : s.client;
    c.spi = inbound ? s.spi_in : s.spi_out;
    c.reqid = s.reqid;
    c.encr = iana::EncrId::AES_GCM_16;
    c.encr_key_bits = 256;
    c.encr_key = SecureBytes(36);
    for (std::size_t i = 0; i < 36; ++i) c.encr_key.data()[i] = static_cast<std::uint8_t>(i * 7 + s.reqid);
    c.replay_window = 32;
    c.hard_seconds = kHardSeconds;
    c.selector = inbound ? selector(s.vip, 32, s.lan, 16) : selector(s.lan, 16, s.vip, 32);
    return c;
}

std::string hex_key(const Session& s) {
    std::string out = "0x";
    char b[3];
    for (std::size_t i = 0; i < 36; ++i) {
        std::snprintf(b, sizeof b, "%02x", static_cast<unsigned>(static_cast<std::uint8_t>(i * 7 + s.reqid)));
        out += b;
    }
    return out;
}

void emit_batch(std::ofstream& out, const Session& s) {
    const std::string gw = s.gw.to_string(), cl = s.client.to_string(), vip = s.vip.to_string() + "/32",
                      lan = s.lan.to_string() + "/16", reqid = std::to_string(s.reqid);
    const std::string aead = " mode tunnel aead 'rfc4106(gcm(aes))' " + hex_key(s) + " 128 replay-window 32";
    char spi_in[16], spi_out[16];
    std::snprintf(spi_in, sizeof spi_in, "0x%08x", s.spi_in);
    std::snprintf(spi_out, sizeof spi_out, "0x%08x", s.spi_out);
    out << "xfrm state add src " << cl << " dst " << gw << " proto esp spi " << spi_in << " reqid " << reqid << aead
        << " sel src " << vip << " dst " << lan << " limit time-hard " << kHardSeconds << "\n";
    out << "xfrm state add src " << gw << " dst " << cl << " proto esp spi " << spi_out << " reqid " << reqid << aead
        << " sel src " << lan << " dst " << vip << " limit time-hard " << kHardSeconds << "\n";
    const std::string prio = std::to_string(2000 - 16 - 32);
    out << "xfrm policy add src " << lan << " dst " << vip << " dir out priority " << prio << " tmpl src " << gw
        << " dst " << cl << " proto esp reqid " << reqid << " mode tunnel\n";
    for (const char* dir : {"in", "fwd"})
        out << "xfrm policy add src " << vip << " dst " << lan << " dir " << dir << " priority " << prio << " tmpl src "
            << cl << " dst " << gw << " proto esp reqid " << reqid << " mode tunnel\n";
}

// As ike/child_install.cpp does: the SPI from ALLOCSPI, then the SAs and policies in one
// KernelIpsec::install call (one netlink batch).
void install(KernelIpsec& k, Session s) {
    s.spi_in = k.alloc_spi(s.client, s.gw, s.reqid);
    InstallSet set;
    set.sas.push_back(sa(s, true));
    set.sas.push_back(sa(s, false));
    PolicyConfig p;
    p.reqid = s.reqid;
    p.priority = 2000 - 16 - 32;
    p.selector = selector(s.lan, 16, s.vip, 32);
    p.dir = PolicyConfig::Dir::Out;
    p.tmpl_src = s.gw;
    p.tmpl_dst = s.client;
    set.policies.push_back(p);
    p.selector = selector(s.vip, 32, s.lan, 16);
    p.tmpl_src = s.client;
    p.tmpl_dst = s.gw;
    for (auto dir : {PolicyConfig::Dir::In, PolicyConfig::Dir::Fwd}) {
        p.dir = dir;
        set.policies.push_back(p);
    }
    k.install(set);
}

// The way child_install.cpp called the kernel before installs were batched: one request
// and its ack at a time (for comparison: --one-by-one).
void install_one_by_one(KernelIpsec& k, Session s) {
    s.spi_in = k.alloc_spi(s.client, s.gw, s.reqid);
    k.add_sa(sa(s, true));
    k.add_sa(sa(s, false));
    PolicyConfig p;
    p.reqid = s.reqid;
    p.priority = 2000 - 16 - 32;
    p.selector = selector(s.lan, 16, s.vip, 32);
    p.dir = PolicyConfig::Dir::Out;
    p.tmpl_src = s.gw;
    p.tmpl_dst = s.client;
    k.add_policy(p);
    p.selector = selector(s.vip, 32, s.lan, 16);
    p.tmpl_src = s.client;
    p.tmpl_dst = s.gw;
    for (auto dir : {PolicyConfig::Dir::In, PolicyConfig::Dir::Fwd}) {
        p.dir = dir;
        k.add_policy(p);
    }
}

}  // namespace

int main(int argc, char** argv) {
    long count = 0, first = 0;
    bool one_by_one = false;
    std::string batch;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--count") == 0) count = std::atol(argv[i + 1]);
        else if (std::strcmp(argv[i], "--first") == 0) first = std::atol(argv[i + 1]);
        else if (std::strcmp(argv[i], "--emit-batch") == 0) batch = argv[i + 1];
        else if (std::strcmp(argv[i], "--one-by-one") == 0) one_by_one = std::strcmp(argv[i + 1], "1") == 0;
    }
    if (count < 1 || count > 1'000'000 || first < 0 || first > 1'000'000 || argc % 2 == 0) {
        std::fprintf(stderr, "usage: xfrm_installs --count N [--first K] [--one-by-one 1 | --emit-batch FILE]\n");
        return 2;
    }
    if (!batch.empty()) {
        std::ofstream out(batch);
        for (long n = first; n < first + count; ++n) emit_batch(out, session(static_cast<std::uint32_t>(n)));
        return out ? 0 : 1;
    }
    try {
        auto k = make_xfrm_kernel();
        const auto start = std::chrono::steady_clock::now();
        for (long n = first; n < first + count; ++n) {
            if (one_by_one)
                install_one_by_one(*k, session(static_cast<std::uint32_t>(n)));
            else
                install(*k, session(static_cast<std::uint32_t>(n)));
        }
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("XFRM_INSTALLS via=%s count=%ld seconds=%.3f per_second=%.0f\n", one_by_one ? "ikev2d-one-by-one" : "ikev2d", count, s,
                    count / s);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "xfrm_installs: %s\n", e.what());
        return 1;
    }
    return 0;
}
