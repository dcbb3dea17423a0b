// A legitimate IKEv2 client (tests/peer over UDP) for the flood tests.
//
//   legit --gateway IP [--port 500] --bind IP --psk S --id ID [--eap-user U --eap-password P]
//         [--cbc] [--groups 31,19] COMMAND
//     connect [--count N] [--timeout S] [--within S] [--keep]
//         N sessions one after the other; each must be up within S (default 15), and within
//         --within seconds when given; deleted again unless --keep (then it waits for SIGTERM,
//         answering DPD, and deletes on exit).
//     hold --duration S [--interval S] [--max-rtt S] [--ready FILE]
//         one session held for S seconds: an INFORMATIONAL every interval (default 1 s) must be
//         answered within --max-rtt (default 5 s); the gateway's DPD is answered; FILE is
//         created once the session is up.
// Prints one line per event; exit status 0 when everything asked for happened.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "iana.hpp"
#include "legit_session.hpp"

using namespace adversarial;

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

[[noreturn]] void usage() {
    std::fprintf(stderr, "usage: legit --gateway IP --bind IP --psk S --id ID [--cbc] [--groups 31,19] "
                         "connect [--count N] [--timeout S] [--within S] [--keep] | hold --duration S [--interval S] "
                         "[--max-rtt S] [--ready FILE]\n");
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    std::string gateway, bind, command, ready;
    std::uint16_t port = 500;
    peer::InitiatorConfig config;
    int count = 1;
    double timeout = 15, within = 0, duration = 0, interval = 1, max_rtt = 5;
    bool keep = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage();
            return argv[++i];
        };
        if (a == "--gateway") gateway = value();
        else if (a == "--port") port = static_cast<std::uint16_t>(std::stoi(value()));
        else if (a == "--bind") bind = value();
        else if (a == "--psk") config.psk = value();
        else if (a == "--id") config.id = value();
        else if (a == "--eap-user") config.eap_user = value();
        else if (a == "--eap-password") config.eap_password = value();
        else if (a == "--cbc") config.cipher = peer::SkCipher::AesCbc256HmacSha256;
        else if (a == "--groups") {
            config.groups.clear();
            std::stringstream ss(value());
            for (std::string g; std::getline(ss, g, ',');) config.groups.push_back(static_cast<std::uint16_t>(std::stoi(g)));
        }
        else if (a == "--count") count = std::stoi(value());
        else if (a == "--timeout") timeout = std::stod(value());
        else if (a == "--within") within = std::stod(value());
        else if (a == "--keep") keep = true;
        else if (a == "--duration") duration = std::stod(value());
        else if (a == "--interval") interval = std::stod(value());
        else if (a == "--max-rtt") max_rtt = std::stod(value());
        else if (a == "--ready") ready = value();
        else if (a == "connect" || a == "hold") command = a;
        else usage();
    }
    if (gateway.empty() || bind.empty() || (config.psk.empty() && config.eap_user.empty()) || command.empty()) usage();
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    setvbuf(stdout, nullptr, _IOLBF, 0);
    const Address gw = Address::parse(gateway, port);

    if (command == "connect") {
        int failed = 0;
        for (int n = 1; n <= count; ++n) {
            UdpSocket sock(Address::parse(bind, 0));
            LegitSession s(sock, gw, config);
            LegitResult r = s.connect(timeout);
            bool ok = r.ok && (within <= 0 || r.seconds <= within);
            std::printf("legit connect %d: %s in %.3fs (%d sends, %d cookie rounds, %d KE rounds), virtual IP %s%s\n", n,
                        r.ok ? "up" : ("FAILED: " + r.error).c_str(), r.seconds, r.sends, s.initiator().cookie_rounds(),
                        s.initiator().ke_rounds(), s.initiator().assigned_address().c_str(),
                        r.ok && !ok ? (" -- slower than " + std::to_string(within) + "s").c_str() : "");
            if (!ok) {
                ++failed;
                continue;
            }
            if (keep) {
                while (!g_stop) s.serve(0.5);
            }
            LegitResult d = s.close(5);
            if (!d.ok) std::printf("legit connect %d: Delete not answered: %s\n", n, d.error.c_str());
        }
        return failed == 0 ? 0 : 1;
    }

    UdpSocket sock(Address::parse(bind, 0));
    LegitSession s(sock, gw, config);
    LegitResult up = s.connect(timeout);
    std::printf("legit hold: %s in %.3fs, virtual IP %s\n", up.ok ? "up" : ("FAILED: " + up.error).c_str(), up.seconds,
                s.initiator().assigned_address().c_str());
    if (!up.ok) return 1;
    if (!ready.empty()) std::ofstream(ready) << "up\n";
    const double end = now_s() + duration;
    int pings = 0, lost = 0;
    double worst = 0;
    while (now_s() < end && !g_stop) {
        LegitResult r = s.ping(max_rtt);
        ++pings;
        if (!r.ok) {
            ++lost;
            std::printf("legit hold: INFORMATIONAL %d not answered within %.1fs\n", pings, max_rtt);
        }
        worst = std::max(worst, r.seconds);
        if (s.initiator().deleted_by_peer()) break;
        s.serve(interval);
    }
    LegitResult d = s.close(5);
    std::printf("legit hold: %d INFORMATIONAL requests, %d unanswered, slowest answer %.3fs, %d gateway requests answered, "
                "deleted by gateway: %s, final Delete %s\n",
                pings, lost, worst, s.dpd_answered(), s.initiator().deleted_by_peer() ? "yes" : "no",
                d.ok ? "answered" : "unanswered");
    return lost == 0 && pings > 0 && !s.initiator().deleted_by_peer() ? 0 : 1;
}
