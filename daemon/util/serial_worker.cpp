#include "util/serial_worker.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "util/log.hpp"
#include "util/thread_signals.hpp"

namespace ikev2d::util {

SerialWorker::SerialWorker() {
    event_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (event_fd_ < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
    try {
        const ProcessSignalsBlocked inherited;  // the thread starts with them blocked
        thread_ = std::thread([this] { thread_main(); });
    } catch (...) {
        ::close(event_fd_);
        throw;
    }
}

SerialWorker::~SerialWorker() {
    stop();
    ::close(event_fd_);
}

void SerialWorker::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
        finished_.clear();
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void SerialWorker::post(Work work, Completion done, Lane) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        queue_.push_back({std::move(work), std::move(done)});
    }
    ++in_flight_;
    wake_.notify_one();
}

std::size_t SerialWorker::in_flight() const { return in_flight_; }

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
        try {
            job.work();
        } catch (const std::exception& e) {
            LOG_ERR(Platform, "serial job failed: %s", e.what());
        } catch (...) {
            LOG_ERR(Platform, "serial job failed: unknown exception");
        }
        job.work = nullptr;  // what the work captured goes now, on this thread
        bool was_empty;
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
            was_empty = finished_.empty();
            finished_.push_back(std::move(job.done));
        }
        if (was_empty) {
            const std::uint64_t one = 1;
            [[maybe_unused]] ssize_t n = ::write(event_fd_, &one, sizeof one);
        }
    }
}

std::size_t SerialWorker::run_completions() {
    std::uint64_t counter = 0;
    [[maybe_unused]] ssize_t n = ::read(event_fd_, &counter, sizeof counter);  // EAGAIN when nothing new
    std::deque<Completion> ready;
    {
        std::lock_guard lock(mutex_);
        ready.swap(finished_);
    }
    for (auto& done : ready) {
        --in_flight_;
        try {
            if (done) done();
        } catch (const std::exception& e) {
            LOG_ERR(Platform, "job completion failed: %s", e.what());
        }
    }
    return ready.size();
}

}  // namespace ikev2d::util
