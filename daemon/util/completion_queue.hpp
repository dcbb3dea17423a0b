// The way back to the event loop for work done on other threads (WorkerPool,
// SerialWorker): a thread runs a job's work (run_work: exceptions logged, never let out)
// and hands its completion in; an eventfd turns readable and the loop runs the
// completions. Counts the jobs between post and completion for Executor::in_flight().
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace ikev2d::util {

// Runs `work` on the calling (worker) thread; an exception is logged and swallowed (the
// job reports failure in its own outputs).
void run_work(const std::function<void()>& work) noexcept;

class CompletionQueue {
public:
    using Completion = std::function<void()>;

    CompletionQueue();  // throws std::runtime_error (eventfd)
    ~CompletionQueue();
    CompletionQueue(const CompletionQueue&) = delete;
    CompletionQueue& operator=(const CompletionQueue&) = delete;

    // Readable (EPOLLIN) while completions wait; for the event loop.
    int fd() const noexcept { return event_fd_; }

    // Loop thread: a job was posted (its completion is now due).
    void posted() noexcept { ++in_flight_; }
    std::size_t in_flight() const noexcept { return in_flight_; }

    // Worker thread: the job's work is done. False once closed: `done` is dropped and the
    // worker should end.
    bool deliver(Completion done);
    // Later deliveries and those waiting now are dropped (the executor is stopping).
    void close() noexcept;

    // Loop thread: runs the completions delivered so far; returns how many.
    std::size_t run();

private:
    int event_fd_ = -1;
    std::mutex mutex_;
    std::deque<Completion> finished_;
    bool closed_ = false;
    std::size_t in_flight_ = 0;  // loop thread only
};

}  // namespace ikev2d::util
