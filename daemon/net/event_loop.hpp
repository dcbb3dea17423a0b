// The daemon's one event loop (sd-event): UDP sockets, the XFRM netlink socket,
// timers and the D-Bus connection all hang off it. Sources are RAII handles:
// dropping an EventSource removes it from the loop.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

struct sd_event;
struct sd_event_source;

namespace ikev2d::net {

class EventSource {
public:
    EventSource() = default;
    ~EventSource();
    EventSource(const EventSource&) = delete;
    EventSource& operator=(const EventSource&) = delete;
    EventSource(EventSource&& o) noexcept;
    EventSource& operator=(EventSource&& o) noexcept;
    void reset() noexcept;
    explicit operator bool() const noexcept { return src_ != nullptr; }

    // What the loop calls back; kept on the heap so that its address survives moves.
    struct Callback {
        std::function<void(std::uint32_t)> io;
        std::function<void()> timer;
    };

private:
    friend class EventLoop;
    sd_event_source* src_ = nullptr;
    std::unique_ptr<Callback> cb_;
};

class EventLoop {
public:
    using IoHandler = std::function<void(std::uint32_t revents)>;
    using TimerHandler = std::function<void()>;

    EventLoop();
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    sd_event* raw() const noexcept { return ev_; }

    // events: EPOLLIN etc.
    EventSource add_io(int fd, std::uint32_t events, IoHandler handler);
    // One-shot timer, fires once after `after` (CLOCK_MONOTONIC).
    EventSource add_timer(std::chrono::milliseconds after, TimerHandler handler);
    // Blocks the signal and delivers it through the loop.
    EventSource add_signal(int signo, TimerHandler handler);

    int run();
    void exit(int code);
    // Milliseconds on CLOCK_MONOTONIC, as the loop sees "now".
    std::uint64_t now_ms() const;

private:
    sd_event* ev_ = nullptr;
};

}  // namespace ikev2d::net
