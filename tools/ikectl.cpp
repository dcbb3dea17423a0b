// ikectl: status and control of ikev2d over D-Bus (org.ikev2d.Manager1).
// The subcommands mirror the Cisco ASA's show/debug commands; see ikectl(8).
#include <getopt.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "config/nt_hash.hpp"
#include "ikectl/client.hpp"
#include "ikectl/dump_format.hpp"
#include "ikectl/event_format.hpp"
#include "ikectl/json_format.hpp"
#include "ikectl/password_input.hpp"
#include "ikectl/pool_format.hpp"
#include "ikectl/prometheus_format.hpp"
#include "ikectl/text_format.hpp"
#include "ikev2d_build_config.h"
#include "profile/profile_command.hpp"
#include "util/bytes.hpp"

namespace {

using namespace ikev2d::ikectl;
using Args = std::vector<std::string>;

struct Options {
    bool json = false;
    bool prometheus = false;  // show stats only
    std::string bus_address;
};

// A command line ikectl cannot run: exit status 2, as for an unknown command.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Command {
    std::vector<std::string> words;  // fixed words; "*" matches any one argument
    const char* synopsis;
    std::function<std::string(Client&, const Options&, const Args& wildcards)> run;
};

// Exit status: 0 ok, 1 the daemon failed or could not be reached or refused, 2 usage.
// With --json the error is a JSON document on stdout (scripts read one stream).
int report_error(const Options& opt, const std::string& message, int status) {
    if (opt.json)
        std::fputs(json_error(message).c_str(), stdout);
    else
        std::fprintf(stderr, "ikectl: %s\n", message.c_str());
    return status;
}

uint64_t now_unix() { return static_cast<uint64_t>(std::time(nullptr)); }

bool parse_u32(const std::string& s, uint32_t& out) {
    if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string::npos)
        return false;
    const unsigned long long v = std::strtoull(s.c_str(), nullptr, 10);
    if (v > 0xFFFFFFFFull)
        return false;
    out = static_cast<uint32_t>(v);
    return true;
}

std::string disconnected_text(uint32_t n, const std::string& what) {
    if (n == 0)
        throw ClientError("no session matches " + what);
    return "Disconnected " + std::to_string(n) + (n == 1 ? " session" : " sessions") + " (" + what + ")\n";
}

std::string do_disconnect_index(Client& c, const Options& o, const std::string& arg) {
    uint32_t id = 0;
    if (!parse_u32(arg, id))
        throw UsageError("not a session index or tunnel id: " + arg);
    const uint32_t n = c.disconnect(id);
    const std::string text = disconnected_text(n, "index/tunnel-id " + arg);  // throws if none
    return o.json ? json_number_result("disconnected", n) : text;
}

std::string do_disconnect_user(Client& c, const Options& o, const std::string& user) {
    const uint32_t n = c.disconnect_user(user);
    const std::string text = disconnected_text(n, "user " + user);  // throws if none
    return o.json ? json_number_result("disconnected", n) : text;
}

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {{"show", "sa"}, "show sa", [](Client& c, const Options& o, const Args&) {
             auto sas = c.ike_sas();
             return o.json ? json_ike_sas(sas) : format_ike_sas(sas, false, now_unix());
         }},
        {{"show", "sa", "detail"}, "show sa detail", [](Client& c, const Options& o, const Args&) {
             auto sas = c.ike_sas();
             return o.json ? json_ike_sas(sas) : format_ike_sas(sas, true, now_unix());
         }},
        {{"show", "ipsec", "sa"}, "show ipsec sa", [](Client& c, const Options& o, const Args&) {
             auto sas = c.ike_sas();
             return o.json ? json_ipsec_sas(sas) : format_ipsec_sas(sas, now_unix());
         }},
        {{"show", "sessions"}, "show sessions", [](Client& c, const Options& o, const Args&) {
             auto sessions = c.sessions();
             return o.json ? json_sessions(sessions) : format_sessions(sessions, {}, false, now_unix());
         }},
        {{"show", "sessions", "detail"}, "show sessions detail", [](Client& c, const Options& o, const Args&) {
             auto sessions = c.sessions();
             if (o.json)
                 return json_sessions(sessions);
             return format_sessions(sessions, c.ike_sas(), true, now_unix());
         }},
        {{"show", "sessions", "user", "*"}, "show sessions user <name>",
         [](Client& c, const Options& o, const Args& w) {
             std::vector<ikev2d::control::SessionStatus> mine;
             for (auto& s : c.sessions())
                 if (s.username == w[0])
                     mine.push_back(std::move(s));
             return o.json ? json_sessions(mine) : format_sessions(mine, {}, false, now_unix());
         }},
        {{"show", "stats"}, "show stats [--prometheus]", [](Client& c, const Options& o, const Args&) {
             auto st = c.stats();
             if (o.prometheus)
                 return format_prometheus(st);
             return o.json ? json_stats(st) : format_stats(st, now_unix());
         }},
        {{"show", "pools"}, "show pools", [](Client& c, const Options& o, const Args&) {
             auto pools = c.pools();
             return o.json ? json_pools(pools) : format_pools(pools);
         }},
        {{"dump"}, "dump", [](Client& c, const Options&, const Args&) { return format_dump(c.ike_sas()); }},
        {{"monitor"}, "monitor", [](Client& c, const Options& o, const Args&) -> std::string {
             const bool json = o.json;
             c.monitor(
                 [json](const ikev2d::control::SessionStatus& s, const std::string* reason) {
                     const std::string line =
                         json ? json_event_line(now_unix(), s, reason) : format_event(now_unix(), s, reason);
                     std::fputs(line.c_str(), stdout);
                     std::fflush(stdout);
                 },
                 [] { std::fprintf(stderr, "ikectl: monitoring session events, interrupt to stop\n"); });
         }},
        // A number is a session index or tunnel id, anything else a user name; the
        // explicit forms settle user names that are numbers.
        {{"disconnect", "*"}, "disconnect <index|tunnel-id|user>",
         [](Client& c, const Options& o, const Args& w) {
             uint32_t id = 0;
             return parse_u32(w[0], id) ? do_disconnect_index(c, o, w[0]) : do_disconnect_user(c, o, w[0]);
         }},
        {{"disconnect", "index", "*"}, "disconnect index <index|tunnel-id>",
         [](Client& c, const Options& o, const Args& w) { return do_disconnect_index(c, o, w[0]); }},
        {{"disconnect", "user", "*"}, "disconnect user <name>",
         [](Client& c, const Options& o, const Args& w) { return do_disconnect_user(c, o, w[0]); }},
        // RFC 5685: the client of a live session moves to another gateway.
        {{"redirect", "*", "*"}, "redirect <index|tunnel-id> <gateway>",
         [](Client& c, const Options& o, const Args& w) {
             uint32_t id = 0;
             if (!parse_u32(w[0], id))
                 throw UsageError("not a session index or tunnel id: " + w[0]);
             const std::string err = c.redirect(id, w[1]);
             if (!err.empty())
                 throw ClientError("redirect refused: " + err);
             return o.json ? json_text_result("redirected", w[1])
                           : "Redirecting session " + w[0] + " to " + w[1] + "\n";
         }},
        {{"reload"}, "reload", [](Client& c, const Options& o, const Args&) {
             const std::string err = c.reload();
             if (!err.empty())
                 throw ClientError("reload failed, running configuration kept: " + err);
             return o.json ? json_text_result("reloaded", "ok") : std::string("Configuration reloaded\n");
         }},
        {{"debug", "*", "*"}, "debug <protocol|platform|eap> <level>",
         [](Client& c, const Options& o, const Args& w) {
             uint32_t level = 0;
             // 127 = everything (util/log.hpp's kSecretLevel); the daemon checks it again.
             if (!parse_u32(w[1], level) || level > 127)
                 throw UsageError("debug level must be a number 0..127: " + w[1]);
             c.set_debug(w[0], static_cast<int>(level));
             if (o.json)
                 return json_number_result(w[0], level);
             return "Debug level of " + w[0] + " set to " + std::to_string(level) + "\n";
         }},
    };
    return table;
}

void usage(FILE* to) {
    std::fprintf(to,
                 "Usage: ikectl [--json] [--bus-address ADDRESS] COMMAND\n"
                 "\n"
                 "Commands:\n");
    for (const auto& c : commands())
        std::fprintf(to, "  %s\n", c.synopsis);
    std::fprintf(to, "  nt-hash                  (reads a password, prints its NT hash for ikev2d.conf)\n");
    std::fprintf(to, "  profile --group G --format F [--config FILE] [--user U] [--server HOST] [-o OUT]\n"
                     "                           (offline: a client profile; see ikectl profile --help)\n");
    std::fprintf(to, "  import-asa FILE [-o OUT]  (offline: an ASA configuration as ikev2d.conf)\n");
    std::fprintf(to,
                 "\n"
                 "Options:\n"
                 "  -j, --json               print JSON instead of text (errors too: {\"error\": ...})\n"
                 "      --prometheus         show stats in the Prometheus text format\n"
                 "  -b, --bus-address ADDR   D-Bus address to use instead of the system bus\n"
                 "                           (default: $IKEV2D_BUS_ADDRESS, else the system bus)\n"
                 "  -h, --help               show this help\n"
                 "  -V, --version            show the version\n");
}

const Command* match(const Args& args, Args& wildcards) {
    for (const auto& c : commands()) {
        if (c.words.size() != args.size())
            continue;
        Args w;
        bool ok = true;
        for (size_t i = 0; i < args.size() && ok; ++i) {
            if (c.words[i] == "*")
                w.push_back(args[i]);
            else
                ok = c.words[i] == args[i];
        }
        // Prefer exact words over wildcards: "disconnect user x" is not "debug".
        if (ok) {
            wildcards = std::move(w);
            return &c;
        }
    }
    return nullptr;
}

// Local command, no daemon needed: the nt_hash value of a [user.*] table.
int print_nt_hash(const Options& opt) {
    try {
        std::string password = read_password("Password: ");
        std::string hex;
        try {
            hex = ikev2d::config::nt_hash_hex(password);
        } catch (...) {
            ikev2d::secure_wipe(password.data(), password.size());
            throw;
        }
        ikev2d::secure_wipe(password.data(), password.size());
        const std::string out = opt.json ? json_text_result("nt_hash", hex) : hex + "\n";
        std::fputs(out.c_str(), stdout);
        return std::fflush(stdout) == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        return report_error(opt, std::string("nt-hash: ") + e.what(), 1);
    }
}

}  // namespace

int main(int argc, char** argv) {
    // Offline subcommands read files, not the daemon; they come first and take their own options.
    if (argc > 1 && std::string_view(argv[1]) == "profile")
        return ikev2d::profile::run_profile_command(argc - 1, argv + 1);
    if (argc > 1 && std::string_view(argv[1]) == "import-asa")
        return ikev2d::profile::run_import_asa_command(argc - 1, argv + 1);
    Options opt;
    if (const char* env = std::getenv("IKEV2D_BUS_ADDRESS"))
        opt.bus_address = env;
    static const struct option long_options[] = {
        {"json", no_argument, nullptr, 'j'},
        {"bus-address", required_argument, nullptr, 'b'},
        {"prometheus", no_argument, nullptr, 'P'},
        {"help", no_argument, nullptr, 'h'},
        {"version", no_argument, nullptr, 'V'},
        {nullptr, 0, nullptr, 0},
    };
    int ch;
    while ((ch = getopt_long(argc, argv, "jb:hV", long_options, nullptr)) != -1) {
        switch (ch) {
            case 'j': opt.json = true; break;
            case 'b': opt.bus_address = optarg; break;
            case 'P': opt.prometheus = true; break;
            case 'h': usage(stdout); return 0;
            case 'V': std::printf("ikectl %s\n", IKEV2D_VERSION); return 0;
            default: usage(stderr); return 2;
        }
    }
    Args args(argv + optind, argv + argc);
    if (args.empty()) {
        if (opt.json)
            std::fputs(json_error("no command given").c_str(), stdout);
        usage(stderr);
        return 2;
    }
    if (args == Args{"nt-hash"})
        return print_nt_hash(opt);
    try {
        Args wildcards;
        const Command* cmd = match(args, wildcards);
        if (cmd == nullptr) {
            std::string joined;
            for (const auto& a : args)
                joined += (joined.empty() ? "" : " ") + a;
            throw UsageError("unknown command: " + joined);
        }
        if (opt.prometheus && args != Args{"show", "stats"})
            throw UsageError("--prometheus goes with show stats only");
        if (opt.prometheus && opt.json)
            throw UsageError("--prometheus and --json exclude each other");
        Client client(opt.bus_address);
        const std::string out = cmd->run(client, opt, wildcards);
        std::fputs(out.c_str(), stdout);
        if (std::fflush(stdout) != 0)
            return report_error(opt, "cannot write output", 1);
        return 0;
    } catch (const UsageError& e) {
        const int rc = report_error(opt, e.what(), 2);
        if (!opt.json && std::string_view(e.what()).starts_with("unknown command")) {
            std::fputc('\n', stderr);
            usage(stderr);
        }
        return rc;
    } catch (const std::exception& e) {
        return report_error(opt, e.what(), 1);
    }
}
