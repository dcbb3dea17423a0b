// The worker pool: work runs off the calling thread, completions only when the loop
// asks for them (signalled through the eventfd), never inside post().
#include <poll.h>

#include <atomic>
#include <catch2/catch.hpp>

#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <chrono>
#include <thread>

#include "util/worker_pool.hpp"

using namespace ikev2d::util;

namespace {

bool readable_within(int fd, int ms) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

// Runs completions until `count` have run or 5 s have passed.
std::size_t drain(WorkerPool& pool, std::size_t count) {
    std::size_t ran = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (ran < count && std::chrono::steady_clock::now() < deadline)
        if (readable_within(pool.completion_fd(), 100)) ran += pool.run_completions();
    return ran;
}

}  // namespace

TEST_CASE("worker pool: work on a worker thread, the completion on the loop thread when asked", "[worker_pool]") {
    WorkerPool pool(2);
    REQUIRE(pool.size() == 2);
    const auto loop_thread = std::this_thread::get_id();
    std::atomic<bool> work_ran{false};
    std::thread::id work_thread, done_thread;
    bool done = false;
    pool.post([&] { work_thread = std::this_thread::get_id(); work_ran = true; },
              [&] { done_thread = std::this_thread::get_id(); done = true; }, Executor::Lane::Short);
    CHECK(pool.in_flight() == 1);
    CHECK_FALSE(done);  // never inside post()
    REQUIRE(drain(pool, 1) == 1);
    CHECK(work_ran);
    CHECK(done);
    CHECK(work_thread != loop_thread);
    CHECK(done_thread == loop_thread);
    CHECK(pool.in_flight() == 0);
    CHECK(pool.run_completions() == 0);  // nothing new
}

TEST_CASE("worker pool: many jobs, every completion exactly once", "[worker_pool]") {
    WorkerPool pool(3);
    std::atomic<int> worked{0};
    int completed = 0;
    for (int i = 0; i < 200; ++i)
        pool.post([&] { ++worked; }, [&] { ++completed; }, i % 3 ? Executor::Lane::Short : Executor::Lane::Long);
    REQUIRE(drain(pool, 200) == 200);
    CHECK(worked == 200);
    CHECK(completed == 200);
}

TEST_CASE("worker pool: a throwing job still completes", "[worker_pool]") {
    WorkerPool pool(1);
    bool done = false;
    pool.post([] { throw std::runtime_error("boom"); }, [&] { done = true; }, Executor::Lane::Long);
    REQUIRE(drain(pool, 1) == 1);
    CHECK(done);
}

TEST_CASE("worker pool: 0 threads means one per online CPU", "[worker_pool]") {
    WorkerPool pool(0);
    CHECK(pool.size() == WorkerPool::online_cpus());
    CHECK(pool.size() >= 1);
}

TEST_CASE("worker pool: destroyed with jobs queued and finished, no completion runs", "[worker_pool]") {
    bool completed = false;
    std::atomic<bool> release{false};
    {
        WorkerPool pool(1);
        // The first job holds the only worker; the second waits in the queue.
        pool.post([&] { while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1)); },
                  [&] { completed = true; }, Executor::Lane::Short);
        pool.post([] {}, [&] { completed = true; }, Executor::Lane::Short);
        release = true;
    }
    CHECK_FALSE(completed);
}

TEST_CASE("manual executor: nothing runs until run_pending, then in order", "[worker_pool]") {
    ManualExecutor ex;
    std::vector<std::string> order;
    const auto lane = Executor::Lane::Short;
    ex.post([&] { order.push_back("work1"); }, [&] { order.push_back("done1"); }, lane);
    ex.post([&] { order.push_back("work2"); }, [&] {
        order.push_back("done2");
        ex.post([&] { order.push_back("work3"); }, [&] { order.push_back("done3"); }, lane);
    }, lane);
    CHECK(order.empty());
    CHECK(ex.in_flight() == 2);
    CHECK(ex.run_pending() == 2);
    CHECK(order == std::vector<std::string>{"work1", "work2", "done1", "done2"});
    CHECK(ex.in_flight() == 1);  // posted by a completion: the next round
    CHECK(ex.run_pending() == 1);
    CHECK(order.back() == "done3");
}

TEST_CASE("manual executor: one job picked out of the queue", "[worker_pool]") {
    ManualExecutor ex;
    std::vector<int> done;
    for (int i = 0; i < 3; ++i) ex.post([] {}, [&done, i] { done.push_back(i); }, Executor::Lane::Long);
    CHECK(ex.run_job(1));
    CHECK(done == std::vector<int>{1});
    CHECK(ex.in_flight() == 2);
    CHECK_FALSE(ex.run_job(2));
    CHECK(ex.run_pending() == 2);
    CHECK(done == std::vector<int>{1, 0, 2});
}

TEST_CASE("worker pool: a short job is not queued behind long ones", "[worker_pool]") {
    WorkerPool pool(1);
    std::atomic<bool> release{false};
    std::atomic<int> long_started{0};
    int long_done = 0;
    bool short_done = false;
    // Two long jobs: one holds the only long-lane worker, the other waits behind it.
    for (int i = 0; i < 2; ++i)
        pool.post([&] {
            ++long_started;
            while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }, [&] { ++long_done; }, Executor::Lane::Long);
    // The long lane's worker holds the first one (the second waits in its queue).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (long_started == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    REQUIRE(long_started == 1);
    pool.post([] {}, [&] { short_done = true; }, Executor::Lane::Short);
    REQUIRE(drain(pool, 1) == 1);  // the short one, while the long lane is still blocked
    CHECK(short_done);
    CHECK(long_done == 0);
    CHECK(long_started == 1);
    release = true;
    REQUIRE(drain(pool, 2) == 2);
    CHECK(long_done == 2);
}

TEST_CASE("a SIGHUP sent to the process reaches the loop, never a worker (systemctl reload)", "[worker_pool][signals]") {
    // As in the daemon: the workers start before the loop blocks its signals.
    ikev2d::util::WorkerPool pool(2);
    sigset_t hup;
    sigemptyset(&hup);
    sigaddset(&hup, SIGHUP);
    REQUIRE(pthread_sigmask(SIG_BLOCK, &hup, nullptr) == 0);
    // A worker with SIGHUP unblocked would take it with the default action: the test
    // process would end here.
    REQUIRE(::kill(::getpid(), SIGHUP) == 0);
    timespec wait{2, 0};
    CHECK(sigtimedwait(&hup, nullptr, &wait) == SIGHUP);
    pthread_sigmask(SIG_UNBLOCK, &hup, nullptr);
}
