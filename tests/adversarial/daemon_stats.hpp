// What the suite reads about the daemon under test from /proc.
#pragma once

#include <fstream>
#include <string>

namespace adversarial {

// VmRSS of process `pid` in KiB, or -1 when it cannot be read (the process is gone).
inline long vm_rss_kb(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

}  // namespace adversarial
