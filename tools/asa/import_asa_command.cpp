// `ikectl import-asa FILE [-o OUT]`: the ASA configuration FILE as ikev2d.conf, with a
// summary of what was not converted on stderr.
#include <getopt.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "asa/asa_model.hpp"
#include "profile/profile_command.hpp"

namespace ikev2d::profile {
namespace {

std::size_t count_commands(const std::vector<asa::AsaCommand>& commands) {
    std::size_t n = 0;
    for (const auto& c : commands) n += 1 + count_commands(c.children);
    return n;
}

void import_usage(FILE* to) { std::fprintf(to, "Usage: ikectl import-asa FILE [-o OUT]\n"); }

}  // namespace

int run_import_asa_command(int argc, char** argv) {
    static const option long_options[] = {
        {"output", required_argument, nullptr, 'o'}, {"help", no_argument, nullptr, 'h'}, {nullptr, 0, nullptr, 0}};
    std::string out;
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "o:h", long_options, nullptr)) != -1) {
        switch (ch) {
            case 'o': out = optarg; break;
            case 'h': import_usage(stdout); return 0;
            default: import_usage(stderr); return 2;
        }
    }
    if (optind + 1 != argc) {
        import_usage(stderr);
        return 2;
    }
    const std::string path = argv[optind];
    try {
        std::ifstream in(path);
        if (!in) throw std::runtime_error("cannot read " + path);
        std::ostringstream text;
        text << in.rdbuf();
        const auto commands = asa::parse_asa_config(text.str());
        auto model = asa::read_asa_model(commands);
        const std::string conf = asa::write_ikev2d_conf(model, path);
        write_output(out, conf);
        std::fprintf(stderr, "ikectl import-asa: %zu commands read from %s, %zu not converted%s\n",
                     count_commands(commands), path.c_str(), model.notes.size(), model.notes.empty() ? "" : ":");
        for (const auto& n : model.notes) {
            if (n.line > 0) std::fprintf(stderr, "  line %d: %s (%s)\n", n.line, n.command.c_str(), n.reason.c_str());
            else std::fprintf(stderr, "  %s (%s)\n", n.command.c_str(), n.reason.c_str());
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ikectl import-asa: %s\n", e.what());
        return 1;
    }
}

}  // namespace ikev2d::profile
