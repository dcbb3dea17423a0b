// Work that takes time (DH, signatures, password hashes) off the event loop: an
// Executor runs a job's work on some other thread and hands its completion back to the
// loop thread, never inside the handler that posted it.
//
// WorkerPool is the real one: N threads and a queue; finished jobs wait in a second
// queue and an eventfd becomes readable, which the daemon registers with its event loop
// and answers with run_completions(). ManualExecutor is the deterministic one for tests:
// nothing runs until the test says so.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "util/completion_queue.hpp"

namespace ikev2d::util {

class Executor {
public:
    // Runs on a worker thread: it may touch only what the job owns (copied inputs, its
    // own outputs), never loop state.
    using Work = std::function<void()>;
    // Runs on the loop thread after the work, with the loop's state at hand.
    using Completion = std::function<void()>;
    // Short: bounded and small (a DH, a key derivation: well under a millisecond).
    // Long: may take tens or hundreds of milliseconds (signatures, chain checks, crypt(3)).
    // They never queue behind each other: a handshake's DH does not wait for a password
    // hash to finish.
    enum class Lane { Short, Long };

    virtual ~Executor();
    // Called on the loop thread. Exceptions thrown by `work` are logged and swallowed
    // (the job reports failure in its own outputs); `done` runs in any case.
    virtual void post(Work work, Completion done, Lane lane) = 0;
    // Jobs posted whose completion has not run yet.
    virtual std::size_t in_flight() const = 0;
};

class WorkerPool final : public Executor {
public:
    // threads per lane; 0 = one per CPU this process may run on (its affinity mask). Each
    // lane has its own threads and queue: the kernel shares the cores between them, so a
    // short job gets a core within a scheduling slice however many long ones run.
    explicit WorkerPool(unsigned threads);
    // Stops the workers after the job each is running; queued work and completions are
    // dropped without running.
    ~WorkerPool() override;
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void post(Work work, Completion done, Lane lane) override;
    std::size_t in_flight() const override;

    // Readable (EPOLLIN) while completions wait; for the event loop.
    int completion_fd() const noexcept { return completions_.fd(); }
    // On the loop thread: runs the completions of the jobs finished so far; returns how many.
    std::size_t run_completions() { return completions_.run(); }
    unsigned size() const noexcept { return static_cast<unsigned>(threads_.size() / 2); }  // per lane

    static unsigned online_cpus();

private:
    struct Job {
        Work work;
        Completion done;
    };
    void worker_main(Lane lane);
    void stop() noexcept;
    std::deque<Job>& queue(Lane lane) { return lane == Lane::Short ? short_queue_ : long_queue_; }
    std::condition_variable& wake(Lane lane) { return lane == Lane::Short ? wake_short_ : wake_long_; }

    CompletionQueue completions_;
    mutable std::mutex mutex_;
    std::condition_variable wake_short_, wake_long_;
    std::deque<Job> short_queue_, long_queue_;  // waiting for a worker of their lane
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

// For tests: post() only queues; run_pending() runs the queued work and then the
// completions, on the calling thread, in the order posted.
class ManualExecutor final : public Executor {
public:
    void post(Work work, Completion done, Lane lane) override;
    std::size_t in_flight() const override { return jobs_.size(); }
    // Runs every job queued now (not those their completions post); returns how many.
    std::size_t run_pending();
    // Runs only the job at this place in the queue (0 = oldest); false if there is none.
    bool run_job(std::size_t index);
    // Forgets the queued jobs without running them (a daemon stopping with work in flight).
    void drop_pending() { jobs_.clear(); }

private:
    struct Job {
        Work work;
        Completion done;
    };
    std::deque<Job> jobs_;

public:
    std::vector<Lane> lanes_posted;  // every post()'s lane, for tests that check the choice
};

}  // namespace ikev2d::util
