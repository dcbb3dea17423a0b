// The configuration shown under EXAMPLES in man/ikev2d.conf.5 must be one the real
// loader accepts, so that the manual cannot drift from daemon/config.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "config/config.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s ikev2d.conf.5\n", argv[0]);
        return 2;
    }
    std::ifstream in(argv[1]);
    std::string line, toml;
    bool in_examples = false, in_literal = false, found = false;
    while (std::getline(in, line)) {
        if (line.rfind(".Sh ", 0) == 0)
            in_examples = line == ".Sh EXAMPLES";
        else if (in_examples && line.rfind(".Bd -literal", 0) == 0)
            in_literal = true;
        else if (in_literal && line == ".Ed")
            in_literal = false, found = true, in_examples = false;
        else if (in_literal)
            toml += line + "\n";
    }
    if (!found) {
        std::fprintf(stderr, "no literal block under .Sh EXAMPLES in %s\n", argv[1]);
        return 1;
    }
    auto config = ikev2d::config::load_string(toml, "ikev2d.conf.5 EXAMPLES");
    if (!config) {
        std::fprintf(stderr, "%s\n", config.error().to_string().c_str());
        return 1;
    }
    if (config->users.size() != 1 || config->users[0].group != "ASA-IKEV2" || config->pools.size() != 1) {
        std::fprintf(stderr, "example loaded, but not as the manual describes it\n");
        return 1;
    }
    std::printf("ok\n");
    return 0;
}
