// Threads other than the event loop's must not take the process's signals: the loop blocks
// SIGHUP/SIGTERM/SIGINT and reads them through sd-event, but a thread started before that
// (worker pools, the D-Bus set-up thread) would otherwise receive them with the default
// action, and a `systemctl reload` (SIGHUP) would end the daemon.
#pragma once

namespace ikev2d::util {

// Blocks the asynchronous signals (HUP, INT, TERM, QUIT, USR1, USR2, PIPE, CHLD, ALRM) in
// the calling thread. Call it first thing in every thread the daemon starts.
void block_process_signals() noexcept;

}  // namespace ikev2d::util
