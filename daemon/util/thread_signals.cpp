#include "util/thread_signals.hpp"

#include <pthread.h>
#include <signal.h>

#include <initializer_list>

namespace ikev2d::util {

void block_process_signals() noexcept {
    sigset_t set;
    sigemptyset(&set);
    for (int signo : {SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGCHLD, SIGALRM})
        sigaddset(&set, signo);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

}  // namespace ikev2d::util
