// One thread that runs jobs one after another, in the order posted, whatever their
// lane: for work that must never run twice at once because it uses a resource that is
// not thread-safe, e.g. the kernel lane's own netlink sockets (daemon/ike/child_install.hpp).
// Completions come back to the loop like WorkerPool's: an eventfd turns readable and the
// loop calls run_completions().
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>

#include "util/worker_pool.hpp"

namespace ikev2d::util {

class SerialWorker final : public Executor {
public:
    SerialWorker();  // throws std::runtime_error (eventfd, thread)
    ~SerialWorker() override;
    SerialWorker(const SerialWorker&) = delete;
    SerialWorker& operator=(const SerialWorker&) = delete;

    // lane is ignored: one queue, first in, first out.
    void post(Work work, Completion done, Lane lane) override;
    std::size_t in_flight() const override;

    int completion_fd() const noexcept { return completions_.fd(); }
    // On the loop thread: runs the completions of the jobs finished so far; returns how many.
    std::size_t run_completions() { return completions_.run(); }
    // Waits for the job running now (if any), then stops the thread; queued jobs and
    // completions are dropped and later posts are ignored. The daemon calls it before it
    // cleans the kernel up, so that no install runs after the clean-up.
    void stop() noexcept;

private:
    struct Job {
        Work work;
        Completion done;
    };
    void thread_main();

    CompletionQueue completions_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace ikev2d::util
