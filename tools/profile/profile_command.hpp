// `ikectl profile` and `ikectl import-asa`: offline subcommands that read configuration
// files (no daemon). argv[0] is the subcommand's name; exit status 0 ok, 1 error, 2 usage.
#pragma once

#include <string>

namespace ikev2d::profile {

int run_profile_command(int argc, char** argv);
int run_import_asa_command(int argc, char** argv);

// Writes text to path atomically (temporary file + rename), mode 0600 (profiles may hold
// user names and will hold secrets once filled in); "-" or empty: standard output.
void write_output(const std::string& path, const std::string& text);

}  // namespace ikev2d::profile
