// The adversarial prober: hundreds of malformed or hostile datagrams against a running
// ikev2d, each judged against the answer the RFCs require (see cases_*.cpp), and after
// every batch a legitimate initiator (tests/peer) must still complete IKE_SA_INIT +
// IKE_AUTH while the daemon's RSS stays within a bound.
//
//   prober --gateway IP [--port 500] --bind IP --psk SECRET --id ID --pid PID
//          [--rss-growth-kb N] [--batch NAME]... [--cookie-threshold N]
//
// Without --batch: header, payloads, proposals, ke, sk (for a gateway that demands no
// cookies). The cookie batch runs only when named, against a gateway whose
// half_open_cookie_threshold is --cookie-threshold.
//
// One line per case ("PASS name" / "FAIL name: expected X got Y"), then "N passed, M failed".
#include <cstdio>
#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cases.hpp"
#include "daemon_stats.hpp"
#include "iana.hpp"
#include "legit_session.hpp"

using namespace adversarial;

namespace {

struct Options {
    std::string gateway, bind, psk, id;
    std::uint16_t port = 500;
    int pid = 0;
    // Growth of the daemon's RSS over the whole run allowed above the baseline: the run
    // leaves at most a few hundred IKE SAs (half-open ones until auth_timeout_s) of a few
    // KiB each, so 16 MiB is a generous bound that still catches a leak per datagram
    // (several hundred cases x tens of KiB) or an allocation sized by a lying length.
    long rss_growth_kb = 16384;
    int cookie_threshold = 0;  // the gateway's half_open_cookie_threshold (for --batch cookie)
    std::vector<std::string> batches;
};

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: prober --gateway IP [--port 500] --bind IP --psk SECRET --id ID --pid PID "
                 "[--rss-growth-kb N] [--batch header|payloads|proposals|ke|sk]... [--batch cookie --cookie-threshold N]\n");
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage();
            return argv[++i];
        };
        if (a == "--gateway") o.gateway = value();
        else if (a == "--port") o.port = static_cast<std::uint16_t>(std::stoi(value()));
        else if (a == "--bind") o.bind = value();
        else if (a == "--psk") o.psk = value();
        else if (a == "--id") o.id = value();
        else if (a == "--pid") o.pid = std::stoi(value());
        else if (a == "--rss-growth-kb") o.rss_growth_kb = std::stol(value());
        else if (a == "--batch") o.batches.push_back(value());
        else if (a == "--cookie-threshold") o.cookie_threshold = std::stoi(value());
        else usage();
    }
    if (o.gateway.empty() || o.bind.empty() || o.psk.empty() || o.id.empty() || o.pid <= 0) usage();
    if (std::find(o.batches.begin(), o.batches.end(), "cookie") != o.batches.end() && o.cookie_threshold <= 0) usage();
    return o;
}

// A legitimate client completes IKE_SA_INIT + IKE_AUTH on its own socket, then deletes.
void legit_check(Prober& prober, const Options& o, const std::string& label, int variant) {
    peer::InitiatorConfig c;
    c.psk = o.psk;
    c.id = o.id;
    std::string what;
    switch (variant % 3) {
        case 0: c.groups = {peer::iana::kDhCurve25519}; what = "aes-gcm/x25519"; break;
        case 1: c.cipher = peer::SkCipher::AesCbc256HmacSha256; c.groups = {peer::iana::kDhEcp256}; what = "aes-cbc+sha256/ecp256"; break;
        default:
            // KE of MODP-2048 first: the gateway must ask for curve25519 (INVALID_KE_PAYLOAD).
            c.groups = {peer::iana::kDhModp2048, peer::iana::kDhCurve25519};
            what = "invalid-ke-retry";
            break;
    }
    UdpSocket sock(Address::parse(o.bind, 0));
    LegitSession s(sock, Address::parse(o.gateway, o.port), c);
    LegitResult r = s.connect(30);
    std::string detail = r.ok ? "" : "expected IKE SA established got " + r.error;
    if (r.ok && variant % 3 == 2 && s.initiator().ke_rounds() != 1) {
        r.ok = false;
        detail = "expected one INVALID_KE_PAYLOAD round got " + std::to_string(s.initiator().ke_rounds());
    }
    if (r.ok) {
        LegitResult d = s.close(5);
        if (!d.ok) {
            r.ok = false;
            detail = "expected the Delete answered got " + d.error;
        }
    }
    std::printf("# legit %s (%s): %s in %.3fs, %d sends, virtual IP %s\n", label.c_str(), what.c_str(),
                r.ok ? "up" : "FAILED", r.seconds, r.sends, s.initiator().assigned_address().c_str());
    prober.record("legit-ike-auth-" + label, r.ok, detail);
}

}  // namespace

int main(int argc, char** argv) {
    Options o = parse(argc, argv);
    UdpSocket sock(Address::parse(o.bind, 0));
    Prober prober(sock, Address::parse(o.gateway, o.port), o.pid);
    peer::InitiatorConfig legit;
    legit.psk = o.psk;
    legit.id = o.id;

    legit_check(prober, o, "before-any-case", 0);
    const long baseline = vm_rss_kb(o.pid);
    std::printf("# daemon pid %d, VmRSS baseline %ld KiB, allowed growth %ld KiB\n", o.pid, baseline, o.rss_growth_kb);

    const std::vector<std::pair<std::string, std::function<void()>>> batches{
        {"header", [&] { header_cases(prober); }},
        {"payloads", [&] { payload_cases(prober); }},
        {"proposals", [&] { proposal_cases(prober); }},
        {"ke", [&] { ke_cases(prober); }},
        {"sk", [&] { sk_cases(prober, legit); }},
        {"cookie", [&] { cookie_cases(prober, o.cookie_threshold); }},
    };
    int variant = 1;
    for (const auto& [name, run] : batches) {
        const bool named = std::find(o.batches.begin(), o.batches.end(), name) != o.batches.end();
        if (o.batches.empty() ? name == "cookie" : !named) continue;
        const int before = prober.passed() + prober.failed();
        const double start = now_s();
        run();
        std::printf("# batch %s: %d cases in %.1fs\n", name.c_str(), prober.passed() + prober.failed() - before,
                    now_s() - start);
        legit_check(prober, o, "after-" + name, variant++);
        const long rss = vm_rss_kb(o.pid);
        std::printf("# VmRSS after %s: %ld KiB (baseline %ld)\n", name.c_str(), rss, baseline);
        prober.record("rss-bounded-after-" + name, rss > 0 && rss <= baseline + o.rss_growth_kb,
                      "expected VmRSS <= " + std::to_string(baseline + o.rss_growth_kb) + " KiB got " +
                          (rss < 0 ? std::string("no process") : std::to_string(rss) + " KiB"));
    }
    std::printf("%d passed, %d failed\n", prober.passed(), prober.failed());
    return prober.failed() == 0 ? 0 : 1;
}
