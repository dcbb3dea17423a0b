// Threads other than the event loop's must not take the process's signals: the loop blocks
// SIGHUP/SIGTERM/SIGINT and reads them through sd-event, but a thread started before that
// (worker pools, the D-Bus set-up thread) would otherwise receive them with the default
// action, and a `systemctl reload` (SIGHUP) would end the daemon.
#pragma once

#include <signal.h>

namespace ikev2d::util {

// For the scope of a thread's creation: the new thread inherits the blocked mask from its
// first instruction (blocking inside its body alone leaves a window in which a signal sent
// right after the start can still land there). Restores the creator's mask at the end.
class ProcessSignalsBlocked {
public:
    ProcessSignalsBlocked() noexcept;
    ~ProcessSignalsBlocked();
    ProcessSignalsBlocked(const ProcessSignalsBlocked&) = delete;
    ProcessSignalsBlocked& operator=(const ProcessSignalsBlocked&) = delete;

private:
    sigset_t previous_;
};

// Blocks the asynchronous signals (HUP, INT, TERM, QUIT, USR1, USR2, PIPE, CHLD, ALRM) in
// the calling thread. Call it first thing in every thread the daemon starts.
void block_process_signals() noexcept;

}  // namespace ikev2d::util
