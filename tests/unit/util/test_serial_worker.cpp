// SerialWorker: the kernel lane's executor. Jobs run one at a time on one thread (never
// the caller's) in the order posted, whatever their lane; completions run on the thread
// that calls run_completions(); stop() drops what is still queued.
#include <catch2/catch.hpp>

#include <poll.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "util/serial_worker.hpp"

using namespace ikev2d::util;

namespace {

// Runs completions until `done` holds or 5 s passed.
template <class Pred>
bool complete_until(SerialWorker& worker, Pred done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        pollfd p{worker.completion_fd(), POLLIN, 0};
        if (::poll(&p, 1, 50) > 0) worker.run_completions();
    }
    return done();
}

}  // namespace

TEST_CASE("SerialWorker runs jobs in order, one at a time, on one thread of its own", "[serial_worker]") {
    SerialWorker worker;
    std::mutex mutex;
    std::vector<int> ran;
    std::set<std::thread::id> threads;
    std::atomic<int> running{0}, most_at_once{0};
    std::vector<int> completed;
    for (int i = 0; i < 20; ++i) {
        worker.post(
            [&, i] {
                const int now = ++running;
                int seen = most_at_once.load();
                while (now > seen && !most_at_once.compare_exchange_weak(seen, now)) {}
                std::this_thread::sleep_for(std::chrono::microseconds(200));
                {
                    std::lock_guard lock(mutex);
                    ran.push_back(i);
                    threads.insert(std::this_thread::get_id());
                }
                --running;
            },
            [&, i] { completed.push_back(i); }, i % 2 ? Executor::Lane::Long : Executor::Lane::Short);
    }
    CHECK(worker.in_flight() == 20);
    REQUIRE(complete_until(worker, [&] { return completed.size() == 20; }));
    std::vector<int> order(20);
    for (int i = 0; i < 20; ++i) order[i] = i;
    CHECK(ran == order);
    CHECK(completed == order);
    CHECK(most_at_once.load() == 1);
    REQUIRE(threads.size() == 1);
    CHECK(*threads.begin() != std::this_thread::get_id());
    CHECK(worker.in_flight() == 0);
}

TEST_CASE("SerialWorker::stop waits for the running job and drops the queued ones", "[serial_worker]") {
    SerialWorker worker;
    std::mutex mutex;
    std::condition_variable changed;
    bool started = false, release = false;
    std::atomic<int> ran{0};
    worker.post(
        [&] {
            std::unique_lock lock(mutex);
            started = true;
            changed.notify_all();
            changed.wait(lock, [&] { return release; });
            ++ran;
        },
        [] {}, Executor::Lane::Long);
    worker.post([&] { ++ran; }, [] {}, Executor::Lane::Long);
    {
        std::unique_lock lock(mutex);
        REQUIRE(changed.wait_for(lock, std::chrono::seconds(5), [&] { return started; }));
    }
    std::thread stopper([&] { worker.stop(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    {
        std::lock_guard lock(mutex);
        release = true;
    }
    changed.notify_all();
    stopper.join();
    CHECK(ran.load() == 1);  // the running job finished; the queued one never ran
    worker.post([&] { ++ran; }, [] {}, Executor::Lane::Long);  // ignored after stop
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(ran.load() == 1);
    CHECK(worker.run_completions() == 0);
}
