#include "util/serial_worker.hpp"

#include "util/thread_signals.hpp"

namespace ikev2d::util {

SerialWorker::SerialWorker() {
    const ProcessSignalsBlocked inherited;  // the thread starts with them blocked
    thread_ = std::thread([this] { thread_main(); });
}

SerialWorker::~SerialWorker() { stop(); }

void SerialWorker::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
    }
    completions_.close();
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void SerialWorker::post(Work work, Completion done, Lane) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        queue_.push_back({std::move(work), std::move(done)});
    }
    completions_.posted();
    wake_.notify_one();
}

std::size_t SerialWorker::in_flight() const { return completions_.in_flight(); }

void SerialWorker::thread_main() {
    block_process_signals();  // the loop's signals are the loop's (thread_signals.hpp)
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        run_work(job.work);
        job.work = nullptr;  // what the work captured goes now, on this thread
        if (!completions_.deliver(std::move(job.done))) return;
    }
}

}  // namespace ikev2d::util
