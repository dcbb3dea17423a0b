#include "control/dbus_connect_attempt.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <systemd/sd-event.h>

#include "util/thread_signals.hpp"

namespace ikev2d::control {

// What the thread and the loop share; lives as long as either holds it, so that an
// abandoned attempt's thread still has somewhere to put its result.
struct DbusConnectAttempt::Outcome {
    std::mutex mutex;
    std::unique_ptr<sdbus::IConnection> connection;
    std::string error;
    bool abandoned = false;
    int ready_fd = -1;  // eventfd: readable once the thread is done

    ~Outcome() {
        if (ready_fd >= 0) close(ready_fd);
    }
};

DbusConnectAttempt::DbusConnectAttempt(sd_event* loop, Connect connect, Done done)
    : outcome_(std::make_shared<Outcome>()), done_(std::move(done)) {
    outcome_->ready_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (outcome_->ready_fd < 0) throw std::runtime_error(std::string("D-Bus connect: eventfd: ") + std::strerror(errno));
    int r = sd_event_add_io(loop, &source_, outcome_->ready_fd, EPOLLIN, &DbusConnectAttempt::on_ready, this);
    if (r < 0) throw std::runtime_error(std::string("D-Bus connect: sd_event_add_io: ") + std::strerror(-r));
    sd_event_source_set_description(source_, "dbus-connect");

    try {
        start(std::move(connect));
    } catch (...) {
        sd_event_source_disable_unref(source_);
        throw;
    }
}

void DbusConnectAttempt::start(Connect connect) {
    const util::ProcessSignalsBlocked inherited;  // the thread starts with them blocked
    std::thread([outcome = outcome_, connect = std::move(connect)] {
        util::block_process_signals();  // SIGHUP/SIGTERM belong to the event loop
        std::unique_ptr<sdbus::IConnection> connection;
        std::string error;
        try {
            connection = connect();
        } catch (const std::exception& e) {
            error = e.what();
        } catch (...) {
            error = "unknown failure";
        }
        std::unique_lock<std::mutex> lock(outcome->mutex);
        if (outcome->abandoned) {
            lock.unlock();
            connection.reset();  // closed here, on this thread: nobody else holds it
            return;
        }
        outcome->connection = std::move(connection);
        outcome->error = error.empty() && !outcome->connection ? "no connection" : std::move(error);
        const std::uint64_t one = 1;
        (void)!write(outcome->ready_fd, &one, sizeof one);
    }).detach();
}

DbusConnectAttempt::~DbusConnectAttempt() {
    sd_event_source_disable_unref(source_);
    std::unique_ptr<sdbus::IConnection> unused;  // a result already in, closed outside the lock
    {
        std::lock_guard<std::mutex> lock(outcome_->mutex);
        outcome_->abandoned = true;
        unused = std::move(outcome_->connection);
    }
}

int DbusConnectAttempt::on_ready(sd_event_source*, int, uint32_t, void* self_) {
    auto* self = static_cast<DbusConnectAttempt*>(self_);
    std::uint64_t count = 0;
    (void)!read(self->outcome_->ready_fd, &count, sizeof count);
    std::unique_ptr<sdbus::IConnection> connection;
    std::string error;
    {
        std::lock_guard<std::mutex> lock(self->outcome_->mutex);
        connection = std::move(self->outcome_->connection);
        error = std::move(self->outcome_->error);
    }
    sd_event_source_set_enabled(self->source_, SD_EVENT_OFF);  // one result per attempt
    Done done = std::move(self->done_);
    done(std::move(connection), error);  // may destroy *self: nothing of it is used after
    return 0;
}

}  // namespace ikev2d::control
