// Reads a password for `ikectl nt-hash`: from the terminal without echo, or one line
// from a pipe. Never from the command line, where other users could see it in ps(1).
#pragma once

#include <string>

namespace ikev2d::ikectl {

// Throws std::runtime_error on end of input or a read error. The caller wipes the
// returned string (secure_wipe) when done.
std::string read_password(const char* prompt);

}  // namespace ikev2d::ikectl
