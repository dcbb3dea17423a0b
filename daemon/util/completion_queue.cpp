#include "util/completion_queue.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "util/log.hpp"

namespace ikev2d::util {

void run_work(const std::function<void()>& work) noexcept {
    try {
        work();
    } catch (const std::exception& e) {
        LOG_ERR(Platform, "worker job failed: %s", e.what());
    } catch (...) {
        LOG_ERR(Platform, "worker job failed: unknown exception");
    }
}

CompletionQueue::CompletionQueue() {
    event_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (event_fd_ < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
}

CompletionQueue::~CompletionQueue() { ::close(event_fd_); }

bool CompletionQueue::deliver(Completion done) {
    bool was_empty;
    {
        std::lock_guard lock(mutex_);
        if (closed_) return false;
        was_empty = finished_.empty();
        finished_.push_back(std::move(done));
    }
    if (was_empty) {
        const std::uint64_t one = 1;
        // Cannot fail short of a counter overflow; the loop drains the whole queue anyway.
        [[maybe_unused]] ssize_t n = ::write(event_fd_, &one, sizeof one);
    }
    return true;
}

void CompletionQueue::close() noexcept {
    std::lock_guard lock(mutex_);
    closed_ = true;
    finished_.clear();
}

std::size_t CompletionQueue::run() {
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
