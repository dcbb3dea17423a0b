#include "util/thread_signals.hpp"

#include <pthread.h>
#include <signal.h>

#include <initializer_list>

namespace ikev2d::util {

namespace {

sigset_t process_signals() noexcept {
    sigset_t set;
    sigemptyset(&set);
    for (int signo : {SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGCHLD, SIGALRM})
        sigaddset(&set, signo);
    return set;
}

}  // namespace

void block_process_signals() noexcept {
    const sigset_t set = process_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

ProcessSignalsBlocked::ProcessSignalsBlocked() noexcept {
    const sigset_t set = process_signals();
    pthread_sigmask(SIG_BLOCK, &set, &previous_);
}

ProcessSignalsBlocked::~ProcessSignalsBlocked() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }

}  // namespace ikev2d::util
