#include "app/options.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <getopt.h>

#include "ikev2d_build_config.h"

namespace ikev2d::app {
namespace {

void usage(FILE* out) {
    std::fprintf(out,
                 "Usage: ikev2d [OPTIONS]\n"
                 "IKEv2 remote-access VPN gateway.\n\n"
                 "  -c, --config FILE       configuration file (default %s/ikev2d.conf)\n"
                 "      --demo              run on the embedded demo configuration instead of a\n"
                 "                          file (self-signed certificate, a pool, user 'demo')\n"
                 "  -s, --state-dir DIR     state directory (default %s)\n"
                 "  -d, --debug CAT=LEVEL   debug level for protocol, platform or eap (1-127)\n"
                 "      --no-dbus           do not export the status on the system bus\n"
                 "      --check-config      validate the configuration and exit (writes nothing)\n"
                 "  -h, --help              this help\n"
                 "  -V, --version           version\n",
                 IKEV2D_SYSCONFDIR, IKEV2D_STATEDIR);
}

[[noreturn]] void bad(const char* fmt, const char* arg) {
    std::fprintf(stderr, "ikev2d: ");
    std::fprintf(stderr, fmt, arg);
    std::fprintf(stderr, "\n");
    std::exit(2);
}

}  // namespace

Options parse_options(int argc, char** argv) {
    Options o;
    o.state_dir = IKEV2D_STATEDIR;
    if (const char* env = std::getenv("STATE_DIRECTORY"); env && *env) o.state_dir = env;  // systemd StateDirectory=
    enum { kNoDbus = 1000, kCheck, kDemo };
    static const option longopts[] = {
        {"config", required_argument, nullptr, 'c'}, {"state-dir", required_argument, nullptr, 's'},
        {"debug", required_argument, nullptr, 'd'},  {"no-dbus", no_argument, nullptr, kNoDbus},
        {"check-config", no_argument, nullptr, kCheck}, {"demo", no_argument, nullptr, kDemo},
        {"help", no_argument, nullptr, 'h'},
        {"version", no_argument, nullptr, 'V'},      {nullptr, 0, nullptr, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "c:s:d:hV", longopts, nullptr)) != -1) {
        switch (c) {
            case 'c': o.config_path = optarg; break;
            case 's': o.state_dir = optarg; break;
            case 'd': {
                const char* eq = std::strchr(optarg, '=');
                if (!eq) bad("--debug wants CATEGORY=LEVEL, got '%s'", optarg);
                char* end = nullptr;
                long level = std::strtol(eq + 1, &end, 10);
                if (*end != '\0' || level < 0 || level > 255) bad("bad debug level in '%s'", optarg);
                o.debug.emplace_back(std::string(optarg, static_cast<std::size_t>(eq - optarg)), static_cast<int>(level));
                break;
            }
            case kNoDbus: o.dbus = false; break;
            case kCheck: o.check_config = true; break;
            case kDemo: o.demo = true; break;
            case 'h': usage(stdout); std::exit(0);
            case 'V': std::printf("ikev2d %s\n", IKEV2D_VERSION); std::exit(0);
            default: usage(stderr); std::exit(2);
        }
    }
    if (optind < argc) bad("unexpected argument '%s'", argv[optind]);
    if (o.demo && o.config_path) bad("%s", "--demo and --config exclude each other");
    return o;
}

}  // namespace ikev2d::app
