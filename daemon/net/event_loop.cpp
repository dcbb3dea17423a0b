#include "net/event_loop.hpp"

#include <csignal>
#include <stdexcept>
#include <string>
#include <string.h>
#include <systemd/sd-event.h>

namespace ikev2d::net {

namespace {

void check(int r, const char* what) {
    if (r < 0) throw std::runtime_error(std::string("sd-event: ") + what + ": " + strerror(-r));
}

int on_io(sd_event_source*, int, uint32_t revents, void* userdata) {
    static_cast<EventSource::Callback*>(userdata)->io(revents);
    return 0;
}
int on_time(sd_event_source*, uint64_t, void* userdata) {
    static_cast<EventSource::Callback*>(userdata)->timer();
    return 0;
}
int on_signal(sd_event_source*, const signalfd_siginfo*, void* userdata) {
    static_cast<EventSource::Callback*>(userdata)->timer();
    return 0;
}

}  // namespace

EventSource::~EventSource() { reset(); }

EventSource::EventSource(EventSource&& o) noexcept : src_(o.src_), cb_(std::move(o.cb_)) { o.src_ = nullptr; }

EventSource& EventSource::operator=(EventSource&& o) noexcept {
    if (this != &o) {
        reset();
        src_ = o.src_;
        cb_ = std::move(o.cb_);
        o.src_ = nullptr;
    }
    return *this;
}

void EventSource::reset() noexcept {
    if (src_) {
        sd_event_source_disable_unref(src_);
        src_ = nullptr;
    }
    cb_.reset();
}

EventLoop::EventLoop() { check(sd_event_new(&ev_), "new"); }
EventLoop::~EventLoop() { sd_event_unref(ev_); }

EventSource EventLoop::add_io(int fd, std::uint32_t events, IoHandler handler) {
    EventSource s;
    s.cb_ = std::make_unique<EventSource::Callback>();
    s.cb_->io = std::move(handler);
    check(sd_event_add_io(ev_, &s.src_, fd, events, on_io, s.cb_.get()), "add_io");
    return s;
}

EventSource EventLoop::add_timer(std::chrono::milliseconds after, TimerHandler handler) {
    EventSource s;
    s.cb_ = std::make_unique<EventSource::Callback>();
    s.cb_->timer = std::move(handler);
    auto usec = static_cast<uint64_t>(after.count() < 0 ? 0 : after.count()) * 1000u;
    check(sd_event_add_time_relative(ev_, &s.src_, CLOCK_MONOTONIC, usec, 1000, on_time, s.cb_.get()),
          "add_timer");
    return s;
}

EventSource EventLoop::add_signal(int signo, TimerHandler handler) {
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, signo);
    sigprocmask(SIG_BLOCK, &mask, nullptr);
    EventSource s;
    s.cb_ = std::make_unique<EventSource::Callback>();
    s.cb_->timer = std::move(handler);
    check(sd_event_add_signal(ev_, &s.src_, signo, on_signal, s.cb_.get()), "add_signal");
    return s;
}

int EventLoop::run() { return sd_event_loop(ev_); }
void EventLoop::exit(int code) { sd_event_exit(ev_, code); }

std::uint64_t EventLoop::now_ms() const {
    uint64_t usec = 0;
    if (sd_event_now(ev_, CLOCK_MONOTONIC, &usec) < 0) {
        timespec ts{};
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return static_cast<std::uint64_t>(ts.tv_sec) * 1000u + static_cast<std::uint64_t>(ts.tv_nsec) / 1000000u;
    }
    return usec / 1000u;
}

}  // namespace ikev2d::net
