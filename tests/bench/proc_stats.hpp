// What the benchmark reads about a process from /proc: CPU seconds (utime + stime of all
// its threads) and resident memory.
#pragma once

#include <optional>
#include <sys/types.h>

namespace bench {

// utime + stime of process `pid` in seconds (clock-tick resolution); nullopt when unreadable.
std::optional<double> process_cpu_seconds(pid_t pid);
// VmRSS of process `pid` in KiB; nullopt when unreadable.
std::optional<long> process_rss_kib(pid_t pid);
// CPU seconds this process has used (user + system).
double own_cpu_seconds();

}  // namespace bench
