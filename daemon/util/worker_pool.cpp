#include "util/worker_pool.hpp"

#include <sched.h>
#include <unistd.h>


#include "util/thread_signals.hpp"

namespace ikev2d::util {

Executor::~Executor() = default;

unsigned WorkerPool::online_cpus() {
    // The cores this process may run on (taskset, cpusets), else all online ones.
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return static_cast<unsigned>(CPU_COUNT(&set));
    const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? static_cast<unsigned>(n) : 1u;
}

WorkerPool::WorkerPool(unsigned threads) {
    if (threads == 0) threads = online_cpus();
    try {
        const ProcessSignalsBlocked inherited;  // the workers start with them blocked
        for (unsigned i = 0; i < threads; ++i) {
            threads_.emplace_back([this] { worker_main(Lane::Short); });
            threads_.emplace_back([this] { worker_main(Lane::Long); });
        }
    } catch (...) {
        stop();
        throw;
    }
}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        short_queue_.clear();
        long_queue_.clear();
    }
    completions_.close();
    wake_short_.notify_all();
    wake_long_.notify_all();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
}

void WorkerPool::post(Work work, Completion done, Lane lane) {
    {
        std::lock_guard lock(mutex_);
        queue(lane).push_back({std::move(work), std::move(done)});
    }
    completions_.posted();
    wake(lane).notify_one();
}

std::size_t WorkerPool::in_flight() const { return completions_.in_flight(); }

void WorkerPool::worker_main(Lane lane) {
    block_process_signals();  // the loop's signals are the loop's (thread_signals.hpp)
    std::deque<Job>& jobs = queue(lane);
    std::condition_variable& woken = wake(lane);
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            woken.wait(lock, [&] { return stopping_ || !jobs.empty(); });
            if (stopping_) return;
            job = std::move(jobs.front());
            jobs.pop_front();
        }
        run_work(job.work);
        job.work = nullptr;  // what the work captured goes now, on this thread
        if (!completions_.deliver(std::move(job.done))) return;
    }
}

void ManualExecutor::post(Work work, Completion done, Lane lane) {
    lanes_posted.push_back(lane);
    jobs_.push_back({std::move(work), std::move(done)});
}

std::size_t ManualExecutor::run_pending() {
    std::deque<Job> now;
    now.swap(jobs_);
    for (auto& job : now) run_work(job.work);
    for (auto& job : now)
        if (job.done) job.done();
    return now.size();
}

bool ManualExecutor::run_job(std::size_t index) {
    if (index >= jobs_.size()) return false;
    Job job = std::move(jobs_[index]);
    jobs_.erase(jobs_.begin() + static_cast<std::ptrdiff_t>(index));
    run_work(job.work);
    if (job.done) job.done();
    return true;
}

}  // namespace ikev2d::util
