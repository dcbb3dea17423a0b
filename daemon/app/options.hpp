// ikev2d's command line.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ikev2d::app {

struct Options {
    std::optional<std::string> config_path;  // unset: /etc/ikev2d/ikev2d.conf (unless demo)
    // The embedded demo configuration, only on request: a daemon that finds no file must
    // not quietly accept logins with a generated password.
    bool demo = false;
    std::string state_dir;
    std::vector<std::pair<std::string, int>> debug;  // category, level
    bool dbus = true;
    bool check_config = false;  // load, validate, print the result, exit; writes nothing
};

// Exits the process for --help/--version and on errors (status 2, message on stderr).
Options parse_options(int argc, char** argv);

}  // namespace ikev2d::app
